"""Date and time functions on serial numbers in the workbook's date system (see :data:`serials.DATE_1904`).

In the 1900 system Excel keeps Lotus 1-2-3's phantom 29 February 1900 (serial 60) and calls serial 0
the 0th of January 1900; both are honoured. Negative serials are #NUM!.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

from jbjr_budget.formula_engine.functions.coerce import integer, num, text
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.number_text import read_date_time
from jbjr_budget.formula_engine.serials import DATE_1904, excel_date, serial_date
from jbjr_budget.formula_engine.values import NUM, VALUE, Scalar

__all__ = ["date_of", "day_number", "month_days", "parts", "serial"]

_LAST_SERIAL = 2_958_465  # 31 December 9999 in the 1900 system


def day_number(value: Scalar) -> int:
    """The whole serial number of a date argument; negative or beyond 9999 is #NUM!."""
    number = num(value)
    limit = _LAST_SERIAL - (1462 if DATE_1904.get() else 0)
    if not 0 <= number < limit + 1:
        raise Failure(NUM)
    return math.floor(number)


def parts(value: Scalar) -> tuple[int, int, int]:
    """Year, month and day of a serial number, including 0 January and 29 February 1900."""
    days = day_number(value)
    if not DATE_1904.get() and days in (0, 60):
        return (1900, 1, 0) if days == 0 else (1900, 2, 29)
    date = excel_date(days)
    return date.year, date.month, date.day


def date_of(value: Scalar) -> dt.date:
    """The date of a serial number (0 January 1900 reads as 31 December 1899, 29 February 1900 as 1 March)."""
    days = day_number(value)
    if DATE_1904.get() or days not in (0, 60):
        return excel_date(days)
    return dt.date(1899, 12, 31) if days == 0 else dt.date(1900, 3, 1)


@register("DATE")
def date(year: Scalar, month: Scalar, day: Scalar) -> Scalar:
    """DATE: months and days overflow into the next year or month; years 0-1899 count from 1900."""
    y, m, d = integer(year), integer(month), integer(day)
    if 0 <= y < 1900:
        y += 1900
    first_year, first_month = divmod(y * 12 + m - 1, 12)
    if not 1900 <= first_year <= 9999:
        raise Failure(NUM)
    found = serial(first_year, first_month + 1, d)
    day_number(found)
    return found


@register("YEAR")
def year(value: Scalar) -> Scalar:
    """YEAR."""
    return float(parts(value)[0])


@register("MONTH")
def month(value: Scalar) -> Scalar:
    """MONTH."""
    return float(parts(value)[1])


@register("DAY")
def day(value: Scalar) -> Scalar:
    """DAY."""
    return float(parts(value)[2])


def month_days(year_: int, month_: int) -> int:
    """Days in a month; February 1900 has 29 in the 1900 system, as Excel counts."""
    if (year_, month_) == (1900, 2) and not DATE_1904.get():
        return 29
    return calendar.monthrange(year_, month_)[1]


def serial(year_: int, month_: int, day_: int) -> float:
    """The serial number of a year, month and day (day 0 is the last day of the month before)."""
    return serial_date(dt.date(year_, month_, 1)) + day_ - 1


def _add_months(value: Scalar, months: Scalar) -> tuple[int, int, int]:
    start_year, start_month, start_day = parts(value)
    new_year, new_month = divmod(start_year * 12 + start_month - 1 + integer(months), 12)
    if not 1900 <= new_year <= 9999:
        raise Failure(NUM)
    return new_year, new_month + 1, min(start_day, month_days(new_year, new_month + 1))


@register("EDATE")
def edate(start: Scalar, months: Scalar) -> Scalar:
    """EDATE: the same day ``months`` later, or the month's last day."""
    return serial(*_add_months(start, months))


@register("EOMONTH")
def eomonth(start: Scalar, months: Scalar) -> Scalar:
    """EOMONTH: the last day of the month ``months`` later."""
    new_year, new_month, _ = _add_months(start, months)
    return serial(new_year, new_month, month_days(new_year, new_month))


@register("DAYS")
def days(end: Scalar, start: Scalar) -> Scalar:
    """DAYS."""
    return float(day_number(end) - day_number(start))


# -- times ---------------------------------------------------------------------------------------------

def _seconds(value: Scalar) -> int:
    """The second of the day a serial number stands for, rounded to the nearest second."""
    number = num(value)
    if number < 0:
        raise Failure(NUM)
    return round((number - math.floor(number)) * 86400) % 86400


@register("HOUR")
def hour(value: Scalar) -> Scalar:
    """HOUR."""
    return float(_seconds(value) // 3600)


@register("MINUTE")
def minute(value: Scalar) -> Scalar:
    """MINUTE."""
    return float(_seconds(value) // 60 % 60)


@register("SECOND")
def second(value: Scalar) -> Scalar:
    """SECOND."""
    return float(_seconds(value) % 60)


@register("TIME")
def time(hours: Scalar, minutes: Scalar, seconds: Scalar) -> Scalar:
    """TIME: the part of a day; hours, minutes and seconds overflow, a whole day wraps to 0."""
    values = [integer(hours), integer(minutes), integer(seconds)]
    if any(value > 32_767 for value in values):
        raise Failure(NUM)
    total = values[0] * 3600 + values[1] * 60 + values[2]
    if total < 0:
        raise Failure(NUM)
    return total % 86400 / 86400


def _read(value: Scalar) -> float:
    read = read_date_time(text(value).strip()) if isinstance(value, str) else None
    if read is None:
        raise Failure(VALUE)
    return read


@register("DATEVALUE")
def datevalue(value: Scalar) -> Scalar:
    """DATEVALUE: the serial number of a date written as text."""
    read = _read(value)
    if read < 1:
        raise Failure(VALUE)
    return float(math.floor(read))


@register("TIMEVALUE")
def timevalue(value: Scalar) -> Scalar:
    """TIMEVALUE: the part of a day a time written as text stands for."""
    read = _read(value)
    return read - math.floor(read)


def _now() -> dt.datetime:
    """The local wall-clock time."""
    return dt.datetime.now(dt.UTC).astimezone().replace(tzinfo=None)


@register("TODAY", volatile=True)
def today() -> Scalar:
    """TODAY: the serial number of today's date."""
    return serial_date(_now().date())


@register("NOW", volatile=True)
def now() -> Scalar:
    """NOW: today's serial number plus the fraction of the day passed."""
    moment = _now()
    return serial_date(moment.date()) + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
