"""Information functions: what kind of value a cell holds."""

from __future__ import annotations

import math

from jbjr_budget.formula_engine.functions.coerce import num
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register
from jbjr_budget.formula_engine.values import NA, VALUE, Array, ExcelError, Ref, Scalar, Value

__all__: list[str] = []


@register("ISBLANK")
def isblank(value: Scalar) -> Scalar:
    """ISBLANK: an empty cell (not empty text)."""
    return value is None


@register("ISNUMBER")
def isnumber(value: Scalar) -> Scalar:
    """ISNUMBER."""
    return type(value) is float


@register("ISTEXT")
def istext(value: Scalar) -> Scalar:
    """ISTEXT."""
    return isinstance(value, str)


@register("ISLOGICAL")
def islogical(value: Scalar) -> Scalar:
    """ISLOGICAL."""
    return isinstance(value, bool)


@register("ISERROR")
def iserror(value: Scalar) -> Scalar:
    """ISERROR."""
    return isinstance(value, ExcelError)


@register("ISERR")
def iserr(value: Scalar) -> Scalar:
    """ISERR: an error other than #N/A."""
    return isinstance(value, ExcelError) and value != NA


@register("ISNA")
def isna(value: Scalar) -> Scalar:
    """ISNA."""
    return value == NA


@register("NA")
def na() -> Scalar:
    """NA()."""
    return NA


@register("ISNONTEXT")
def isnontext(value: Scalar) -> Scalar:
    """ISNONTEXT: anything but text, a blank cell included."""
    return not isinstance(value, str)


def _integer_part(value: Scalar) -> int:
    if isinstance(value, bool):
        raise Failure(VALUE)
    return math.trunc(num(value))


@register("ISEVEN")
def iseven(value: Scalar) -> Scalar:
    """ISEVEN: of the integer part."""
    return _integer_part(value) % 2 == 0


@register("ISODD")
def isodd(value: Scalar) -> Scalar:
    """ISODD: of the integer part."""
    return _integer_part(value) % 2 == 1


@register("ISREF", references=True)
def isref(context: Context, value: Value) -> Scalar:
    """ISREF: whether the argument is a reference (a cell, a range, OFFSET's result)."""
    return isinstance(value, Ref)


@register("N")
def n(value: Scalar) -> Scalar:
    """N: a number as itself, TRUE as 1, anything else as 0; errors stay."""
    if isinstance(value, ExcelError):
        return value
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return value if isinstance(value, float) else 0.0


@register("T")
def t(value: Scalar) -> Scalar:
    """T: text as itself, anything else as empty text; errors stay."""
    if isinstance(value, ExcelError):
        return value
    return value if isinstance(value, str) else ""


@register("TYPE", arrays=True)
def type_(value: Scalar | Array) -> Scalar:
    """TYPE: 1 number (or blank), 2 text, 4 logical, 16 error, 64 array."""
    if isinstance(value, list):
        if len(value) > 1 or len(value[0]) > 1:
            return 64.0
        value = value[0][0]
    if isinstance(value, bool):
        return 4.0
    if isinstance(value, str):
        return 2.0
    return 16.0 if isinstance(value, ExcelError) else 1.0


_ERROR_NUMBERS = {"#NULL!": 1.0, "#DIV/0!": 2.0, "#VALUE!": 3.0, "#REF!": 4.0, "#NAME?": 5.0, "#NUM!": 6.0,
                  "#N/A": 7.0, "#GETTING_DATA": 8.0, "#SPILL!": 9.0, "#CALC!": 14.0}


@register("ERROR.TYPE")
def error_type(value: Scalar) -> Scalar:
    """ERROR.TYPE: the number of an error value (#NULL! 1 ... #N/A 7); not an error is #N/A."""
    if not isinstance(value, ExcelError):
        return NA
    return _ERROR_NUMBERS.get(value.code, NA)
