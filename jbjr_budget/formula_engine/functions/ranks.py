"""Statistical, second half: order statistics (MEDIAN, LARGE, PERCENTILE, RANK, ...) and counting arrangements."""

from __future__ import annotations

import math
from collections import Counter

from jbjr_budget.formula_engine.functions.coerce import integer, num, numbers, scalar
from jbjr_budget.formula_engine.functions.registry import Failure, lifted, register
from jbjr_budget.formula_engine.values import DIV0, NA, NUM, Array, Scalar, Value

__all__: list[str] = []


def _sorted(values: Scalar | Array) -> list[float]:
    found = sorted(numbers((values,)))
    if not found:
        raise Failure(NUM)
    return found


@register("MEDIAN", arrays=True)
def median(*args: Scalar | Array) -> Scalar:
    """MEDIAN."""
    found = sorted(numbers(args))
    if not found:
        raise Failure(NUM)
    middle = len(found) // 2
    return found[middle] if len(found) % 2 else (found[middle - 1] + found[middle]) / 2


@register("MODE", "MODE.SNGL", arrays=True)
def mode(*args: Scalar | Array) -> Scalar:
    """MODE and MODE.SNGL: the most frequent number, the first one to occur among equals; none repeated is #N/A."""
    return _most_frequent(args)[0]


def _most_frequent(args: tuple[Scalar | Array, ...]) -> list[float]:
    """The numbers that occur most often, in the order they first occur; none repeated is #N/A."""
    found = numbers(args)
    counts = Counter(found)
    best = max(counts.values(), default=0)
    if best < 2:
        raise Failure(NA)
    return list(dict.fromkeys(value for value in found if counts[value] == best))


def _kth(found: list[float], position: Scalar, *, largest: bool) -> Scalar:
    given = num(position)
    k = math.ceil(given)  # Excel rounds a fractional k up, but k below 1 is #NUM!
    if given < 1 or k > len(found):
        raise Failure(NUM)
    return found[-k] if largest else found[k - 1]


@register("LARGE", arrays=True)
def large(values: Scalar | Array, position: Scalar | Array) -> Value:
    """LARGE: the k-th largest number (k may be an array)."""
    found = _sorted(values)
    return lifted(lambda k: _kth(found, k, largest=True), [position])


@register("SMALL", arrays=True)
def small(values: Scalar | Array, position: Scalar | Array) -> Value:
    """SMALL: the k-th smallest number (k may be an array)."""
    found = _sorted(values)
    return lifted(lambda k: _kth(found, k, largest=False), [position])


def _rank(number: Scalar | Array, values: Scalar | Array, order: Scalar | Array, *, average: bool) -> Scalar:
    target = num(scalar(number))
    found = numbers((values,))
    if target not in found:
        raise Failure(NA)
    ascending = order is not None and num(scalar(order)) != 0
    before = sum(1 for value in found if (value < target if ascending else value > target))
    ties = found.count(target)
    return before + ((ties + 1) / 2 if average else 1.0)


@register("RANK", "RANK.EQ", arrays=True)
def rank_eq(number: Scalar | Array, values: Scalar | Array, order: Scalar | Array = None) -> Scalar:
    """RANK and RANK.EQ: the position in descending (or, with an order, ascending) order; ties share the top one."""
    return _rank(number, values, order, average=False)


@register("RANK.AVG", arrays=True)
def rank_avg(number: Scalar | Array, values: Scalar | Array, order: Scalar | Array = None) -> Scalar:
    """RANK.AVG: as RANK.EQ, ties getting their average position."""
    return _rank(number, values, order, average=True)


def _interpolate(found: list[float], rank: float) -> float:
    """The value at 0-based fractional position ``rank`` of sorted ``found``."""
    low = math.floor(rank)
    if low + 1 >= len(found):
        return found[low]
    return found[low] + (rank - low) * (found[low + 1] - found[low])


def _percentile(values: Scalar | Array, fraction: float, *, exclusive: bool) -> float:
    found = _sorted(values)
    if exclusive:
        rank = fraction * (len(found) + 1) - 1
        if not 0 <= rank <= len(found) - 1:
            raise Failure(NUM)
    else:
        if not 0 <= fraction <= 1:
            raise Failure(NUM)
        rank = fraction * (len(found) - 1)
    return _interpolate(found, rank)


@register("PERCENTILE", "PERCENTILE.INC", arrays=True)
def percentile_inc(values: Scalar | Array, fraction: Scalar | Array) -> Scalar:
    """PERCENTILE and PERCENTILE.INC: k from 0 to 1, interpolated between ranks."""
    return _percentile(values, num(scalar(fraction)), exclusive=False)


@register("PERCENTILE.EXC", arrays=True)
def percentile_exc(values: Scalar | Array, fraction: Scalar | Array) -> Scalar:
    """PERCENTILE.EXC: k strictly between 0 and 1, on ranks k*(n+1)."""
    return _percentile(values, num(scalar(fraction)), exclusive=True)


def _quarter(quart: Scalar | Array, low: int, high: int) -> float:
    which = integer(scalar(quart))
    if not low <= which <= high:
        raise Failure(NUM)
    return which / 4


@register("QUARTILE", "QUARTILE.INC", arrays=True)
def quartile_inc(values: Scalar | Array, quart: Scalar | Array) -> Scalar:
    """QUARTILE and QUARTILE.INC: quart 0 (minimum) to 4 (maximum)."""
    return _percentile(values, _quarter(quart, 0, 4), exclusive=False)


@register("QUARTILE.EXC", arrays=True)
def quartile_exc(values: Scalar | Array, quart: Scalar | Array) -> Scalar:
    """QUARTILE.EXC: quart 1 to 3."""
    return _percentile(values, _quarter(quart, 1, 3), exclusive=True)


@register("PERMUT")
def permut(count: Scalar, chosen: Scalar) -> Scalar:
    """PERMUT: ordered ways to choose k of n, both truncated."""
    n, k = integer(count), integer(chosen)
    if n < 0 or k < 0 or k > n:
        raise Failure(NUM)
    return float(math.perm(n, k))


@register("MODE.MULT", arrays=True)
def mode_mult(*args: Scalar | Array) -> Array:
    """MODE.MULT: every most frequent number, in the order they first occur, as a column."""
    return [[value] for value in _most_frequent(args)]


def _percentrank(values: Scalar | Array, x: Scalar | Array, significance: Scalar | Array, *, exclusive: bool) -> float:
    found = _sorted(values)
    target = num(scalar(x))
    digits = 3 if significance is None else integer(scalar(significance))
    if digits < 1 or not found[0] <= target <= found[-1]:
        raise Failure(NUM if digits < 1 else NA)
    below = sum(1 for value in found if value < target)
    position = float(below + exclusive)
    if target not in found:
        low, high = found[below - 1], found[below]
        position += (target - low) / (high - low) - 1
    rank = position / (len(found) + 1 if exclusive else len(found) - 1) if len(found) > 1 or exclusive else 1.0
    scale = 10.0**digits
    return math.floor(rank * scale + 1e-9) / scale


@register("PERCENTRANK", "PERCENTRANK.INC", arrays=True)
def percentrank_inc(values: Scalar | Array, x: Scalar | Array, significance: Scalar | Array = 3.0) -> Scalar:
    """PERCENTRANK.INC: the rank of x from 0 to 1, interpolated, cut (not rounded) to ``significance`` digits."""
    return _percentrank(values, x, significance, exclusive=False)


@register("PERCENTRANK.EXC", arrays=True)
def percentrank_exc(values: Scalar | Array, x: Scalar | Array, significance: Scalar | Array = 3.0) -> Scalar:
    """PERCENTRANK.EXC: the rank of x strictly between 0 and 1."""
    return _percentrank(values, x, significance, exclusive=True)


def _standardized(args: tuple[Scalar | Array, ...], power: int, *, sample: bool) -> tuple[float, int]:
    found = numbers(args)
    n = len(found)
    if n < 2:
        raise Failure(DIV0)
    mean = math.fsum(found) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in found) / (n - 1 if sample else n))
    if sd == 0:
        raise Failure(DIV0)
    return math.fsum(((v - mean) / sd) ** power for v in found), n


@register("SKEW", arrays=True)
def skew(*args: Scalar | Array) -> Scalar:
    """SKEW: the sample skewness."""
    total, n = _standardized(args, 3, sample=True)
    if n < 3:
        raise Failure(DIV0)
    return n / ((n - 1) * (n - 2)) * total


@register("SKEW.P", arrays=True)
def skew_p(*args: Scalar | Array) -> Scalar:
    """SKEW.P: the population skewness."""
    total, n = _standardized(args, 3, sample=False)
    return total / n


@register("KURT", arrays=True)
def kurt(*args: Scalar | Array) -> Scalar:
    """KURT: the sample excess kurtosis."""
    total, n = _standardized(args, 4, sample=True)
    if n < 4:
        raise Failure(DIV0)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * total - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
