"""Statistical functions: averages, extremes, counts and their conditional forms."""

from __future__ import annotations

import math

from jbjr_budget.formula_engine.functions.coerce import flat, grid, numbers
from jbjr_budget.formula_engine.functions.criteria import if_selected, matching, selected
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register
from jbjr_budget.formula_engine.values import DIV0, Array, ExcelError, Scalar, Value, to_number

__all__: list[str] = []


def _mean(found: list[float]) -> float:
    if not found:
        raise Failure(DIV0)
    return math.fsum(found) / len(found)


@register("AVERAGE", arrays=True)
def average(*args: Scalar | Array) -> Scalar:
    """AVERAGE."""
    return _mean(numbers(args))


@register("MIN", arrays=True)
def min_(*args: Scalar | Array) -> Scalar:
    """MIN: 0 when there are no numbers."""
    return min(numbers(args), default=0.0)


@register("MAX", arrays=True)
def max_(*args: Scalar | Array) -> Scalar:
    """MAX: 0 when there are no numbers."""
    return max(numbers(args), default=0.0)


@register("COUNT", arrays=True)
def count(*args: Scalar | Array) -> Scalar:
    """COUNT: numbers in ranges, direct arguments that read as numbers."""
    found = 0
    for item, in_range in flat(args):
        if type(item) is float or (not in_range and item is not None and not isinstance(to_number(item), ExcelError)):
            found += 1
    return float(found)


@register("COUNTA", arrays=True)
def counta(*args: Scalar | Array) -> Scalar:
    """COUNTA: everything but blank cells."""
    return float(sum(1 for item, _ in flat(args) if item is not None))


@register("COUNTBLANK", arrays=True)
def countblank(values: Scalar | Array) -> Scalar:
    """COUNTBLANK: blank cells and empty text."""
    return float(sum(1 for row in grid(values) for item in row if item is None or item == ""))


@register("COUNTIF", arrays=True)
def countif(where: Scalar | Array, given: Scalar | Array) -> Scalar:
    """COUNTIF."""
    return float(sum(matching([where, given])[0]))


@register("COUNTIFS", arrays=True)
def countifs(*pairs: Scalar | Array) -> Scalar:
    """COUNTIFS."""
    return float(sum(matching(pairs)[0]))


@register("AVERAGEIF", references=True)
def averageif(context: Context, where: Value, given: Value, target: Value = None) -> Scalar:
    """AVERAGEIF: the average range is as large as the criteria range, from its top-left cell."""
    return _mean(if_selected(context, where, given, target))


@register("AVERAGEIFS", arrays=True)
def averageifs(target: Scalar | Array, *pairs: Scalar | Array) -> Scalar:
    """AVERAGEIFS."""
    mask, shape = matching(pairs)
    return _mean(selected(target, mask, shape))


@register("MINIFS", arrays=True)
def minifs(target: Scalar | Array, *pairs: Scalar | Array) -> Scalar:
    """MINIFS: 0 when nothing matches."""
    mask, shape = matching(pairs)
    return min(selected(target, mask, shape), default=0.0)


@register("MAXIFS", arrays=True)
def maxifs(target: Scalar | Array, *pairs: Scalar | Array) -> Scalar:
    """MAXIFS: 0 when nothing matches."""
    mask, shape = matching(pairs)
    return max(selected(target, mask, shape), default=0.0)
