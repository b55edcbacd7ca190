"""Math and trigonometry: sums, products, rounding and elementary functions."""

from __future__ import annotations

import math
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from jbjr_budget.formula_engine.functions.coerce import finite, grid, integer, num, numbers
from jbjr_budget.formula_engine.functions.criteria import matching, selected
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register, whole
from jbjr_budget.formula_engine.operators import BINARY
from jbjr_budget.formula_engine.values import DIV0, NUM, VALUE, Array, ExcelError, Ref, Scalar, Value

__all__: list[str] = []


@register("SUM", arrays=True)
def sum_(*args: Scalar | Array) -> Scalar:
    """SUM: numbers of ranges, direct arguments coerced."""
    if len(args) == 1 and isinstance(args[0], list):
        total = 0.0
        for row in args[0]:
            for item in row:
                if type(item) is float:
                    total += item
                elif isinstance(item, ExcelError):
                    return item
        return total
    return math.fsum(numbers(args))


@register("PRODUCT", arrays=True)
def product(*args: Scalar | Array) -> Scalar:
    """PRODUCT."""
    return finite(math.prod(numbers(args)))


@register("SUMPRODUCT", arrays=True)
def sumproduct(*arrays: Scalar | Array) -> Scalar:
    """SUMPRODUCT: arrays of one shape, multiplied element-wise and summed; non-numbers count as 0."""
    grids = [grid(array) for array in arrays]
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(a), len(a[0])) != shape for a in grids):
        raise Failure(VALUE)
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            result = 1.0
            for array in grids:
                item = array[i][j]
                if isinstance(item, ExcelError):
                    raise Failure(item)
                result *= item if type(item) is float else 0.0
            total += result
    return finite(total)


def _same_shape(target: Value, shape: tuple[int, int]) -> Value:
    """SUMIF's sum range: the top-left cell of ``target`` stretched to the criteria range's shape."""
    if isinstance(target, Ref) and target.shape != shape:
        return Ref(target.sheet, target.r1, target.c1, target.r1 + shape[0] - 1, target.c1 + shape[1] - 1)
    return target


def if_selected(context: Context, where: Value, given: Value, target: Value) -> list[float]:
    """The numbers SUMIF and AVERAGEIF take: from ``target`` (``where`` when omitted) where ``given`` holds."""
    mask, shape = matching([whole(context, where), whole(context, given)])
    chosen = where if target is None else _same_shape(target, shape)
    return selected(whole(context, chosen), mask, shape)


@register("SUMIF", references=True)
def sumif(context: Context, where: Value, given: Value, target: Value = None) -> Scalar:
    """SUMIF: the sum range is as large as the criteria range, from its top-left cell."""
    return math.fsum(if_selected(context, where, given, target))


@register("SUMIFS", arrays=True)
def sumifs(target: Scalar | Array, *pairs: Scalar | Array) -> Scalar:
    """SUMIFS."""
    mask, shape = matching(pairs)
    return math.fsum(selected(target, mask, shape))


# -- rounding ------------------------------------------------------------------------------------------

def _round(value: Scalar, digits: Scalar, mode: str) -> float:
    number, places = num(value), integer(digits)
    if places > 15 or number == 0:
        return number
    try:
        # Like Excel, round what the cell shows (15 significant digits), not the binary fraction.
        rounded = Decimal(f"{number:.15g}").quantize(Decimal(1).scaleb(-places), rounding=mode)
    except InvalidOperation:
        return number
    return float(rounded)


@register("ROUND")
def round_(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    """ROUND: half away from zero."""
    return _round(value, digits, ROUND_HALF_UP)


@register("ROUNDUP")
def roundup(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    """ROUNDUP: away from zero."""
    return _round(value, digits, ROUND_UP)


@register("ROUNDDOWN", "TRUNC")
def rounddown(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    """ROUNDDOWN and TRUNC: toward zero."""
    return _round(value, digits, ROUND_DOWN)


@register("INT")
def int_(value: Scalar) -> Scalar:
    """INT: down to the next integer."""
    return float(math.floor(num(value)))


@register("MOD")
def mod(value: Scalar, divisor: Scalar) -> Scalar:
    """MOD: the remainder with the divisor's sign."""
    a, b = num(value), num(divisor)
    if b == 0:
        raise Failure(DIV0)
    return a - b * math.floor(finite(a / b))  # an infinite quotient is #NUM!, as in Excel


@register("ABS")
def abs_(value: Scalar) -> Scalar:
    """ABS."""
    return abs(num(value))


@register("SIGN")
def sign(value: Scalar) -> Scalar:
    """SIGN."""
    number = num(value)
    return float((number > 0) - (number < 0))


@register("SQRT")
def sqrt(value: Scalar) -> Scalar:
    """SQRT."""
    number = num(value)
    if number < 0:
        raise Failure(NUM)
    return math.sqrt(number)


@register("POWER")
def power(base: Scalar, exponent: Scalar) -> Scalar:
    """POWER: as the ``^`` operator."""
    return BINARY["^"](base, exponent)


@register("EXP")
def exp(value: Scalar) -> Scalar:
    """EXP."""
    try:
        return finite(math.exp(num(value)))
    except OverflowError:
        raise Failure(NUM) from None


@register("LN")
def ln(value: Scalar) -> Scalar:
    """LN."""
    number = num(value)
    if number <= 0:
        raise Failure(NUM)
    return math.log(number)


@register("LOG10")
def log10(value: Scalar) -> Scalar:
    """LOG10."""
    number = num(value)
    if number <= 0:
        raise Failure(NUM)
    return math.log10(number)


@register("PI")
def pi() -> Scalar:
    """PI."""
    return math.pi


@register("RAND", volatile=True)
def rand() -> Scalar:
    """RAND: uniform in [0, 1)."""
    return random.random()


@register("RANDBETWEEN", volatile=True)
def randbetween(bottom: Scalar, top: Scalar) -> Scalar:
    """RANDBETWEEN: a whole number from ``bottom`` (rounded up) to ``top`` (rounded down)."""
    low, high = math.ceil(num(bottom)), math.floor(num(top))
    if low > high:
        raise Failure(NUM)
    return float(random.randint(low, high))
