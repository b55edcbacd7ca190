r"""Reading Excel number format codes: sections, conditions and the parts of a section.

A format has up to four sections (positive; negative; zero; text), each optionally with a condition
such as ``[>=100]``. A section is read into parts: quoted text, ``\x`` and ``_x`` (a space) are
literal, ``*x`` fills and ``[Red]`` colours show nothing, every other character is one part.
"""

from __future__ import annotations

import re

__all__ = ["choose_section", "literal", "parts_of", "sections_of"]

_PART = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|.', re.DOTALL)
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)(-?\d+(?:\.\d+)?)\]")
_TESTS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__, "=": float.__eq__,
          "<>": float.__ne__}
_ELAPSED = re.compile(r"(?i)\[(h+|m+|s+)\]")


def parts_of(section: str) -> list[str]:
    """The parts of one section."""
    return _PART.findall(section)


def sections_of(code: str) -> list[str]:
    """The ``;``-separated sections, quotes and escapes respected."""
    sections, current = [], ""
    for part in parts_of(code):
        if part == ";":
            sections.append(current)
            current = ""
        else:
            current += part
    return [*sections, current]


def literal(part: str) -> str | None:
    r"""The text a literal part shows; None for a code character.

    Examples:
        >>> literal('"kg"'), literal("\\-"), literal("_)"), literal("[Red]"), literal("0")
        ('kg', '-', ' ', '', None)
    """
    if part.startswith('"'):
        return part[1:-1]
    if part.startswith("\\"):
        return part[1:]
    if part.startswith("_"):
        return " "
    if part.startswith("*") or (part.startswith("[") and not _ELAPSED.fullmatch(part)):
        return ""
    return None


def choose_section(number: float, sections: list[str]) -> tuple[str, float, bool]:
    """The section that shows ``number``, the value it shows and whether a minus sign goes in front.

    Without conditions: one section shows everything (negatives with a minus), two split off the
    negatives (shown without sign), three the zero too. Conditions choose among the first two sections.
    """
    conditions = [_CONDITION.search(section) for section in sections[:2]]
    if any(conditions):
        for section, condition in zip(sections, conditions, strict=False):
            if condition and _TESTS[condition.group(1)](number, float(condition.group(2))):
                return section, abs(number), False
        fallback = sections[min(len(conditions), len(sections) - 1)]
        return fallback, abs(number), number < 0 and len(sections) < 3
    if number < 0 and len(sections) > 1:
        return sections[1], -number, False
    if number == 0 and len(sections) > 2:
        return sections[2], number, False
    return sections[0], abs(number), number < 0
