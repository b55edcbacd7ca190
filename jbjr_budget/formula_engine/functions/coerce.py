"""Coercions for function bodies: each gives the wanted type or raises :class:`Failure` with Excel's error."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from jbjr_budget.formula_engine.functions.registry import Failure
from jbjr_budget.formula_engine.values import NA, NUM, Array, ExcelError, Scalar, to_bool, to_number, to_text

__all__ = ["finite", "flat", "grid", "integer", "logical", "num", "numbers", "scalar", "text", "vector"]


def num(value: Scalar) -> float:
    """A number, or fail with the Excel error."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        raise Failure(number)
    return number


def text(value: Scalar) -> str:
    """Text, or fail with the Excel error."""
    result = to_text(value)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def logical(value: Scalar) -> bool:
    """A logical, or fail with the Excel error."""
    result = to_bool(value)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def integer(value: Scalar) -> int:
    """A number truncated toward zero."""
    return int(num(value))


def finite(number: float) -> float:
    """``number``, or #NUM! when it overflowed to infinity or NaN."""
    if not math.isfinite(number):
        raise Failure(NUM)
    return number


def scalar(value: Scalar | Array) -> Scalar:
    """One value: the top-left element of a range or array; an error fails."""
    if isinstance(value, list):
        value = value[0][0]
    if isinstance(value, ExcelError):
        raise Failure(value)
    return value


def grid(value: Scalar | Array) -> Array:
    """Any argument as a 2D list."""
    return value if isinstance(value, list) else [[value]]


def vector(value: Scalar | Array) -> list[Scalar]:
    """A one-row or one-column argument as a flat list; a larger area fails with #N/A."""
    array = grid(value)
    if len(array) == 1:
        return array[0]
    if len(array[0]) == 1:
        return [row[0] for row in array]
    raise Failure(NA)


def flat(args: Sequence[Scalar | Array]) -> Iterator[tuple[Scalar, bool]]:
    """Every value of every argument, flagged True when it came from a range or array."""
    for arg in args:
        if isinstance(arg, list):
            for row in arg:
                for item in row:
                    yield item, True
        else:
            yield arg, False


def numbers(args: Sequence[Scalar | Array]) -> list[float]:
    """Numbers as SUM sees them: ranges give their numbers only, direct arguments are coerced; errors fail."""
    found: list[float] = []
    for item, in_range in flat(args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if type(item) is float:
            found.append(item)
        elif not in_range:
            found.append(num(item))
    return found
