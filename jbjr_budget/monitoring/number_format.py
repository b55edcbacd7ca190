"""Number formats: whether a cell shows its number as stored, as a percentage (x100), or otherwise.

A GI who types ``13,6%`` gets 0.136 stored with a percent format; the
importer books what the person sees, so it needs to know. Formats that show
another magnitude than the one stored (scaling commas ``#,##0,``, fixed
digits ``0"000"``, fill digits ``*0``), that hide the number (``;;;``), hide a
minus sign, depend on conditions (``[>100]``), use other numerals
(``[DBNum1]``) or show a date or time are refused with a reason.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["Shown", "builtin_format", "shown"]

BUILTIN: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: "$#,##0_);($#,##0)", 6: "$#,##0_);[Red]($#,##0)", 7: "$#,##0.00_);($#,##0.00)",
    8: "$#,##0.00_);[Red]($#,##0.00)", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)', 42: '_("$"* #,##0_);_("$"* (#,##0);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    **dict.fromkeys((*range(27, 37), *range(50, 82)), "yyyy-mm-dd"),  # East Asian date formats
}
COLORS = frozenset(("black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"))
DATE_LETTERS = frozenset("yYmMdDhHsSgGbBeE")
PLACEHOLDERS = frozenset("0#?")
SYSTEM_LOCALES = frozenset(("F800", "F400"))
UNKNOWN = "onbekende getalnotatie '{code}'; gebruik de notatie van het sjabloon"


@dataclass(frozen=True)
class Shown:
    """How a number is shown: ``problem`` (empty when faithful), percent signs (x100 each), or a date."""

    problem: str = ""
    percent: int = 0
    date: bool = False


def builtin_format(number: int) -> str:
    """The code of a built-in format id; an empty string for an id no spreadsheet defines."""
    return BUILTIN.get(number, "")


def shown(code: str, number: float) -> Shown:
    """How ``number`` looks in a cell with format ``code`` (formats are few: judged once per sign).

    Examples:
        >>> shown("0.0%", 0.136).percent
        1
        >>> shown("#,##0,", 12345.0).problem
        "getalnotatie '#,##0,' toont het getal 1000 keer kleiner; gebruik de notatie van het sjabloon"
        >>> shown("0;0", -5.0).problem
        "getalnotatie '0;0' toont een negatief getal zonder minteken; gebruik de notatie van het sjabloon"
    """
    return _shown(code, (number > 0) - (number < 0))


@functools.lru_cache(maxsize=1024)
def _shown(code: str, sign: int) -> Shown:
    if code.strip().lower() in ("general", "@"):
        return Shown()
    sections = _sections(code)
    if sections is None or len(sections) > 4 or not code:
        return Shown(UNKNOWN.format(code=code))
    if any(_has_condition(section) for section in sections):
        return Shown(f"voorwaardelijke getalnotatie '{code}'; gebruik de notatie van het sjabloon")
    index = 1 if sign < 0 and len(sections) > 1 else 2 if sign == 0 and len(sections) > 2 else 0
    tokens = _tokens(sections[index])
    if tokens is None:
        return Shown(UNKNOWN.format(code=code))
    return _judge(code, tokens, negative_section=index == 1, zero_section=index == 2)


def _judge(code: str, tokens: list[tuple[str, str]], *, negative_section: bool, zero_section: bool) -> Shown:
    kinds = [kind for kind, _ in tokens]
    literal = "".join(text for kind, text in tokens if kind == "literal")
    if "date" in kinds:
        return Shown(date=True)
    if "bad" in kinds or any(char.isdigit() for char in literal):
        problem = "toont vaste cijfers of andere cijfers dan 0-9"
    elif "digit" not in kinds and "general" not in kinds:
        problem = "" if zero_section and literal.strip() == "-" else "toont het getal niet"
    elif any(kind == "comma" and (i + 1 == len(kinds) or kinds[i + 1] != "digit") for i, kind in enumerate(kinds)):
        problem = "toont het getal 1000 keer kleiner"
    elif negative_section and "-" not in literal and "(" not in literal:
        problem = "toont een negatief getal zonder minteken"
    else:
        return Shown(percent=kinds.count("percent"))
    return Shown(f"getalnotatie '{code}' {problem}; gebruik de notatie van het sjabloon")


def _sections(code: str) -> list[str] | None:
    """Split a format code on ``;`` outside quotes, escapes and brackets; None when a quote is not closed."""
    sections, current, i = [], "", 0
    while i < len(code):
        char = code[i]
        end = _skip(code, i)
        if end is None:
            return None
        if char == ";":
            sections.append(current)
            current = ""
        else:
            current += code[i:end]
        i = end
    return [*sections, current]


def _skip(code: str, i: int) -> int | None:
    """End of the token starting at ``i`` (a quoted text, an escape, a bracket or one character)."""
    char = code[i]
    if char == '"':
        end = code.find('"', i + 1)
        return None if end < 0 else end + 1
    if char == "[":
        end = code.find("]", i + 1)
        return None if end < 0 else end + 1
    if char in "\\_*":
        return min(i + 2, len(code))
    return i + 1


def _has_condition(section: str) -> bool:
    return any(part[:1] in "<>=" for part in section.split("[")[1:])


def _tokens(section: str) -> list[tuple[str, str]] | None:
    """Classify every token of one section: digit, point, comma, percent, literal, general, date or bad."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        end = _skip(section, i)
        if end is None:
            return None
        token = section[i:end]
        if section[i:i + 7].lower() == "general":
            tokens.append(("general", ""))
            end = i + 7
        elif section[i:i + 5].upper() == "AM/PM" or section[i:i + 3].upper() == "A/P":
            tokens.append(("date", token))
            end = i + (5 if section[i:i + 5].upper() == "AM/PM" else 3)
        elif token[0] in "eE" and section[i + 1:i + 2] in ("+", "-"):
            tokens.append(("exponent", ""))
            end = i + 2
        elif token[0] == "/":
            end = _fraction(section, i + 1)
            tokens.append(("slash", ""))
        else:
            tokens.append(_token(token))
        i = end
    return tokens


def _fraction(section: str, i: int) -> int:
    """A fixed fraction denominator (``?/100``) is shown as such: skip its digits."""
    while i < len(section) and section[i] in "0123456789":
        i += 1
    return i


SIMPLE = {".": ("point", ""), ",": ("comma", ""), "%": ("percent", ""), "@": ("bad", ""), "_": ("space", "")}


def _token(token: str) -> tuple[str, str]:
    char = token[0]
    if char in SIMPLE:
        return SIMPLE[char]
    if char == '"':
        return "literal", token[1:-1]
    if char == "\\":
        return "literal", token[1:]
    if char == "*":
        return ("bad", "") if token[1:].isdigit() else ("space", "")
    if char == "[":
        return _bracket(token[1:-1])
    kind = "digit" if char in PLACEHOLDERS else "date" if char in DATE_LETTERS else "literal"
    return kind, char


def _bracket(content: str) -> tuple[str, str]:
    """Colours are fine; elapsed time is a date; locale codes may not switch numerals or to system dates."""
    lowered = content.lower()
    if lowered in COLORS or (lowered.startswith("color") and lowered[5:].isdigit()):
        return "space", ""
    if lowered[:1] in ("h", "m", "s"):
        return "date", content
    if content.startswith("$"):
        locale = content.partition("-")[2].upper()
        return ("bad", "") if len(locale) > 4 or locale in SYSTEM_LOCALES else ("space", "")
    return "bad", ""
