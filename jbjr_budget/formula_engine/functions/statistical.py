"""Statistical functions: averages, extremes, counts and their conditional forms."""

from __future__ import annotations

import math

from jbjr_budget.formula_engine.functions.coerce import flat, grid, num, numbers
from jbjr_budget.formula_engine.functions.criteria import conditional, if_values, selected
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register
from jbjr_budget.formula_engine.values import DIV0, NUM, Array, ExcelError, Scalar, Value, to_number

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
def countif(where: Scalar | Array, given: Scalar | Array) -> Value:
    """COUNTIF."""
    return conditional([where, given], lambda mask, _: float(sum(mask)))


@register("COUNTIFS", arrays=True)
def countifs(*pairs: Scalar | Array) -> Value:
    """COUNTIFS."""
    return conditional(pairs, lambda mask, _: float(sum(mask)))


@register("AVERAGEIF", references=True)
def averageif(context: Context, where: Value, given: Value, target: Value = None) -> Value:
    """AVERAGEIF: the average range is as large as the criteria range, from its top-left cell."""
    return if_values(context, where, given, target, _mean)


@register("AVERAGEIFS", arrays=True)
def averageifs(target: Scalar | Array, *pairs: Scalar | Array) -> Value:
    """AVERAGEIFS."""
    return conditional(pairs, lambda mask, shape: _mean(selected(target, mask, shape)))


@register("MINIFS", arrays=True)
def minifs(target: Scalar | Array, *pairs: Scalar | Array) -> Value:
    """MINIFS: 0 when nothing matches."""
    return conditional(pairs, lambda mask, shape: min(selected(target, mask, shape), default=0.0))


@register("MAXIFS", arrays=True)
def maxifs(target: Scalar | Array, *pairs: Scalar | Array) -> Value:
    """MAXIFS: 0 when nothing matches."""
    return conditional(pairs, lambda mask, shape: max(selected(target, mask, shape), default=0.0))


# -- spread --------------------------------------------------------------------------------------------

def _all_values(args: tuple[Scalar | Array, ...]) -> list[float]:
    """Numbers as the ...A functions see them: in ranges text counts 0 and logicals 0 or 1; errors fail."""
    found: list[float] = []
    for item, in_range in flat(args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if item is None:
            continue
        if in_range and not isinstance(item, float):
            found.append(1.0 if item is True else 0.0)
        else:
            found.append(num(item))
    return found


def _squares(found: list[float]) -> float:
    """The sum of squared deviations from the mean (two passes, as Excel computes it)."""
    mean = math.fsum(found) / len(found)
    return math.fsum((value - mean) ** 2 for value in found)


def _variance(found: list[float], *, sample: bool) -> float:
    if len(found) < (2 if sample else 1):
        raise Failure(DIV0)
    return _squares(found) / (len(found) - (1 if sample else 0))


@register("VAR", "VAR.S", arrays=True)
def var_s(*args: Scalar | Array) -> Scalar:
    """VAR and VAR.S: the sample variance."""
    return _variance(numbers(args), sample=True)


@register("VARP", "VAR.P", arrays=True)
def var_p(*args: Scalar | Array) -> Scalar:
    """VARP and VAR.P: the population variance."""
    return _variance(numbers(args), sample=False)


@register("STDEV", "STDEV.S", arrays=True)
def stdev_s(*args: Scalar | Array) -> Scalar:
    """STDEV and STDEV.S: the sample standard deviation."""
    return math.sqrt(_variance(numbers(args), sample=True))


@register("STDEVP", "STDEV.P", arrays=True)
def stdev_p(*args: Scalar | Array) -> Scalar:
    """STDEVP and STDEV.P: the population standard deviation."""
    return math.sqrt(_variance(numbers(args), sample=False))


@register("VARA", arrays=True)
def vara(*args: Scalar | Array) -> Scalar:
    """VARA: the sample variance, text in ranges counting 0."""
    return _variance(_all_values(args), sample=True)


@register("STDEVA", arrays=True)
def stdeva(*args: Scalar | Array) -> Scalar:
    """STDEVA: the sample standard deviation, text in ranges counting 0."""
    return math.sqrt(_variance(_all_values(args), sample=True))


@register("DEVSQ", arrays=True)
def devsq(*args: Scalar | Array) -> Scalar:
    """DEVSQ: the sum of squared deviations from the mean."""
    found = numbers(args)
    if not found:
        raise Failure(NUM)
    return _squares(found)


@register("AVEDEV", arrays=True)
def avedev(*args: Scalar | Array) -> Scalar:
    """AVEDEV: the mean absolute deviation from the mean."""
    found = numbers(args)
    if not found:
        raise Failure(NUM)
    mean = math.fsum(found) / len(found)
    return math.fsum(abs(value - mean) for value in found) / len(found)


@register("AVERAGEA", arrays=True)
def averagea(*args: Scalar | Array) -> Scalar:
    """AVERAGEA: text in ranges counts 0, TRUE 1."""
    return _mean(_all_values(args))


@register("MAXA", arrays=True)
def maxa(*args: Scalar | Array) -> Scalar:
    """MAXA: text in ranges counts 0, TRUE 1."""
    return max(_all_values(args), default=0.0)


@register("MINA", arrays=True)
def mina(*args: Scalar | Array) -> Scalar:
    """MINA: text in ranges counts 0, TRUE 1."""
    return min(_all_values(args), default=0.0)


@register("GEOMEAN", arrays=True)
def geomean(*args: Scalar | Array) -> Scalar:
    """GEOMEAN: of positive numbers."""
    found = numbers(args)
    if not found or any(value <= 0 for value in found):
        raise Failure(NUM)
    return math.exp(math.fsum(math.log(value) for value in found) / len(found))


@register("HARMEAN", arrays=True)
def harmean(*args: Scalar | Array) -> Scalar:
    """HARMEAN: of positive numbers."""
    found = numbers(args)
    if not found or any(value <= 0 for value in found):
        raise Failure(NUM)
    return len(found) / math.fsum(1 / value for value in found)
