"""Yearly indexation of tariffs: weighted wage and price index, catch-up, chained factors.

Practice (VNG-advies, Contractstandaarden Jeugd): the rate applied in year
``Y`` is the weighted provisional index of ``Y`` plus the catch-up
(nacalculatie) of ``Y - 1``: its final minus its provisional weighted index.
A rate VNG published for a year (``indexatie.vng.toegepast``) takes
precedence over the derivation. The applied rate is rounded to the published
number of decimals; an indexed amount is rounded to cents once, at the end.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.money import round_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "applied_rate",
    "catch_up",
    "index_factor",
    "indexed_amount",
    "weighted_rate",
]

ROOT = "indexatie.vng"


def weighted_rate(wage: Decimal, price: Decimal, wage_weight: Decimal) -> Decimal:
    """Weighted index rate from a wage index and a price index.

    Notes:
        ``rate = w * wage + (1 - w) * price``

    References:
        VNG-advies indexatie, Contractstandaarden Jeugd (90% OVA + 10% PPC).

    Examples:
        >>> weighted_rate(Decimal("0.0418"), Decimal("0.0182"), Decimal("0.9"))
        Decimal('0.03944')
    """
    if not Decimal(0) <= wage_weight <= Decimal(1):
        raise InvoerFout(f"weging loonindex moet tussen 0 en 1 liggen, niet {wage_weight}")
    return wage_weight * wage + (1 - wage_weight) * price


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _weighted(tree: ParameterTree, year: int, stage: str) -> Decimal:
    on = _jan1(year)
    return weighted_rate(
        tree.value(f"{ROOT}.loonindex.{stage}", on),
        tree.value(f"{ROOT}.prijsindex.{stage}", on),
        tree.value(f"{ROOT}.weging_loon", on),
    )


def catch_up(tree: ParameterTree, year: int) -> Decimal:
    """Catch-up applied in ``year``: final minus provisional weighted rate of ``year - 1``.

    Zero while the final figures of ``year - 1`` are not yet published.
    """
    previous = year - 1
    published = all(
        tree.starts_in_year(f"{ROOT}.{index}.definitief", previous)
        for index in ("loonindex", "prijsindex")
    )
    if not published:
        return Decimal(0)
    return _weighted(tree, previous, "definitief") - _weighted(tree, previous, "voorlopig")


def applied_rate(tree: ParameterTree, year: int) -> Decimal:
    """Index rate applied to tariffs in ``year``, as a fraction (0.0496 is 4.96%).

    Notes:
        ``rate(Y) = round(weighted_provisional(Y) + catch_up(Y), d)`` with ``d``
        the published number of decimals of the percentage, half up; a rate
        published for ``Y`` itself is used as is.

    References:
        VNG, Indexatie 2025 (gecorrigeerd 2-10-2024): 3,944% + 1,013% = 4,96%.
    """
    published = f"{ROOT}.toegepast"
    if tree.starts_in_year(published, year):
        return tree.value(published, _jan1(year))
    decimals = int(tree.value(f"{ROOT}.decimalen_percentage", _jan1(year)))
    exact = _weighted(tree, year, "voorlopig") + catch_up(tree, year)
    return exact.quantize(Decimal(1).scaleb(-(decimals + 2)), rounding=ROUND_HALF_UP)


def index_factor(tree: ParameterTree, from_year: int, to_year: int) -> Decimal:
    """Chained index factor that moves an amount from price level ``from_year`` to ``to_year``.

    Notes:
        ``factor = prod over Y in (from_year, to_year] of (1 + rate(Y))``; 1 when equal.
    """
    if to_year < from_year:
        raise InvoerFout(f"indexeren terug in de tijd ({from_year} naar {to_year}) kan niet")
    factor = Decimal(1)
    for year in range(from_year + 1, to_year + 1):
        factor *= 1 + applied_rate(tree, year)
    return factor


def indexed_amount(amount: Decimal, tree: ParameterTree, from_year: int, to_year: int) -> Decimal:
    """An amount at price level ``from_year`` expressed at ``to_year``, rounded to cents once."""
    return round_cents(amount * index_factor(tree, from_year, to_year))
