"""Math and trig, fourth part: matrices (MMULT, MINVERSE, MDETERM, MUNIT), with numpy loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jbjr_budget.formula_engine.functions import libraries
from jbjr_budget.formula_engine.functions.coerce import grid, integer, scalar
from jbjr_budget.formula_engine.functions.financial import checked
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NUM, VALUE, Array, Scalar

if TYPE_CHECKING:
    import numpy as np

__all__: list[str] = []


def _matrix(values: Scalar | Array, *, square: bool = False) -> np.ndarray:
    """An array of numbers only (anything else is #VALUE!), square if asked."""
    array = grid(values)
    if any(type(item) is not float for row in array for item in row) or (square and len(array) != len(array[0])):
        raise Failure(VALUE)
    matrix: np.ndarray = libraries.numpy().array(array, dtype=float)
    return matrix


def _rows(matrix: np.ndarray) -> Array:
    return [[float(item) for item in row] for row in matrix]


@register("MMULT", arrays=True)
def mmult(first: Scalar | Array, second: Scalar | Array) -> Array:
    """MMULT: the matrix product; the first's columns must match the second's rows."""
    left, right = _matrix(first), _matrix(second)
    if left.shape[1] != right.shape[0]:
        raise Failure(VALUE)
    return _rows(left @ right)


@register("MINVERSE", arrays=True)
def minverse(values: Scalar | Array) -> Array:
    """MINVERSE: the inverse of a square matrix; a singular one is #NUM!."""
    matrix = _matrix(values, square=True)
    numpy = libraries.numpy()
    if abs(numpy.linalg.det(matrix)) < 1e-300:
        raise Failure(NUM)
    return _rows(numpy.linalg.inv(matrix))


@register("MDETERM", arrays=True)
def mdeterm(values: Scalar | Array) -> Scalar:
    """MDETERM: the determinant of a square matrix."""
    matrix = _matrix(values, square=True)
    return checked(lambda: libraries.numpy().linalg.det(matrix))


@register("MUNIT", arrays=True)
def munit(size: Scalar | Array) -> Array:
    """MUNIT: the identity matrix of a size."""
    n = integer(scalar(size))
    if n < 1:
        raise Failure(VALUE)
    return [[float(i == j) for j in range(n)] for i in range(n)]
