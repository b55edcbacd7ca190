"""Information functions: what kind of value a cell holds."""

from __future__ import annotations

from jbjr_budget.formula_engine.functions.registry import register
from jbjr_budget.formula_engine.values import NA, ExcelError, Scalar

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
