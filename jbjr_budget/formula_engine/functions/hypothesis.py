"""Statistical tests: T.TEST, Z.TEST, CHISQ.TEST and F.TEST (with their older names); the answer is a p-value."""

from __future__ import annotations

import math
from statistics import NormalDist

from jbjr_budget.formula_engine.functions.coerce import grid, integer, num, numbers, scalar
from jbjr_budget.formula_engine.functions.distributions import check
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.functions.sampling import chi_tail, f_cdf, t_cdf
from jbjr_budget.formula_engine.values import DIV0, NA, Array, ExcelError, Scalar

__all__: list[str] = []


def _moments(values: list[float]) -> tuple[float, float, int]:
    """Mean, sample variance and count; fewer than two numbers is #DIV/0!."""
    if len(values) < 2:
        raise Failure(DIV0)
    mean = math.fsum(values) / len(values)
    return mean, math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1), len(values)


def _paired(first: Scalar | Array, second: Scalar | Array) -> list[float]:
    left = [item for row in grid(first) for item in row]
    right = [item for row in grid(second) for item in row]
    if len(left) != len(right):
        raise Failure(NA)
    for item in (*left, *right):
        if isinstance(item, ExcelError):
            raise Failure(item)
    return [a - b for a, b in zip(left, right, strict=True) if type(a) is float and type(b) is float]


@register("T.TEST", "TTEST", arrays=True)
def t_test(first: Scalar | Array, second: Scalar | Array, tails: Scalar | Array, kind: Scalar | Array) -> Scalar:
    """T.TEST: type 1 paired, 2 two samples with equal variance, 3 with unequal variance (Welch); 1 or 2 tails."""
    sides, test = integer(scalar(tails)), integer(scalar(kind))
    check(sides in (1, 2) and test in (1, 2, 3))
    if test == 1:
        mean, variance, n = _moments(_paired(first, second))
        statistic, df = mean / math.sqrt(variance / n), float(n - 1)
    else:
        m1, v1, n1 = _moments(numbers((first,)))
        m2, v2, n2 = _moments(numbers((second,)))
        if test == 2:
            pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
            statistic, df = (m1 - m2) / math.sqrt(pooled * (1 / n1 + 1 / n2)), float(n1 + n2 - 2)
        else:
            a, b = v1 / n1, v2 / n2
            statistic, df = (m1 - m2) / math.sqrt(a + b), (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    return sides * (1 - t_cdf(abs(statistic), df))


@register("Z.TEST", "ZTEST", arrays=True)
def z_test(values: Scalar | Array, x: Scalar | Array, sigma: Scalar | Array = None) -> Scalar:
    """Z.TEST: the one-tailed p-value of the mean exceeding x (sigma: the sample's when omitted)."""
    found = numbers((values,))
    if not found:
        raise Failure(NA)
    mean = math.fsum(found) / len(found)
    sd = math.sqrt(_moments(found)[1]) if sigma is None else num(scalar(sigma))
    if sd == 0:
        raise Failure(DIV0)
    return 1 - NormalDist().cdf((mean - num(scalar(x))) / (sd / math.sqrt(len(found))))


@register("CHISQ.TEST", "CHITEST", arrays=True)
def chisq_test(actual: Scalar | Array, expected: Scalar | Array) -> Scalar:
    """CHISQ.TEST: the p-value of observed against expected counts; df (r-1)(c-1), or n-1 for one row or column."""
    observed, wanted = grid(actual), grid(expected)
    if (len(observed), len(observed[0])) != (len(wanted), len(wanted[0])):
        raise Failure(NA)
    total = 0.0
    for a, e in zip((i for row in observed for i in row), (i for row in wanted for i in row), strict=True):
        if type(a) is float and type(e) is float:
            if e == 0:
                raise Failure(DIV0)
            total += (a - e) ** 2 / e
    rows, cols = len(observed), len(observed[0])
    df = (rows - 1) * (cols - 1) if rows > 1 and cols > 1 else rows * cols - 1
    check(df >= 1)
    return chi_tail(total, df)


@register("F.TEST", "FTEST", arrays=True)
def f_test(first: Scalar | Array, second: Scalar | Array) -> Scalar:
    """F.TEST: the two-tailed p-value of two samples having the same variance."""
    _, v1, n1 = _moments(numbers((first,)))
    _, v2, n2 = _moments(numbers((second,)))
    if v1 == 0 or v2 == 0:
        raise Failure(DIV0)
    below = f_cdf(v1 / v2, n1 - 1, n2 - 1)
    return 2 * min(below, 1 - below)
