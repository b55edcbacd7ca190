"""Date and time, second half: weekdays, week numbers, working days and spans between dates (YEARFRAC, DATEDIF)."""

from __future__ import annotations

from jbjr_budget.formula_engine.functions.coerce import flat, integer, logical, scalar, text
from jbjr_budget.formula_engine.functions.date_time import date_of, day_number, month_days, parts, serial
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.serials import DATE_1904
from jbjr_budget.formula_engine.values import NUM, VALUE, Array, ExcelError, Scalar

__all__ = ["monday_index"]

# Excel's weekend codes: the weekdays (Monday 0) that are not working days.
_WEEKENDS = {1: {5, 6}, 2: {6, 0}, 3: {0, 1}, 4: {1, 2}, 5: {2, 3}, 6: {3, 4}, 7: {4, 5},
             **{code: {(code - 12) % 7} for code in range(11, 18)}}
_WEEK_STARTS = {1: 6, 2: 0, **{code: (code - 11) % 7 for code in range(11, 18)}}


def monday_index(days: int) -> int:
    """The weekday of a serial number, Monday 0 (serial 1, 1 January 1900, is a Sunday in Excel)."""
    return (days + (1462 if DATE_1904.get() else 0) + 5) % 7


@register("WEEKDAY")
def weekday(value: Scalar, kind: Scalar = 1.0) -> Scalar:
    """WEEKDAY: type 1 Sunday 1 to Saturday 7, 2 Monday 1, 3 Monday 0, 11-17 a chosen first day as 1."""
    monday = monday_index(day_number(value))
    code = integer(1.0 if kind is None else kind)
    if code == 3:
        return float(monday)
    first = 6 if code == 1 else _WEEK_STARTS.get(code)
    if first is None:
        raise Failure(NUM)
    return float((monday - first) % 7 + 1)


@register("WEEKNUM")
def weeknum(value: Scalar, kind: Scalar = 1.0) -> Scalar:
    """WEEKNUM: week 1 holds 1 January (type 21: ISO weeks); weeks start on the type's day."""
    code = integer(1.0 if kind is None else kind)
    if code == 21:
        return isoweeknum(value)
    first = _WEEK_STARTS.get(code)
    if first is None:
        raise Failure(NUM)
    days = day_number(value)
    year_ = parts(days)[0]
    january = int(serial(year_, 1, 1))
    offset = (monday_index(january) - first) % 7
    return float((days - january + offset) // 7 + 1)


@register("ISOWEEKNUM")
def isoweeknum(value: Scalar) -> Scalar:
    """ISOWEEKNUM: the ISO 8601 week (weeks start on Monday; week 1 holds the first Thursday)."""
    return float(date_of(value).isocalendar()[1])


def _weekend(code: Scalar) -> set[int]:
    if isinstance(code, str):
        if len(code) != 7 or set(code) - {"0", "1"} or code == "1111111":
            raise Failure(VALUE)
        return {index for index, flag in enumerate(code) if flag == "1"}
    found = _WEEKENDS.get(integer(1.0 if code is None else code))
    if found is None:
        raise Failure(NUM)
    return found


def _holidays(values: Scalar | Array) -> set[int]:
    found: set[int] = set()
    for item, _ in flat((values,)):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if item is not None:
            found.add(day_number(item))
    return found


def _working_days(start: Scalar, end: Scalar, weekend: set[int], holidays: set[int]) -> float:
    first, last = day_number(start), day_number(end)
    step = 1 if last >= first else -1
    count = sum(1 for days in range(first, last + step, step)
                if monday_index(days) not in weekend and days not in holidays)
    return float(count * step)


@register("NETWORKDAYS", arrays=True)
def networkdays(start: Scalar | Array, end: Scalar | Array, holidays: Scalar | Array = None) -> Scalar:
    """NETWORKDAYS: working days from start to end, both included, Saturday and Sunday off."""
    return networkdays_intl(start, end, 1.0, holidays)


@register("NETWORKDAYS.INTL", arrays=True)
def networkdays_intl(start: Scalar | Array, end: Scalar | Array, weekend: Scalar | Array = 1.0,
                     holidays: Scalar | Array = None) -> Scalar:
    """NETWORKDAYS.INTL: as NETWORKDAYS with a weekend code (1-7, 11-17) or mask such as ``"0000011"``."""
    return _working_days(scalar(start), scalar(end), _weekend(scalar(weekend)), _holidays(holidays))


def _workday(start: Scalar, count: Scalar, weekend: set[int], holidays: set[int]) -> float:
    days, remaining = day_number(start), integer(count)
    step = 1 if remaining >= 0 else -1
    while remaining:
        days += step
        if monday_index(days) not in weekend and days not in holidays:
            remaining -= step
    return float(day_number(float(days)))


@register("WORKDAY", arrays=True)
def workday(start: Scalar | Array, count: Scalar | Array, holidays: Scalar | Array = None) -> Scalar:
    """WORKDAY: the working day ``count`` working days after (or before) the start."""
    return workday_intl(start, count, 1.0, holidays)


@register("WORKDAY.INTL", arrays=True)
def workday_intl(start: Scalar | Array, count: Scalar | Array, weekend: Scalar | Array = 1.0,
                 holidays: Scalar | Array = None) -> Scalar:
    """WORKDAY.INTL: as WORKDAY with a weekend code or mask."""
    return _workday(scalar(start), scalar(count), _weekend(scalar(weekend)), _holidays(holidays))


# -- spans ---------------------------------------------------------------------------------------------

def _thirty(start: tuple[int, int, int], end: tuple[int, int, int]) -> int:
    """Days between two dates on 30-day months, after the day adjustments."""
    return (end[0] - start[0]) * 360 + (end[1] - start[1]) * 30 + end[2] - start[2]


def _last_of_february(date: tuple[int, int, int]) -> bool:
    return date[1] == 2 and date[2] == month_days(date[0], 2)


def _us_thirty(start: tuple[int, int, int], end: tuple[int, int, int]) -> int:
    """YEARFRAC's US (NASD) 30/360: the 31st and the end of February count as the 30th."""
    (y1, m1, d1), (y2, m2, d2) = start, end
    if _last_of_february(start) and _last_of_february(end):
        d2 = 30
    if _last_of_february(start) or d1 == 31:
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return _thirty((y1, m1, d1), (y2, m2, d2))


def _actual_year(start: tuple[int, int, int], end: tuple[int, int, int]) -> float:
    """The year length basis 1 divides by: 365 or 366 within a year, else the average over the years touched."""
    within = start[0] == end[0] or (end[0] == start[0] + 1 and (start[1], start[2]) >= (end[1], end[2]))
    if not within:
        years = range(start[0], end[0] + 1)
        return sum(365 + (month_days(y, 2) == 29) for y in years) / len(years)
    if start[0] == end[0]:
        return 366.0 if month_days(start[0], 2) == 29 else 365.0
    leap_start = month_days(start[0], 2) == 29 and (start[1], start[2]) <= (2, 29)
    leap_end = month_days(end[0], 2) == 29 and (end[1], end[2]) >= (2, 29)
    return 366.0 if leap_start or leap_end else 365.0


@register("YEARFRAC")
def yearfrac(start: Scalar, end: Scalar, basis: Scalar = 0.0) -> Scalar:
    """YEARFRAC: the fraction of a year between two dates, on basis 0 (30/360 US), 1 (actual), 2, 3 or 4."""
    first, last = day_number(start), day_number(end)
    code = integer(0.0 if basis is None else basis)
    if not 0 <= code <= 4:
        raise Failure(NUM)
    if first > last:
        first, last = last, first
    a, b = parts(float(first)), parts(float(last))
    if code == 0:
        return _us_thirty(a, b) / 360
    if code == 1:
        return (last - first) / _actual_year(a, b)
    if code == 4:
        return _thirty((a[0], a[1], min(a[2], 30)), (b[0], b[1], min(b[2], 30))) / 360
    return (last - first) / (360 if code == 2 else 365)


@register("DAYS360")
def days360(start: Scalar, end: Scalar, european: Scalar = False) -> Scalar:
    """DAYS360: days on 30-day months, by the US method (or the European one)."""
    a, b = parts(start), parts(end)
    if european is not None and logical(european):
        return float(_thirty((a[0], a[1], min(a[2], 30)), (b[0], b[1], min(b[2], 30))))
    d1 = 30 if a[2] == 31 or _last_of_february(a) else a[2]
    y2, m2, d2 = b
    if d2 == 31:
        if d1 < 30:
            y2, m2, d2 = (y2 + 1, 1, 1) if m2 == 12 else (y2, m2 + 1, 1)
        else:
            d2 = 30
    return float(_thirty((a[0], a[1], d1), (y2, m2, d2)))


@register("DATEDIF")
def datedif(start: Scalar, end: Scalar, unit: Scalar) -> Scalar:
    """DATEDIF: whole years (Y), months (M) or days (D) between two dates; MD, YM and YD ignore the larger units."""
    first, last = day_number(start), day_number(end)
    if first > last:
        raise Failure(NUM)
    (y1, m1, d1), (y2, m2, d2) = parts(float(first)), parts(float(last))
    months = (y2 - y1) * 12 + m2 - m1 - (d2 < d1)
    spans = {"Y": months // 12, "M": months, "D": last - first, "YM": months % 12}
    chosen = text(unit).upper()
    if chosen in spans:
        return float(spans[chosen])
    if chosen == "MD":
        return float(d2 - d1 if d2 >= d1 else d2 + month_days(*_month_before(y2, m2)) - d1)
    if chosen == "YD":
        anniversary = serial(y2 - ((m2, d2) < (m1, d1)), m1, min(d1, month_days(y2, m1)))
        return float(last - anniversary)
    raise Failure(NUM)


def _month_before(year_: int, month_: int) -> tuple[int, int]:
    return (year_ - 1, 12) if month_ == 1 else (year_, month_ - 1)

