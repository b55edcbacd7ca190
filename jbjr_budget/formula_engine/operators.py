"""Excel's infix and prefix operators on scalars, with broadcasting over arrays."""

from __future__ import annotations

import math
from collections.abc import Callable

from jbjr_budget.formula_engine.values import DIV0, NA, NUM, Array, ExcelError, Scalar, compare, to_number, to_text

__all__ = ["BINARY", "LAST", "broadcast", "negate", "percent"]


def _finite(number: float) -> float | ExcelError:
    return number if math.isfinite(number) else NUM


def _arithmetic(function: Callable[[float, float], float]) -> Callable[[Scalar, Scalar], Scalar]:
    def apply(left: Scalar, right: Scalar) -> Scalar:
        a = to_number(left)
        if isinstance(a, ExcelError):
            return a
        b = to_number(right)
        if isinstance(b, ExcelError):
            return b
        try:
            return _finite(function(a, b))
        except ZeroDivisionError:
            return DIV0
        except (OverflowError, ValueError):
            return NUM

    return apply


def _power(a: float, b: float) -> float:
    if a == 0 and b <= 0:
        raise ZeroDivisionError if b < 0 else ValueError
    return math.pow(a, b)  # raises ValueError for a negative base and a fractional exponent


def _concat(left: Scalar, right: Scalar) -> Scalar:
    a = to_text(left)
    if isinstance(a, ExcelError):
        return a
    b = to_text(right)
    return b if isinstance(b, ExcelError) else a + b


def _comparison(test: Callable[[int], bool]) -> Callable[[Scalar, Scalar], Scalar]:
    def apply(left: Scalar, right: Scalar) -> Scalar:
        order = compare(left, right)
        return order if isinstance(order, ExcelError) else test(order)

    return apply


BINARY: dict[str, Callable[[Scalar, Scalar], Scalar]] = {
    "+": _arithmetic(lambda a, b: a + b),
    "-": _arithmetic(lambda a, b: a - b),
    "*": _arithmetic(lambda a, b: a * b),
    "/": _arithmetic(lambda a, b: a / b),
    "^": _arithmetic(_power),
    "&": _concat,
    "=": _comparison(lambda order: order == 0),
    "<>": _comparison(lambda order: order != 0),
    "<": _comparison(lambda order: order < 0),
    ">": _comparison(lambda order: order > 0),
    "<=": _comparison(lambda order: order <= 0),
    ">=": _comparison(lambda order: order >= 0),
}

# Excel 97 and later: when a formula's last operation (outside parentheses) adds or subtracts two numbers
# that cancel to within binary rounding, the result is 0; =0.5-0.4-0.1 gives 0, =(0.5-0.4-0.1) -2.78E-17.
# Microsoft does not say how close. Users' measurements in Excel bound it: a difference 50 binary orders below
# the larger operand is zeroed (4 units in the last place of 2^1024), one 49 orders below is not (8 units; and
# =A1-A3+A2 with 818562.54, 778536.1 and -40026.44 gives 5.82E-11, which is 2^-34 against 40026.44).
_CANCELLED = 50


def _cancelling(function: Callable[[float, float], float]) -> Callable[[float, float], float]:
    def apply(a: float, b: float) -> float:
        result = function(a, b)
        larger = max(abs(a), abs(b))
        if result and math.isfinite(larger) and math.frexp(larger)[1] - math.frexp(result)[1] >= _CANCELLED:
            return 0.0
        return result

    return apply


LAST: dict[str, Callable[[Scalar, Scalar], Scalar]] = {
    "+": _arithmetic(_cancelling(lambda a, b: a + b)),
    "-": _arithmetic(_cancelling(lambda a, b: a - b)),
}


def broadcast(function: Callable[[Scalar, Scalar], Scalar], left: Scalar | Array, right: Scalar | Array) -> Array:
    """Apply a scalar operator element by element; a single row or column stretches, a too short side gives #N/A."""
    a = left if isinstance(left, list) else [[left]]
    b = right if isinstance(right, list) else [[right]]
    rows = max(len(a), len(b))
    cols = max(len(a[0]), len(b[0]))
    result: Array = []
    for i in range(rows):
        row_a = a[0] if len(a) == 1 else (a[i] if i < len(a) else None)
        row_b = b[0] if len(b) == 1 else (b[i] if i < len(b) else None)
        out: list[Scalar] = []
        for j in range(cols):
            x = _pick(row_a, j)
            y = _pick(row_b, j)
            out.append(NA if x is _OUT or y is _OUT else function(x, y))  # type: ignore[arg-type]
        result.append(out)
    return result


_OUT = object()


def _pick(row: list[Scalar] | None, j: int) -> object:
    if row is None:
        return _OUT
    if len(row) == 1:
        return row[0]
    return row[j] if j < len(row) else _OUT


def negate(value: Scalar) -> Scalar:
    """Prefix minus."""
    number = to_number(value)
    return number if isinstance(number, ExcelError) else -number


def percent(value: Scalar) -> Scalar:
    """Postfix percent."""
    number = to_number(value)
    return number if isinstance(number, ExcelError) else number / 100
