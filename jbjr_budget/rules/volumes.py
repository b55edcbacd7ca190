"""Volumes: baselines, flows and stocks, paths towards a target, and splits by a key.

Volume of a ``maand`` product is the average number of running measures;
of any other product the number of units (trajects, pieces, hours) in a year.

Rekenregel (volume):
    Bij een product per maand is het volume het gemiddeld aantal lopende maatregelen; de begroting rekent
    dat x 12 maanden x het maandtarief. Bij andere producten is het volume het aantal eenheden (trajecten,
    stuks, uren) per jaar. Volumes worden afgerond op 0,001 voordat er met geld wordt gerekend.

Rekenregel (doelpad):
    Een doelpad loopt van de referentiestand (begin van de referentiedatum) naar de stand min de reductie
    aan het einde van de doeldatum, lineair of met hetzelfde percentage per jaar, en blijft daarna vlak.
    Het volume van een jaar is het gemiddelde van het pad aan het begin en het einde van dat jaar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Eenheid
from jbjr_budget.rules.money import to_decimal
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "Methode",
    "path_factor",
    "realised_volume",
    "split_by_key",
    "split_over_municipalities",
    "stock_from_flow",
    "volume_path",
    "volume_per_1000",
    "year_factor",
    "youths",
]

MILLI = Decimal("0.001")
"""Volumes are rounded half up to this grid before money is computed."""

Methode = Literal["lineair", "samengesteld"]
METHODES: tuple[Methode, ...] = ("lineair", "samengesteld")


def youths(tree: ParameterTree, gemeente: str, on: dt.date) -> Decimal:
    """Number of youths aged 0-17 in a municipality on ``on`` (``bevolking.jeugdigen_0_17``)."""
    return tree.value(f"bevolking.jeugdigen_0_17.{gemeente}", on)


def volume_per_1000(tree: ParameterTree, code: str, on: dt.date) -> Decimal:
    """Base volume of a product per 1,000 youths on ``on`` (``volumes.per_1000_jeugdigen``)."""
    return tree.value(f"volumes.per_1000_jeugdigen.{code}", on)


def stock_from_flow(inflow_per_year: Decimal, average_duration_years: Decimal) -> Decimal:
    """Average stock from a steady inflow and average duration (Little's law).

    Notes:
        ``stock = inflow * duration``

    Examples:
        >>> stock_from_flow(Decimal(30), Decimal("0.75"))
        Decimal('22.50')
    """
    if inflow_per_year < 0 or average_duration_years < 0:
        raise InvoerFout("instroom en duur mogen niet negatief zijn")
    return inflow_per_year * average_duration_years


def _year_time(moment: dt.date) -> Fraction:
    """Time in years at 00:00 of ``moment``: the year plus the share of it already passed."""
    days_in_year = (dt.date(moment.year + 1, 1, 1) - dt.date(moment.year, 1, 1)).days
    return moment.year + Fraction(moment.timetuple().tm_yday - 1, days_in_year)


def _elapsed(start: dt.date, target: dt.date, moment: dt.date) -> Fraction:
    """Share of the way from the start of ``start`` to the end of ``target`` at ``moment`` (00:00).

    Time is measured in years (each year's days count equally within it), so a
    path from 1 January to 31 December moves by whole steps per year.
    """
    begin, end = _year_time(start), _year_time(target + dt.timedelta(days=1))
    if end <= begin:
        raise InvoerFout(f"doeldatum {target.isoformat()} ligt voor startdatum {start.isoformat()}")
    share = (_year_time(moment) - begin) / (end - begin)
    return min(max(share, Fraction(0)), Fraction(1))


def path_factor(
    reduction: Decimal, start: dt.date, target: dt.date, moment: dt.date, methode: Methode = "lineair"
) -> Decimal:
    """Factor on the reference volume at ``moment`` on a path towards ``1 - reduction``.

    The path starts at 1 at the start of ``start`` and reaches ``1 - reduction``
    exactly at the end of ``target`` (i.e. at 00:00 the day after); it is flat
    before and after.

    Notes:
        With ``s`` the elapsed share of time in years (0..1): lineair ``1 - r * s``;
        samengesteld ``(1 - r) ** s`` (the same percentage each day).

    References:
        Segment 7 Veiligheid (Holland Rijnland, inkoop jeugdhulp): -20% tussen 1-1-2022 en 31-12-2026.

    Examples:
        >>> path_factor(Decimal("0.2"), dt.date(2022, 1, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1))
        Decimal('0.8')
        >>> path_factor(Decimal("0.2"), dt.date(2022, 1, 1), dt.date(2026, 12, 31), dt.date(2023, 1, 1))
        Decimal('0.96')
    """
    if not Decimal(0) <= reduction < Decimal(1):
        raise InvoerFout(f"reductie moet tussen 0 en 1 liggen, niet {reduction}")
    if methode not in METHODES:
        raise InvoerFout(f"onbekende methode '{methode}' (kies lineair of samengesteld)")
    share = to_decimal(_elapsed(start, target, moment))
    if methode == "lineair":
        return 1 - reduction * share
    return (1 - reduction) ** share


def year_factor(
    reduction: Decimal, start: dt.date, target: dt.date, year: int, methode: Methode = "lineair"
) -> Decimal:
    """Average path factor over ``year``: mean of its value at the year's start and end.

    Notes:
        Trapezium rule ``(f(1 Jan Y) + f(1 Jan Y+1)) / 2``; exact for a linear
        path whose start and target fall on year boundaries.

    Examples:
        >>> year_factor(Decimal("0.2"), dt.date(2022, 1, 1), dt.date(2026, 12, 31), 2026)
        Decimal('0.82')
    """
    begin = path_factor(reduction, start, target, dt.date(year, 1, 1), methode)
    end = path_factor(reduction, start, target, dt.date(year + 1, 1, 1), methode)
    return (begin + end) / 2


def volume_path(
    reference_volume: Decimal,
    reduction: Decimal,
    start: dt.date,
    target: dt.date,
    years: Iterable[int],
    methode: Methode = "lineair",
) -> list[Decimal]:
    """Volume per year on a path from ``reference_volume`` towards ``1 - reduction`` of it.

    Each year's volume is the year average of the path, rounded to 0.001.

    Examples:
        >>> volume_path(Decimal(100), Decimal("0.2"), dt.date(2022, 1, 1), dt.date(2026, 12, 31), [2025, 2026, 2027])
        [Decimal('86.000'), Decimal('82.000'), Decimal('80.000')]
    """
    return [
        (reference_volume * year_factor(reduction, start, target, y, methode)).quantize(MILLI, ROUND_HALF_UP)
        for y in years
    ]


def realised_volume(
    eenheid: Eenheid, stand_begin: int, stand_einde: int, instroom: int, year_share: Fraction
) -> Decimal:
    """Realised volume of a reporting period in budget terms, from its stocks and inflow.

    Notes:
        ``maand`` products: average running measures ``(begin + end) / 2``;
        other units: units started, as a yearly rate ``inflow / year_share``.

    Examples:
        >>> realised_volume("maand", 10, 11, 3, Fraction(1, 4))
        Decimal('10.5')
        >>> realised_volume("traject", 0, 0, 3, Fraction(1, 4))
        Decimal('12')
    """
    if min(stand_begin, stand_einde, instroom) < 0:
        raise InvoerFout("standen en instroom mogen niet negatief zijn")
    if year_share <= 0:
        raise InvoerFout("een periode moet een deel van een jaar beslaan")
    if eenheid == "maand":
        return Decimal(stand_begin + stand_einde) / 2
    return Decimal(instroom * year_share.denominator) / year_share.numerator


def split_by_key(total_cents: int, weights: Sequence[Decimal | int]) -> list[int]:
    """Split an amount in cents over shares proportional to ``weights``, summing exactly.

    Largest-remainder method: each share gets the floor of its exact part; the
    cents left over go to the largest remainders (ties: first in order).

    Examples:
        >>> split_by_key(100, [1, 1, 1])
        [34, 33, 33]
        >>> split_by_key(1000, [0, 3, 1])
        [0, 750, 250]
    """
    exact_weights = [to_decimal(w) for w in weights]
    if any(w < 0 for w in exact_weights) or sum(exact_weights) <= 0:
        raise InvoerFout("verdeelsleutel moet niet-negatieve gewichten met een positieve som hebben")
    if total_cents < 0:
        return [-c for c in split_by_key(-total_cents, exact_weights)]
    fractions = [Fraction(w) for w in exact_weights]
    whole = sum(fractions)
    parts = [total_cents * w / whole for w in fractions]
    floors = [int(p) for p in parts]
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), i))
    for i in order[: total_cents - sum(floors)]:
        floors[i] += 1
    return floors


def split_over_municipalities(
    total_cents: int, tree: ParameterTree, gemeenten: Sequence[str], on: dt.date,
    realised: Mapping[str, Decimal] | None = None,
) -> dict[str, int]:
    """Split a regional amount over municipalities by realised use, or else by youths 0-17.

    With ``realised`` (use per municipality, e.g. last year's volume or spend)
    that is the key; otherwise ``bevolking.jeugdigen_0_17`` on ``on``.
    """
    if realised is not None:
        missing = [g for g in gemeenten if g not in realised]
        if missing:
            raise InvoerFout(f"geen gerealiseerd gebruik voor gemeente {missing[0]}")
        weights = [realised[g] for g in gemeenten]
    else:
        weights = [youths(tree, g, on) for g in gemeenten]
    return dict(zip(gemeenten, split_by_key(total_cents, weights), strict=True))
