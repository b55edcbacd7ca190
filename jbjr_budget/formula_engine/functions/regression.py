"""Statistical, third half: correlation and linear regression (SLOPE, INTERCEPT, RSQ, FORECAST, TREND, LINEST)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from jbjr_budget.formula_engine.functions import libraries
from jbjr_budget.formula_engine.functions.coerce import grid, logical, num, scalar
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import DIV0, NA, NUM, VALUE, Array, ExcelError, Scalar

if TYPE_CHECKING:
    import numpy as np

__all__: list[str] = []


def _pairs(ys: Scalar | Array, xs: Scalar | Array) -> tuple[list[float], list[float]]:
    """The (y, x) pairs where both are numbers; arrays of different sizes are #N/A, errors fail."""
    left = [item for row in grid(ys) for item in row]
    right = [item for row in grid(xs) for item in row]
    if len(left) != len(right):
        raise Failure(NA)
    kept: tuple[list[float], list[float]] = ([], [])
    for y, x in zip(left, right, strict=True):
        for item in (y, x):
            if isinstance(item, ExcelError):
                raise Failure(item)
        if type(y) is float and type(x) is float:
            kept[0].append(y)
            kept[1].append(x)
    return kept


def _moments(ys: Scalar | Array, xs: Scalar | Array) -> tuple[float, float, float, float, float, int]:
    """Means of y and x, sums of squared deviations of y and x, their cross sum, and the count."""
    y, x = _pairs(ys, xs)
    if not y:
        raise Failure(DIV0)
    mean_y, mean_x = math.fsum(y) / len(y), math.fsum(x) / len(x)
    syy = math.fsum((v - mean_y) ** 2 for v in y)
    sxx = math.fsum((v - mean_x) ** 2 for v in x)
    sxy = math.fsum((a - mean_y) * (b - mean_x) for a, b in zip(y, x, strict=True))
    return mean_y, mean_x, syy, sxx, sxy, len(y)


def _slope(ys: Scalar | Array, xs: Scalar | Array) -> tuple[float, float]:
    mean_y, mean_x, _, sxx, sxy, _ = _moments(ys, xs)
    if sxx == 0:
        raise Failure(DIV0)
    slope_ = sxy / sxx
    return slope_, mean_y - slope_ * mean_x


@register("SLOPE", arrays=True)
def slope(ys: Scalar | Array, xs: Scalar | Array) -> Scalar:
    """SLOPE of the least-squares line."""
    return _slope(ys, xs)[0]


@register("INTERCEPT", arrays=True)
def intercept(ys: Scalar | Array, xs: Scalar | Array) -> Scalar:
    """INTERCEPT of the least-squares line."""
    return _slope(ys, xs)[1]


@register("FORECAST", "FORECAST.LINEAR", arrays=True)
def forecast(x: Scalar | Array, ys: Scalar | Array, xs: Scalar | Array) -> Scalar:
    """FORECAST and FORECAST.LINEAR: the least-squares line at x."""
    at = num(scalar(x))
    slope_, intercept_ = _slope(ys, xs)
    return intercept_ + slope_ * at


@register("CORREL", "PEARSON", arrays=True)
def correl(first: Scalar | Array, second: Scalar | Array) -> Scalar:
    """CORREL and PEARSON: the correlation coefficient."""
    _, _, syy, sxx, sxy, _ = _moments(first, second)
    if syy == 0 or sxx == 0:
        raise Failure(DIV0)
    return sxy / math.sqrt(syy * sxx)


@register("RSQ", arrays=True)
def rsq(ys: Scalar | Array, xs: Scalar | Array) -> Scalar:
    """RSQ: the square of CORREL."""
    return correl(ys, xs) ** 2  # type: ignore[operator]


@register("STEYX", arrays=True)
def steyx(ys: Scalar | Array, xs: Scalar | Array) -> Scalar:
    """STEYX: the standard error of the predicted y."""
    _, _, syy, sxx, sxy, count = _moments(ys, xs)
    if count < 3 or sxx == 0:
        raise Failure(DIV0)
    return math.sqrt((syy - sxy * sxy / sxx) / (count - 2))


@register("COVARIANCE.P", "COVAR", arrays=True)
def covariance_p(first: Scalar | Array, second: Scalar | Array) -> Scalar:
    """COVARIANCE.P and COVAR: the population covariance."""
    *_, sxy, count = _moments(first, second)
    return sxy / count


@register("COVARIANCE.S", arrays=True)
def covariance_s(first: Scalar | Array, second: Scalar | Array) -> Scalar:
    """COVARIANCE.S: the sample covariance."""
    *_, sxy, count = _moments(first, second)
    if count < 2:
        raise Failure(DIV0)
    return sxy / (count - 1)


# -- LINEST and TREND ----------------------------------------------------------------------------------

def _matrix(values: Scalar | Array) -> np.ndarray:
    numpy = libraries.numpy()
    array = grid(values)
    if any(type(item) is not float for row in array for item in row):
        raise Failure(VALUE)
    matrix: np.ndarray = numpy.array(array, dtype=float)
    return matrix


def _design(ys: Scalar | Array, xs: Scalar | Array) -> tuple[np.ndarray, np.ndarray]:
    """The y vector and the matrix of x columns (one per variable), as LINEST reads them."""
    numpy = libraries.numpy()
    y = _matrix(ys)
    by_row = y.shape[0] == 1
    y = y.ravel()
    if xs is None:
        return y, numpy.arange(1, len(y) + 1, dtype=float).reshape(-1, 1)
    x = _matrix(xs)
    if by_row:
        x = x.T
    if x.shape[0] != len(y):
        raise Failure(NA if x.size != len(y) else VALUE)
    return y, x


def _fit(y: np.ndarray, x: np.ndarray, constant: bool) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (intercept last) and the design matrix used."""
    numpy = libraries.numpy()
    design = numpy.column_stack([x, numpy.ones(len(y))]) if constant else x
    coefficients, *_ = numpy.linalg.lstsq(design, y, rcond=None)
    return coefficients, design


def _statistics(y: np.ndarray, design: np.ndarray, coefficients: np.ndarray, constant: bool) -> Array:
    """LINEST's rows 2 to 5: standard errors, r2 and se_y, F and df, the regression and residual sums of squares."""
    numpy = libraries.numpy()
    residual = y - design @ coefficients
    ss_resid = float(residual @ residual)
    ss_total = float(((y - y.mean()) ** 2).sum()) if constant else float(y @ y)
    ss_reg = ss_total - ss_resid
    df = len(y) - design.shape[1]
    if df <= 0:
        raise Failure(NUM)
    se_y = math.sqrt(ss_resid / df)
    errors = numpy.sqrt(numpy.diag(numpy.linalg.pinv(design.T @ design)) * se_y**2)
    variables = design.shape[1] - (1 if constant else 0)
    width = variables + 1
    first: list[Scalar] = [*(float(e) for e in errors[:variables][::-1]), float(errors[-1]) if constant else NA]
    f_stat: Scalar = (ss_reg / variables) / (ss_resid / df) if ss_resid else NUM
    rows: Array = [first, [ss_reg / ss_total if ss_total else 1.0, se_y], [f_stat, float(df)], [ss_reg, ss_resid]]
    return [row + [NA] * (width - len(row)) for row in rows]



@register("LINEST", arrays=True)
def linest(ys: Scalar | Array, xs: Scalar | Array = None, constant: Scalar | Array = True,
           statistics: Scalar | Array = False) -> Array:
    """LINEST: slopes (last variable first) and intercept of the least-squares fit, optionally with statistics."""
    with_constant = constant is None or logical(scalar(constant))
    y, x = _design(ys, xs)
    coefficients, design = _fit(y, x, with_constant)
    variables = x.shape[1]
    top: Array = [[*(float(c) for c in coefficients[:variables][::-1]),
                   float(coefficients[-1]) if with_constant else 0.0]]
    if statistics is None or not logical(scalar(statistics)):
        return top
    return top + _statistics(y, design, coefficients, with_constant)


@register("TREND", arrays=True)
def trend(ys: Scalar | Array, xs: Scalar | Array = None, new_xs: Scalar | Array = None,
          constant: Scalar | Array = True) -> Array:
    """TREND: the least-squares fit at new x values (the known ones when omitted), in their shape."""
    numpy = libraries.numpy()
    with_constant = constant is None or logical(scalar(constant))
    y, x = _design(ys, xs)
    coefficients, _ = _fit(y, x, with_constant)
    at = x if new_xs is None else _matrix(new_xs).reshape(-1, x.shape[1])
    fitted = (numpy.column_stack([at, numpy.ones(len(at))]) if with_constant else at) @ coefficients
    shape = grid(new_xs if new_xs is not None else ys)
    if x.shape[1] == 1 and len(shape) * len(shape[0]) == len(fitted):
        return [[float(fitted[i * len(shape[0]) + j]) for j in range(len(shape[0]))] for i in range(len(shape))]
    return [[float(value)] for value in fitted]
