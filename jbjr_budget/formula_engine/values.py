"""Excel values and their coercions: numbers, text, booleans, blanks, errors, arrays and references."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, TypeAlias

from jbjr_budget.formula_engine.locales import LOCALE
from jbjr_budget.formula_engine.number_text import read_number
from jbjr_budget.formula_engine.serials import DATE_1904, excel_date, serial_date

__all__ = [
    "BLANK", "DATE_1904", "Array", "ExcelError", "Ref", "Scalar", "Value", "compare", "excel_date", "from_python",
    "general_text", "is_error", "serial_date", "to_bool", "to_number", "to_text",
]

BLANK = None


@dataclass(frozen=True, slots=True)
class ExcelError:
    """An Excel error value such as ``#DIV/0!``; ``reason`` is a Dutch explanation for reports."""

    code: str
    reason: str = ""

    def __eq__(self, other: object) -> bool:
        """Errors are equal when their codes are (the reason is only for reports)."""
        return isinstance(other, ExcelError) and other.code == self.code

    def __hash__(self) -> int:
        """Hash of the code, consistent with equality."""
        return hash(self.code)


class Ref(NamedTuple):
    """A rectangular range on one sheet: 1-based, inclusive bounds."""

    sheet: int
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns covered."""
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1


Scalar: TypeAlias = float | str | bool | ExcelError | None
Array: TypeAlias = list[list[Scalar]]
Value: TypeAlias = Scalar | Array | Ref

DIV0 = ExcelError("#DIV/0!")
NA = ExcelError("#N/A")
NAME = ExcelError("#NAME?")
NUM = ExcelError("#NUM!")
REF = ExcelError("#REF!")
VALUE = ExcelError("#VALUE!")
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
               "#GETTING_DATA")

_APPROX = 2.0**-48  # numbers this close count as equal, as in Excel and LibreOffice


def is_error(value: object) -> bool:
    """Whether ``value`` is an Excel error."""
    return isinstance(value, ExcelError)


def to_number(value: Scalar) -> float | ExcelError:  # noqa: PLR0911 - one return per value type
    """Coerce a scalar as Excel arithmetic does: blank is 0, TRUE is 1, numeric text is parsed."""
    if isinstance(value, float):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, str):
        text = value.strip()
        locale = LOCALE.get()
        if locale.decimal != ".":  # nl-NL: "1.234,5" is read as "1,234.5"
            text = value = text.translate(str.maketrans(locale.decimal + locale.thousands, ".,"))
        percent = text.endswith("%")
        if percent:  # "50%" is 0.5, as Excel reads typed percentages
            text = text[:-1].rstrip()
        if "_" in text:  # Python's float() accepts "1_000"; Excel does not
            return VALUE
        try:
            number = float(text)
        except ValueError:
            parsed = read_number(value)  # "$1,000", "(5)", "1/31/2024", "12:30"
            return VALUE if parsed is None else parsed
        if not math.isfinite(number):
            return VALUE
        return number / 100 if percent else number
    if isinstance(value, ExcelError):
        return value
    return float(value)


def to_bool(value: Scalar) -> bool | ExcelError:  # noqa: PLR0911 - one return per value type
    """Coerce a scalar to a logical value as IF and AND do."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0
    if value is None:
        return False
    if isinstance(value, str):
        upper = value.upper()
        if upper in ("TRUE", "FALSE"):
            return upper == "TRUE"
        return VALUE
    if isinstance(value, ExcelError):
        return value
    return bool(value)


def general_text(number: float) -> str:
    """A number as Excel's General format shows it in text (up to 15 significant digits, the locale's decimal sign).

    Examples:
        >>> general_text(10.0), general_text(0.1 + 0.2), general_text(1e20)
        ('10', '0.3', '1E+20')
    """
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').zfill(2)}"
    decimal = LOCALE.get().decimal
    return text if decimal == "." else text.replace(".", decimal)


def to_text(value: Scalar) -> str | ExcelError:
    """Coerce a scalar to text as ``&`` and CONCATENATE do."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return LOCALE.get().logicals[not value]
    if isinstance(value, float):
        return general_text(value)
    return value


def _rank(value: Scalar) -> int:
    if isinstance(value, bool):
        return 2
    if isinstance(value, str):
        return 1
    return 0


def compare(left: Scalar, right: Scalar) -> int | ExcelError:
    """Excel ordering of two scalars: numbers < text < logicals; text without case; blank adapts to the other."""
    if isinstance(left, ExcelError):
        return left
    if isinstance(right, ExcelError):
        return right
    if left is None:
        left = "" if isinstance(right, str) else (False if isinstance(right, bool) else 0.0)
    if right is None:
        right = "" if isinstance(left, str) else (False if isinstance(left, bool) else 0.0)
    rank_left, rank_right = _rank(left), _rank(right)
    if rank_left != rank_right:
        return -1 if rank_left < rank_right else 1
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.lower(), right.lower()
        return (a > b) - (a < b)
    x, y = float(left), float(right)
    if x == y or (abs(x - y) < abs(x) * _APPROX and abs(x - y) < abs(y) * _APPROX):
        return 0
    return 1 if x > y else -1


def from_python(value: object) -> Scalar | Array:
    """An Excel value for what a Python function returned (numbers, text, dates, 2D lists)."""
    if value is None or isinstance(value, str | bool | float | ExcelError):
        return value if value is not None else ""
    if isinstance(value, int | Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        midnight = dt.datetime.combine(value.date(), dt.time(), tzinfo=value.tzinfo)
        return serial_date(value.date()) + (value - midnight).total_seconds() / 86400
    if isinstance(value, dt.date):
        return serial_date(value)
    if isinstance(value, list | tuple):
        rows = [row if isinstance(row, list | tuple) else [row] for row in value]
        return [[item if type(item) in _KEPT else _cell(item) for item in row] for row in rows] or [[""]]
    return VALUE


_KEPT = frozenset({float, str, bool, type(None), ExcelError})  # table elements that are Excel values already


def _cell(value: object) -> Scalar:
    if value is None:
        return None  # an empty element of a returned table stays an empty cell
    converted = from_python(value)
    return VALUE if isinstance(converted, list) else converted
