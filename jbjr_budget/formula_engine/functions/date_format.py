"""Excel date and time format codes (``dd-mm-yyyy``, ``mmmm``, ``h:mm AM/PM``, ``[h]:mm:ss``), names of the locale."""

from __future__ import annotations

import math
import re

from jbjr_budget.formula_engine.functions.date_spans import monday_index
from jbjr_budget.formula_engine.functions.date_time import parts as date_parts
from jbjr_budget.formula_engine.functions.format_codes import literal
from jbjr_budget.formula_engine.functions.registry import Failure
from jbjr_budget.formula_engine.locales import LOCALE
from jbjr_budget.formula_engine.values import VALUE

__all__ = ["format_date", "is_date_format"]

_TOKEN = re.compile(r"am/pm|a/p|\[h+\]|\[m+\]|\[s+\]|y+|m+|d+|h+|s+|\.0+|.", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"am/pm|a/p|\[h+\]|\[m+\]|\[s+\]|[ymdhs]", re.IGNORECASE)
_LITERAL = 0xE000  # literal parts stand in the joined section as private-use characters from here


def _joined(parts: list[str]) -> tuple[str, list[str]]:
    """The section with each literal part replaced by a private-use character, and the literal texts."""
    texts: list[str] = []
    chars: list[str] = []
    for part in parts:
        shown = literal(part)
        if shown is None:
            chars.append(part)
        else:
            chars.append(chr(_LITERAL + len(texts)))
            texts.append(shown)
    return "".join(chars), texts


def is_date_format(parts: list[str]) -> bool:
    """Whether a section formats dates or times."""
    return _CODE.search(_joined(parts)[0]) is not None


def _tokens(parts: list[str]) -> list[tuple[str, str]]:
    """(code, literal text) pairs; a code has no text, a literal no code."""
    joined, texts = _joined(parts)
    found: list[tuple[str, str]] = []
    for token in _TOKEN.findall(joined):
        if len(token) == 1 and _LITERAL <= ord(token) < _LITERAL + len(texts):
            found.append(("", texts[ord(token) - _LITERAL]))
        else:
            found.append((token, ""))
    return found


def _is_minute(codes: list[str], position: int) -> bool:
    """Whether the ``m``/``mm`` code at ``position`` means minutes: after an hour or before a second."""
    before = codes[position - 1].lower() if position else ""
    after = codes[position + 1].lower() if position + 1 < len(codes) else ""
    return len(codes[position]) <= 2 and (before.startswith(("h", "[h")) or after.startswith(("s", "[s")))


def _clock(serial: float, decimals: int) -> tuple[int, float]:
    """Whole days and the seconds into the day, rounded to ``decimals`` places (rounding may reach the next day)."""
    seconds = round(serial * 86400, decimals)
    days = math.floor(seconds / 86400)
    return days, seconds - days * 86400


def format_date(serial: float, parts: list[str]) -> str:
    """``serial`` (a date, time or both) in a date section; a negative serial is #VALUE!."""
    if serial < 0:
        raise Failure(VALUE)
    tokens = _tokens(parts)
    decimals = max((len(code) - 1 for code, _ in tokens if code.startswith(".0")), default=0)
    days, seconds = _clock(serial, decimals)
    clock = {"days": days, "seconds": seconds,
             "twelve": any(code.lower() in ("am/pm", "a/p") for code, _ in tokens)}
    codes = [code for code, _ in tokens if _is_code(code)]
    out: list[str] = []
    position = 0
    for code, text in tokens:
        if _is_code(code):
            out.append(_render(code, _is_minute(codes, position), clock))
            position += 1
        else:
            out.append(text or code)
    return "".join(out)


def _is_code(token: str) -> bool:
    lower = token.lower()
    return bool(lower) and (lower[0] in "ymdhs[" or lower in ("am/pm", "a/p") or lower.startswith(".0"))


def _render(code: str, minute: bool, clock: dict[str, float | bool]) -> str:  # noqa: PLR0911 - one return per code
    """One date or time code for a moment (whole days and seconds into the day)."""
    lower, days, seconds = code.lower(), int(clock["days"]), float(clock["seconds"])
    hour = int(seconds // 3600)
    if lower[0] == "[":
        total = {"h": days * 24 + hour, "m": days * 1440 + int(seconds // 60), "s": days * 86400 + int(seconds)}
        return str(total[lower[1]]).zfill(len(lower) - 2)
    if lower in ("am/pm", "a/p"):
        mark = ("AM" if hour < 12 else "PM")[: 2 if lower == "am/pm" else 1]
        return mark.lower() if code[0].islower() else mark
    if lower.startswith("."):
        return LOCALE.get().decimal + f"{seconds % 1:.{len(lower) - 1}f}"[2:]
    if lower[0] == "h":
        shown = hour % 12 or 12 if clock["twelve"] else hour
        return str(shown).zfill(min(len(lower), 2))
    if lower[0] == "s":
        return str(int(seconds % 60)).zfill(min(len(lower), 2))
    if lower[0] == "m" and minute:
        return str(int(seconds // 60 % 60)).zfill(len(lower))
    return _calendar(lower, days)


def _calendar(lower: str, days: int) -> str:
    """A year, month or day code."""
    year, month, day = date_parts(float(days))
    locale = LOCALE.get()
    if lower[0] == "y":
        return f"{year % 100:02d}" if len(lower) <= 2 else f"{year:04d}"
    if lower[0] == "d":
        if len(lower) <= 2:
            return str(day).zfill(len(lower))
        weekday = monday_index(days)
        return locale.day_abbreviations[weekday] if len(lower) == 3 else locale.days[weekday]
    if lower[0] == "m":
        name = locale.months[month - 1]
        names = {3: locale.month_abbreviations[month - 1], 4: name, 5: name[0]}
        return str(month).zfill(len(lower)) if len(lower) <= 2 else names.get(len(lower), name)
    return lower
