"""Text that Excel reads as a number: currency, thousands separators, parentheses, dates and times.

Arithmetic on text (``"$1,000"+1``) and VALUE read text as Excel in the en-US locale does (the
locale LibreOffice runs in for the tests): ``$``, ``,`` between thousands, ``.`` for decimals,
dates as ``2024-01-31``, ``1/31/2024``, ``31-Jan-2024`` or ``Jan 31, 2024``, times as ``12:30``,
``12:30:15`` or ``2:30 PM``, a date followed by a time. In nl-NL (:data:`.locales.LOCALE`; the caller
has swapped ``.`` and ``,`` already) the currency is ``€`` (``€ -5`` too) and dates are day first:
``31-12-2026``, ``31/12/2026``, ``1 januari 2026``, ``1-mrt-2026`` and ``2026-12-31``.
"""

from __future__ import annotations

import datetime as dt
import re

from jbjr_budget.formula_engine.locales import LOCALE, LOCALES
from jbjr_budget.formula_engine.serials import DATE_1904, serial_date

__all__ = ["read_date_time", "read_number"]

_AMOUNT = re.compile(r"(?P<sign>[-+]?)\s*(?P<currency>[$€]?)\s*(?P<minus>-?)"
                     r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d*\.?\d+(?:[eE][-+]?\d+)?|\d+\.)\s*(?P<percent>%?)")
# Month names read in dates: en-US by their first three letters, nl-NL in full or abbreviated.
_MONTHS = {locale.name: {name.lower(): number for names in (locale.months, locale.month_abbreviations)
                         for number, name in enumerate(names, start=1) if len(name) == 3 or locale.day_first}
           for locale in LOCALES.values()}
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2}(?:\.\d+)?))?\s*(?P<half>[AaPp][Mm])?"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
_NAMED = r"(?P<day>\d{1,2})[- ](?P<name>[A-Za-z]{3,9})\.?[- ](?P<year>\d{2,4})"
_DATES = {day_first: [re.compile(pattern + rf"(?:\s+{_TIME})?") for pattern in patterns] for day_first, patterns in (
    (False, (_ISO, r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2,4})", _NAMED,
             r"(?P<name>[A-Za-z]{3,9})\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")),
    (True, (_ISO, r"(?P<day>\d{1,2})(?P<separator>[-/])(?P<month>\d{1,2})(?P=separator)(?P<year>\d{2,4})", _NAMED)),
)}
_TIME_ONLY = re.compile(_TIME)


def read_number(text: str) -> float | None:
    """The number a text stands for, or None when Excel would not read it as one.

    Examples:
        >>> read_number("$1,000"), read_number("(5)"), read_number("12%"), read_number("1,00")
        (1000.0, -5.0, 0.12, None)
    """
    stripped = text.strip()
    negative = stripped.startswith("(") and stripped.endswith(")")
    if negative:
        stripped = stripped[1:-1].strip()
    match = _AMOUNT.fullmatch(stripped)
    if match is not None and _currency(match):
        number = float(match["digits"].replace(",", ""))
        number = -number if "-" in (match["sign"], match["minus"]) else number
        number = number / 100 if match["percent"] else number
        return -number if negative else number
    return None if negative else read_date_time(stripped)


def _currency(match: re.Match[str]) -> bool:
    """Whether an amount's currency sign (if any) is the locale's, a minus after it only in nl-NL (``€ -5``)."""
    sign = LOCALE.get().currency[0][0]
    return match["currency"] in ("", sign) and not (match["minus"] and (match["sign"] or sign == "$"))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900  # Excel's two-digit-year window
    return year


def _fraction(match: re.Match[str]) -> float | None:
    """The part of a day a matched time stands for; None when it is no time."""
    if match["hour"] is None:
        return 0.0
    hour, minute, second = int(match["hour"]), int(match["minute"]), float(match["second"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].lower() == "pm" else 0)
    if minute > 59 or second >= 60:
        return None
    return (hour * 3600 + minute * 60 + second) / 86400


def _month(name: str, locale: str) -> int | None:
    """The number of a month's name or abbreviation (en-US: its first three letters)."""
    names = _MONTHS[locale]
    return names.get(name.lower()) or names.get(name[:3].lower())


def read_date_time(text: str) -> float | None:
    """The serial number of a date, a time or a date with a time written as text; None when it is neither.

    Examples:
        >>> read_date_time("2024-01-31"), read_date_time("18:00"), read_date_time("1899-12-31")
        (45322.0, 0.75, None)
    """
    locale = LOCALE.get()
    for pattern in _DATES[locale.day_first]:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        fraction = _fraction(match)
        month = int(match["month"]) if "month" in match.re.groupindex else _month(match["name"], locale.name)
        if month is None or fraction is None:
            return None
        try:
            date = dt.date(_year(match["year"]), month, int(match["day"]))
        except ValueError:
            return None
        first = dt.date(1904, 1, 1) if DATE_1904.get() else dt.date(1900, 1, 1)
        return serial_date(date) + fraction if date >= first else None  # earlier dates stay text
    match = _TIME_ONLY.fullmatch(text)
    return _fraction(match) if match is not None else None
