"""Excel serial numbers of dates, in the workbook's date system (1900, or 1904 for old Mac files)."""

from __future__ import annotations

import datetime as dt
import math
from contextvars import ContextVar

__all__ = ["DATE_1904", "excel_date", "serial_date"]

_EPOCH = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)
# Whether the workbook being evaluated counts dates from 1904 (``<workbookPr date1904="1"/>``, old Mac files).
# The evaluator sets it per workbook; date functions and date conversions read it.
DATE_1904: ContextVar[bool] = ContextVar("DATE_1904", default=False)


def excel_date(serial: float) -> dt.date:
    """The date of a serial number in the workbook's date system (:data:`DATE_1904`).

    In the 1900 system serial 60 is Excel's phantom 29 February 1900, which Python cannot represent:
    it raises ValueError, as do serials before the first day of the system.
    """
    days = math.floor(serial)
    if DATE_1904.get():
        if days < 0:
            raise ValueError(serial)
        return _EPOCH_1904 + dt.timedelta(days=days)
    if days < 1 or days == 60:
        raise ValueError(serial)
    if days < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=days)
    return _EPOCH + dt.timedelta(days=days)


def serial_date(date: dt.date) -> float:
    """The serial number of a date in the workbook's date system (:data:`DATE_1904`)."""
    if DATE_1904.get():
        return float((date - _EPOCH_1904).days)
    days = (date - _EPOCH).days
    return float(days - 1 if days < 61 else days)
