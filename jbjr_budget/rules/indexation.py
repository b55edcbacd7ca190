"""Yearly indexation of tariffs: weighted wage and price index, catch-up, chained factors.

Practice (VNG-advies, Contractstandaarden Jeugd): the rate applied in year
``Y`` is the weighted provisional index of ``Y`` plus the catch-up
(nacalculatie) of ``Y - 1``, the difference between its final and its
provisional weighted index. How that difference is taken (relative or
absolute) and how the parts are rounded are dated parameters, because VNG
did both differently in 2024 and 2025. A year without published figures uses
the named assumption ``indexatie.vng.aanname``; it never silently reuses the
figures of another year. An indexed amount is rounded to cents once, at the end.

Rekenregel (indexatie):
    Het indexpercentage van een jaar is het gewogen voorlopige cijfer van dat jaar (90% OVA en 10% PPC)
    plus de nacalculatie van het jaar ervoor: het verschil tussen zijn definitieve en voorlopige gewogen
    cijfer, relatief of absoluut en afgerond zoals VNG dat in dat jaar deed (2024: relatief, de delen op twee
    decimalen, 4,70% + 1,60% = 6,30%; 2025: absoluut, de delen op drie decimalen en de som op twee,
    3,944% + 1,013% = 4,96%). Zolang het definitieve cijfer van een jaar niet bekend is, markeert elke uitvoer
    wat erop rust als voorlopig cijfer. Een jaar zonder gepubliceerde VNG-cijfers rekent met de aanname
    indexatie.vng.aanname, zonder nacalculatie, en elke uitvoer noemt die aanname.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from jbjr_budget.errors import InvoerFout, ParameterFout
from jbjr_budget.rules.money import round_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "ASSUMPTION_PATH",
    "IndexRate",
    "applied_rate",
    "catch_up",
    "index_factor",
    "index_rate",
    "indexed_amount",
    "round_percentage",
    "weighted_rate",
]

ROOT = "indexatie.vng"
ASSUMPTION_PATH = f"{ROOT}.aanname"
"""The assumed rate of a year without published figures (a scenario may override it)."""
INDICES = ("loonindex", "prijsindex")
Methode = Literal["relatief", "absoluut"]


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


def catch_up(final: Decimal, provisional: Decimal, methode: str) -> Decimal:
    """Catch-up (nacalculatie) of a year from its final and provisional weighted index.

    Notes:
        relatief: ``(1 + final) / (1 + provisional) - 1``; absoluut: ``final - provisional``.

    References:
        VNG, Indexatie 2024: (1 + 6,43%) / (1 + 4,75%) - 1 = 1,60% (relatief);
        VNG, Indexatie 2025: 5,71% - 4,697% = 1,013% (absoluut).

    Examples:
        >>> round(catch_up(Decimal("0.06426"), Decimal("0.04753"), "relatief"), 6)
        Decimal('0.015971')
        >>> catch_up(Decimal("0.05710"), Decimal("0.04697"), "absoluut")
        Decimal('0.01013')
    """
    if methode == "relatief":
        return (1 + final) / (1 + provisional) - 1
    if methode == "absoluut":
        return final - provisional
    raise ParameterFout(f"onbekende methode van nacalculatie '{methode}' (kies relatief of absoluut)")


def round_percentage(rate: Decimal, decimals: int) -> Decimal:
    """A rate (fraction) rounded half up to ``decimals`` decimals of its percentage.

    Examples:
        >>> round_percentage(Decimal("0.04697"), 2), round_percentage(Decimal("0.04957"), 2)
        (Decimal('0.0470'), Decimal('0.0496'))
    """
    return rate.quantize(Decimal(1).scaleb(-(decimals + 2)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndexRate:
    """The rate applied in one year and how it was obtained."""

    jaar: int
    rate: Decimal
    """Applied rate as a fraction, rounded as published (0.0496 is 4.96%)."""
    basis: Literal["gepubliceerd", "aanname"]
    """``gepubliceerd``: derived from VNG's index figures; ``aanname``: the assumption parameter."""
    voorlopig_gewogen: Decimal | None = None
    """The weighted provisional index of the year, rounded as a part."""
    nacalculatie: Decimal | None = None
    """The rounded catch-up of the previous year; ``None`` while its final figures are not published."""
    methode: str | None = None
    """How the catch-up was taken (``relatief`` or ``absoluut``)."""


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _published(tree: ParameterTree, stage: str, year: int) -> bool:
    """True when both index figures of ``stage`` (voorlopig/definitief) for ``year`` are published."""
    found = [tree.starts_in_year(f"{ROOT}.{index}.{stage}", year) for index in INDICES]
    if any(found) and not all(found):
        raise ParameterFout(f"indexcijfers {stage} {year} onvolledig: loonindex en prijsindex horen samen")
    return all(found)


def _weighted(tree: ParameterTree, year: int, stage: str) -> Decimal:
    on = _jan1(year)
    return weighted_rate(
        tree.value(f"{ROOT}.loonindex.{stage}", on),
        tree.value(f"{ROOT}.prijsindex.{stage}", on),
        tree.value(f"{ROOT}.weging_loon", on),
    )


def index_rate(tree: ParameterTree, year: int) -> IndexRate:
    """The index rate applied to tariffs in ``year`` with its build-up (computed once per tree and year).

    Notes:
        With published provisional figures for ``Y``:
        ``rate(Y) = round(round(P(Y), d) + round(C(Y - 1), d), D)``, where ``P`` is the
        weighted provisional index, ``C`` the catch-up of the previous year (zero while
        its final figures are unpublished) by the method in force in ``Y``, ``d`` the
        decimals of the parts and ``D`` those of the total (of the percentage, half up).
        Without published figures: the assumption ``indexatie.vng.aanname`` of ``Y``.

    References:
        VNG, Indexatie 2024: 4,697% -> 4,70%; (1 + 6,43%) / (1 + 4,75%) - 1 = 1,597% -> 1,60%; 6,30%.
        VNG, Indexatie 2025 (gecorrigeerd 2-10-2024): 3,944% + 1,013% = 4,957% -> 4,96%.
    """
    return tree.memo(("index_rate", year), lambda: _index_rate(tree, year))


def _index_rate(tree: ParameterTree, year: int) -> IndexRate:
    on = _jan1(year)
    if not _published(tree, "voorlopig", year):
        return IndexRate(year, tree.value(ASSUMPTION_PATH, on), "aanname")
    parts = int(tree.value(f"{ROOT}.afronding.decimalen_delen", on))
    provisional = round_percentage(_weighted(tree, year, "voorlopig"), parts)
    methode, correction = None, None
    if _published(tree, "definitief", year - 1):
        methode = tree.text(f"{ROOT}.nacalculatie.methode", on)
        exact = catch_up(_weighted(tree, year - 1, "definitief"), _weighted(tree, year - 1, "voorlopig"), methode)
        correction = round_percentage(exact, parts)
    total = round_percentage(provisional + (correction or 0), int(tree.value(f"{ROOT}.afronding.decimalen_totaal", on)))
    return IndexRate(year, total, "gepubliceerd", provisional, correction, methode)


def applied_rate(tree: ParameterTree, year: int) -> Decimal:
    """Index rate applied to tariffs in ``year``, as a fraction (0.0496 is 4.96%); see :func:`index_rate`."""
    return index_rate(tree, year).rate


def index_factor(tree: ParameterTree, from_year: int, to_year: int) -> Decimal:
    """Chained index factor that moves an amount from price level ``from_year`` to ``to_year``.

    Notes:
        ``factor = prod over Y in (from_year, to_year] of (1 + rate(Y))``; 1 when equal.
    """
    if to_year < from_year:
        raise InvoerFout(f"indexeren terug in de tijd ({from_year} naar {to_year}) kan niet")
    return tree.memo(("index_factor", from_year, to_year), lambda: _chained(tree, from_year, to_year))


def _chained(tree: ParameterTree, from_year: int, to_year: int) -> Decimal:
    factor = Decimal(1)
    for year in range(from_year + 1, to_year + 1):
        factor *= 1 + applied_rate(tree, year)
    return factor


def indexed_amount(amount: Decimal, tree: ParameterTree, from_year: int, to_year: int) -> Decimal:
    """An amount at price level ``from_year`` expressed at ``to_year``, rounded to cents once."""
    return round_cents(amount * index_factor(tree, from_year, to_year))
