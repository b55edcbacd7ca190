"""Math and trigonometry: sums, products, rounding and elementary functions."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from jbjr_budget.formula_engine.functions.coerce import finite, grid, integer, num, numbers
from jbjr_budget.formula_engine.functions.criteria import conditional, if_values, selected
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register
from jbjr_budget.formula_engine.values import DIV0, NUM, VALUE, Array, ExcelError, Scalar, Value

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
    """PRODUCT: 0 when there are no numbers."""
    found = numbers(args)
    return finite(math.prod(found)) if found else 0.0


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


@register("SUMIF", references=True)
def sumif(context: Context, where: Value, given: Value, target: Value = None) -> Value:
    """SUMIF: the sum range is as large as the criteria range, from its top-left cell."""
    return if_values(context, where, given, target, math.fsum)


@register("SUMIFS", arrays=True)
def sumifs(target: Scalar | Array, *pairs: Scalar | Array) -> Value:
    """SUMIFS."""
    return conditional(pairs, lambda mask, shape: math.fsum(selected(target, mask, shape)))


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


def _shown(number: float) -> float:
    """``number`` to 15 significant digits, as Excel keeps results such as 0.1*3."""
    return float(f"{number:.15g}")


def _multiple(number: float, step: float, direction: Callable[[float], float]) -> float:
    """``number`` moved by ``direction`` (math.ceil, math.floor) to a multiple of ``step`` (not 0)."""
    return _shown(direction(_shown(number / step)) * step)


@register("CEILING")
def ceiling(value: Scalar, significance: Scalar) -> Scalar:
    """CEILING: up to a multiple; a negative number with a negative significance rounds away from zero."""
    number, step = num(value), num(significance)
    if step == 0:
        return 0.0
    if number > 0 > step:
        raise Failure(NUM)
    return _multiple(number, step, math.ceil)


@register("FLOOR")
def floor(value: Scalar, significance: Scalar) -> Scalar:
    """FLOOR: down to a multiple; a negative number with a negative significance rounds toward zero."""
    number, step = num(value), num(significance)
    if step == 0:
        if number == 0:
            return 0.0
        raise Failure(DIV0)
    if number > 0 > step:
        raise Failure(NUM)
    return _multiple(number, step, math.floor)


def _toward_multiple(value: Scalar, significance: Scalar, mode: Scalar, direction: Callable[[float], float],
                     flipped: Callable[[float], float]) -> float:
    """CEILING.MATH and FLOOR.MATH: to a multiple of |significance|; a mode flips the direction for negatives."""
    number, step = num(value), abs(num(1.0 if significance is None else significance))
    if step == 0:
        return 0.0
    return _multiple(number, step, flipped if number < 0 and num(mode) != 0 else direction)


@register("CEILING.MATH")
def ceiling_math(value: Scalar, significance: Scalar = 1.0, mode: Scalar = 0.0) -> Scalar:
    """CEILING.MATH: up to a multiple of |significance|; with a mode, negative numbers round away from zero."""
    return _toward_multiple(value, significance, mode, math.ceil, math.floor)


@register("FLOOR.MATH")
def floor_math(value: Scalar, significance: Scalar = 1.0, mode: Scalar = 0.0) -> Scalar:
    """FLOOR.MATH: down to a multiple of |significance|; with a mode, negative numbers round toward zero."""
    return _toward_multiple(value, significance, mode, math.floor, math.ceil)


@register("CEILING.PRECISE", "ISO.CEILING")
def ceiling_precise(value: Scalar, significance: Scalar = 1.0) -> Scalar:
    """CEILING.PRECISE and ISO.CEILING: up to a multiple of |significance|."""
    return ceiling_math(value, significance)


@register("FLOOR.PRECISE")
def floor_precise(value: Scalar, significance: Scalar = 1.0) -> Scalar:
    """FLOOR.PRECISE: down to a multiple of |significance|."""
    return floor_math(value, significance)


@register("MROUND")
def mround(value: Scalar, multiple: Scalar) -> Scalar:
    """MROUND: to the nearest multiple, halves away from zero; signs must agree."""
    number, step = num(value), num(multiple)
    if step == 0:
        return 0.0
    if number * step < 0:
        raise Failure(NUM)
    quotient = _shown(number / step)
    return _shown(math.copysign(math.floor(abs(quotient) + 0.5), quotient) * step)


def _away(value: Scalar, parity: int) -> float:
    number = num(value)
    size = math.ceil(abs(number))
    if size % 2 != parity:
        size += 1
    return math.copysign(size, number) if number else float(parity)


@register("EVEN")
def even(value: Scalar) -> Scalar:
    """EVEN: away from zero to an even integer."""
    return _away(value, 0)


@register("ODD")
def odd(value: Scalar) -> Scalar:
    """ODD: away from zero to an odd integer."""
    return _away(value, 1)


@register("QUOTIENT")
def quotient(numerator: Scalar, denominator: Scalar) -> Scalar:
    """QUOTIENT: the integer part of a division."""
    a, b = num(numerator), num(denominator)
    if b == 0:
        raise Failure(DIV0)
    return float(math.trunc(a / b))


@register("FACT")
def fact(value: Scalar) -> Scalar:
    """FACT: n! of the integer part of n."""
    number = num(value)
    if not 0 <= number < 171:
        raise Failure(NUM)
    return float(math.factorial(int(number)))


@register("COMBIN")
def combin(count: Scalar, chosen: Scalar) -> Scalar:
    """COMBIN: ways to choose k of n, both truncated."""
    n, k = integer(count), integer(chosen)
    if n < 0 or k < 0 or k > n:
        raise Failure(NUM)
    return finite(float(math.comb(n, k)))


def _whole_numbers(args: tuple[Scalar | Array, ...]) -> list[int]:
    found = [math.floor(number) for number in numbers(args)]
    if any(number < 0 for number in found):
        raise Failure(NUM)
    return found


@register("GCD", arrays=True)
def gcd(*args: Scalar | Array) -> Scalar:
    """GCD: of the integer parts."""
    return float(math.gcd(*_whole_numbers(args)))


@register("LCM", arrays=True)
def lcm(*args: Scalar | Array) -> Scalar:
    """LCM: of the integer parts."""
    return finite(float(math.lcm(*_whole_numbers(args))))


@register("SUMSQ", arrays=True)
def sumsq(*args: Scalar | Array) -> Scalar:
    """SUMSQ: the sum of squares."""
    return finite(math.fsum(number * number for number in numbers(args)))


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
