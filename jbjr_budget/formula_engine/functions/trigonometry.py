"""Math and trigonometry, second half: angles, trigonometric and hyperbolic functions, powers and logarithms."""

from __future__ import annotations

import math
from collections.abc import Callable

from jbjr_budget.formula_engine.functions.coerce import finite, num
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.operators import BINARY
from jbjr_budget.formula_engine.values import DIV0, NUM, Scalar

__all__: list[str] = []

_TRIG_LIMIT = 2.0**27  # Excel answers #NUM! for SIN, COS and TAN of angles this large or larger


def _unary(function: Callable[[float], float]) -> Callable[[Scalar], Scalar]:
    """A one-argument numeric function: a domain error is #NUM!, a pole (division by zero) #DIV/0!."""
    def apply(value: Scalar) -> Scalar:
        try:
            return finite(function(num(value)))
        except ZeroDivisionError:
            raise Failure(DIV0) from None
        except (ValueError, OverflowError):
            raise Failure(NUM) from None

    apply.__doc__ = f"{function.__name__.upper()}."
    return apply


def _periodic(function: Callable[[float], float]) -> Callable[[float], float]:
    def bounded(angle: float) -> float:
        if abs(angle) >= _TRIG_LIMIT:
            raise ValueError(angle)
        return function(angle)

    bounded.__name__ = function.__name__
    return bounded


def _reciprocal(function: Callable[[float], float], name: str) -> Callable[[float], float]:
    def inverse(value: float) -> float:
        result = function(value)
        if result == 0:
            raise ZeroDivisionError
        return 1 / result

    inverse.__name__ = name
    return inverse


def _acot(value: float) -> float:
    return math.pi / 2 - math.atan(value)


def _acoth(value: float) -> float:
    if abs(value) <= 1:
        raise ValueError(value)
    return 0.5 * math.log((value + 1) / (value - 1))


for _name, _function in {
    "SIN": _periodic(math.sin), "COS": _periodic(math.cos), "TAN": _periodic(math.tan),
    "ASIN": math.asin, "ACOS": math.acos, "ATAN": math.atan, "ACOT": _acot,
    "COT": _periodic(_reciprocal(math.tan, "cot")), "CSC": _periodic(_reciprocal(math.sin, "csc")),
    "SEC": _periodic(_reciprocal(math.cos, "sec")),
    "SINH": math.sinh, "COSH": math.cosh, "TANH": math.tanh, "ASINH": math.asinh, "ACOSH": math.acosh,
    "ATANH": math.atanh, "ACOTH": _acoth, "COTH": _reciprocal(math.tanh, "coth"),
    "CSCH": _reciprocal(math.sinh, "csch"), "SECH": _reciprocal(math.cosh, "sech"),
    "RADIANS": math.radians, "DEGREES": math.degrees, "EXP": math.exp,
    "SQRTPI": lambda value: math.sqrt(value * math.pi),
}.items():
    register(_name)(_unary(_function))


@register("ATAN2")
def atan2(x: Scalar, y: Scalar) -> Scalar:
    """ATAN2: the angle of the point (x, y); Excel puts x first."""
    a, b = num(x), num(y)
    if a == 0 and b == 0:
        raise Failure(DIV0)
    return math.atan2(b, a)


@register("PI")
def pi() -> Scalar:
    """PI."""
    return math.pi


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


def _positive(value: Scalar) -> float:
    number = num(value)
    if number <= 0:
        raise Failure(NUM)
    return number


@register("LN")
def ln(value: Scalar) -> Scalar:
    """LN."""
    return math.log(_positive(value))


@register("LOG10")
def log10(value: Scalar) -> Scalar:
    """LOG10."""
    return math.log10(_positive(value))


@register("LOG")
def log(value: Scalar, base: Scalar = 10.0) -> Scalar:
    """LOG: to base 10 unless another base is given; base 1 is #DIV/0!."""
    number, radix = _positive(value), _positive(base)
    if radix == 1:
        raise Failure(DIV0)
    return math.log(number) / math.log(radix)
