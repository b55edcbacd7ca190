"""Exact money: amounts are stored as integer cents and rounded in one place.

Rounding rule (used everywhere in jbjr_budget): round half away from zero to
whole cents (``ROUND_HALF_UP`` in :mod:`decimal`), the commercial rounding
Dutch financial administrations use. An amount is rounded once, when a line
(one product x municipality x year) is fixed; totals are sums of rounded lines,
so every total adds up to the cent.

Rekenregel (afronding):
    Bedragen worden als hele centen opgeslagen en één keer afgerond, per begrotingsregel
    (gemeente x product x jaar), half van nul af (2,345 wordt 2,35; -2,345 wordt -2,35).
    Totalen zijn sommen van afgeronde regels en kloppen dus tot op de cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "CENT",
    "cents_to_euro",
    "divide_half_up",
    "euro_floats",
    "round_cents",
    "to_cents",
    "to_decimal",
]

CENT = Decimal("0.01")

Number = int | float | str | Decimal | Fraction


def to_decimal(value: Number) -> Decimal:
    """Convert a number to Decimal without binary float noise.

    Floats go through ``repr`` so ``0.1`` becomes ``Decimal('0.1')``.

    Examples:
        >>> to_decimal(0.1)
        Decimal('0.1')
        >>> to_decimal(Fraction(1, 4))
        Decimal('0.25')
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_cents(amount: Number) -> Decimal:
    """Round an amount in euros to whole cents, half away from zero.

    Examples:
        >>> round_cents(Decimal("2.345"))
        Decimal('2.35')
        >>> round_cents(Decimal("-2.345"))
        Decimal('-2.35')
    """
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Number) -> int:
    """Round an amount in euros to an integer number of cents.

    Examples:
        >>> to_cents("1234.565")
        123457
    """
    return int(round_cents(amount) * 100)


def cents_to_euro(cents: int | np.integer[Any]) -> Decimal:
    """Express integer cents (a Python or numpy integer) as a Decimal amount in euros.

    This is the one conversion from stored cents to euros: workbooks write the
    Decimal as a number, worksheet functions and the CLI format it.

    Examples:
        >>> cents_to_euro(123457)
        Decimal('1234.57')
        >>> cents_to_euro(np.int64(-5))
        Decimal('-0.05')
    """
    return (Decimal(int(cents)) / 100).quantize(CENT)


def euro_floats(cents: npt.NDArray[np.int64]) -> list[float]:
    """Integer cents as the floats a worksheet cell holds, for whole columns at once.

    ``cents / 100`` in binary floating point is the float nearest to the exact
    amount (dividing two exactly represented integers rounds correctly), so each
    equals ``float(cents_to_euro(c))``; exact for amounts below 2**53 cents.

    Examples:
        >>> euro_floats(np.array([123457, -5, 10], dtype=np.int64))
        [1234.57, -0.05, 0.1]
    """
    return (cents / 100).tolist()  # type: ignore[no-any-return]


def divide_half_up(numerator: npt.NDArray[Any], denominator: npt.NDArray[Any] | int) -> npt.NDArray[Any]:
    """Integer division rounded half away from zero, exact for int64 or Python-int arrays.

    This is :func:`round_cents` for whole tables: amounts are carried as
    integer numerators over an integer denominator and divided once.

    Notes:
        For ``d > 0``: ``round(n / d) = sign(n) * ((2|n| + d) // 2d)``.

    Examples:
        >>> divide_half_up(np.array([5, -5, 4], dtype=np.int64), 2).tolist()
        [3, -3, 2]
    """
    num, den = np.asarray(numerator), np.asarray(denominator)
    if np.any(den <= 0):
        raise ValueError("noemer moet positief zijn")
    magnitude = (2 * np.abs(num) + den) // (2 * den)
    rounded: npt.NDArray[Any] = np.where(num < 0, -magnitude, magnitude)
    return rounded
