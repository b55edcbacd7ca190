"""Date and time functions on serial numbers in the workbook's date system (see :data:`values.DATE_1904`)."""

from __future__ import annotations

import calendar
import datetime as dt
import math

from jbjr_budget.formula_engine.functions.coerce import integer, num
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NUM, Scalar, excel_date, serial_date

__all__: list[str] = []


def _date(value: Scalar) -> dt.date:
    number = num(value)
    try:
        return excel_date(number)
    except (ValueError, OverflowError):
        raise Failure(NUM) from None


@register("DATE")
def date(year: Scalar, month: Scalar, day: Scalar) -> Scalar:
    """DATE: months and days overflow into the next year or month."""
    y, m, d = integer(year), integer(month), integer(day)
    if 0 <= y < 1900:
        y += 1900
    first_year, first_month = divmod(y * 12 + m - 1, 12)
    if not 1900 <= first_year <= 9999:
        raise Failure(NUM)
    serial = serial_date(dt.date(first_year, first_month + 1, 1)) + d - 1
    if serial < 0:
        raise Failure(NUM)
    return serial


@register("YEAR")
def year(value: Scalar) -> Scalar:
    """YEAR."""
    return float(_date(value).year) if num(value) >= 1 else 1900.0


@register("MONTH")
def month(value: Scalar) -> Scalar:
    """MONTH."""
    return float(_date(value).month) if num(value) >= 1 else 1.0


@register("DAY")
def day(value: Scalar) -> Scalar:
    """DAY."""
    return float(_date(value).day) if num(value) >= 1 else 0.0


def _add_months(value: Scalar, months: Scalar) -> tuple[int, int, int]:
    start = _date(value)
    new_year, new_month = divmod(start.year * 12 + start.month - 1 + integer(months), 12)
    if not 1900 <= new_year <= 9999:
        raise Failure(NUM)
    return new_year, new_month + 1, min(start.day, calendar.monthrange(new_year, new_month + 1)[1])


@register("EDATE")
def edate(start: Scalar, months: Scalar) -> Scalar:
    """EDATE: the same day ``months`` later, or the month's last day."""
    return serial_date(dt.date(*_add_months(start, months)))


@register("EOMONTH")
def eomonth(start: Scalar, months: Scalar) -> Scalar:
    """EOMONTH: the last day of the month ``months`` later."""
    new_year, new_month, _ = _add_months(start, months)
    return serial_date(dt.date(new_year, new_month, calendar.monthrange(new_year, new_month)[1]))


@register("DAYS")
def days(end: Scalar, start: Scalar) -> Scalar:
    """DAYS."""
    return float(math.floor(num(end)) - math.floor(num(start)))


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
