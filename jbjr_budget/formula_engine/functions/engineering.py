"""Engineering: number bases (HEX2DEC and the other conversions, BASE, DECIMAL), CONVERT, DELTA, GESTEP, BIT...

Binary, octal and hexadecimal numbers have at most 10 digits; negative numbers are their ten-digit
two's complement (``FFFFFFFFFF`` is -1), as in Excel.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from jbjr_budget.formula_engine.functions.coerce import integer, num, text
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.functions.units import convert_temperature, find_unit
from jbjr_budget.formula_engine.values import NA, NUM, Scalar, general_text

__all__: list[str] = []

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BASES = {"BIN": 2, "OCT": 8, "DEC": 10, "HEX": 16}


def _spelled(value: Scalar) -> str:
    """The digits of a base-2/8/16 argument: a number is read as the digits it shows."""
    return general_text(math.trunc(value)) if isinstance(value, float) else text(value).strip().upper()


def _to_decimal(value: Scalar, base: int) -> int:
    digits = _spelled(value)
    if not 0 < len(digits) <= 10:
        raise Failure(NUM)
    try:
        number = int(digits, base)
    except ValueError:
        raise Failure(NUM) from None
    return number - base**10 if number >= base**10 // 2 else number


def _from_decimal(number: int, base: int, places: Scalar) -> str:
    limit = base**10 // 2
    if not -limit <= number < limit:
        raise Failure(NUM)
    if number < 0:
        return _digits(number + base**10, base)
    shown = _digits(number, base)
    if places is None:
        return shown
    width = math.trunc(num(places))
    if not len(shown) <= width <= 10:
        raise Failure(NUM)
    return shown.rjust(width, "0")


def _digits(number: int, base: int) -> str:
    shown = ""
    while number:
        number, rest = divmod(number, base)
        shown = _DIGITS[rest] + shown
    return shown or "0"


def _converter(source: int, target: int) -> Callable[[Scalar, Scalar], Scalar]:
    def convert(value: Scalar, places: Scalar = None) -> Scalar:
        number = _to_decimal(value, source) if source != 10 else integer(value)
        if target == 10:
            return float(number)
        return _from_decimal(number, target, places)

    return convert


for _source, _source_base in _BASES.items():
    for _target, _target_base in _BASES.items():
        if _source != _target:
            _function = _converter(_source_base, _target_base)
            _function.__doc__ = f"{_source}2{_target}: a number from base {_source_base} to base {_target_base}."
            register(f"{_source}2{_target}")(_function)


@register("BASE")
def base(value: Scalar, radix: Scalar, length: Scalar = 0.0) -> Scalar:
    """BASE: a non-negative number in base 2 to 36, padded with zeros to a minimum length."""
    number, system = integer(value), integer(radix)
    width = 0 if length is None else integer(length)
    if number < 0 or number >= 2**53 or not 2 <= system <= 36 or not 0 <= width <= 255:
        raise Failure(NUM)
    return _digits(number, system).rjust(width, "0")


@register("DECIMAL")
def decimal(value: Scalar, radix: Scalar) -> Scalar:
    """DECIMAL: text in base 2 to 36 as a number."""
    system = integer(radix)
    spelled = text(value).strip()
    if not 2 <= system <= 36 or len(spelled) > 255:
        raise Failure(NUM)
    try:
        return float(int(spelled, system)) if spelled else 0.0
    except ValueError:
        raise Failure(NUM) from None


@register("CONVERT")
def convert(value: Scalar, source: Scalar, target: Scalar) -> Scalar:
    """CONVERT: a measurement from one unit to another of the same quantity (unknown or unlike units are #N/A)."""
    number = num(value)
    found, wanted = find_unit(text(source)), find_unit(text(target))
    if found is None or wanted is None or found[1].quantity != wanted[1].quantity:
        raise Failure(NA)
    if found[1].quantity == "temperature":
        return convert_temperature(number, (found[0], found[2]), (wanted[0], wanted[2]))
    return number * found[1].size * found[2] / (wanted[1].size * wanted[2])


@register("DELTA")
def delta(first: Scalar, second: Scalar = 0.0) -> Scalar:
    """DELTA: 1 when two numbers are equal, else 0."""
    return float(num(first) == num(0.0 if second is None else second))


@register("GESTEP")
def gestep(value: Scalar, step: Scalar = 0.0) -> Scalar:
    """GESTEP: 1 when a number is at least the step, else 0."""
    return float(num(value) >= num(0.0 if step is None else step))


def _bits(value: Scalar) -> int:
    number = num(value)
    if number < 0 or number != math.floor(number) or number >= 2**48:
        raise Failure(NUM)
    return int(number)


@register("BITAND")
def bitand(first: Scalar, second: Scalar) -> Scalar:
    """BITAND."""
    return float(_bits(first) & _bits(second))


@register("BITOR")
def bitor(first: Scalar, second: Scalar) -> Scalar:
    """BITOR."""
    return float(_bits(first) | _bits(second))


@register("BITXOR")
def bitxor(first: Scalar, second: Scalar) -> Scalar:
    """BITXOR."""
    return float(_bits(first) ^ _bits(second))


def _shifted(value: Scalar, amount: Scalar) -> float:
    number, shift = _bits(value), integer(amount)
    if abs(shift) > 53:
        raise Failure(NUM)
    result = number << shift if shift >= 0 else number >> -shift
    if result >= 2**48:
        raise Failure(NUM)
    return float(result)


@register("BITLSHIFT")
def bitlshift(value: Scalar, amount: Scalar) -> Scalar:
    """BITLSHIFT: shifted left (a negative amount shifts right)."""
    return _shifted(value, amount)


@register("BITRSHIFT")
def bitrshift(value: Scalar, amount: Scalar) -> Scalar:
    """BITRSHIFT: shifted right (a negative amount shifts left)."""
    return _shifted(value, -integer(amount))
