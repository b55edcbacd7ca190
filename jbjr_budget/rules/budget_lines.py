"""Budgets: volume x indexed tariff per product, municipality, region and year, in exact cents.

Rules, stated once:
- Pro-rata is by months: a year counts twelve months, a partial month counts
  its covered days over its own length, so a contribution from 1 July counts
  exactly half a year.
- Volumes are rounded half up to 0.001 unit before money is computed.
- A budget line is ``units x tariff x year fraction``, rounded half up to
  cents once; totals at every level are sums of lines and add up exactly.
- A budget year uses the tariff in force on 1 January of that year.

Rekenregel (pro rata):
    Naar rato per maand: een jaar telt twaalf maanden, een deel van een maand telt naar rato van de
    dagen in die maand. Een deelname vanaf 1 juli telt precies als een half jaar.

Rekenregel (tarief van een jaar):
    Een begrotingsjaar rekent het hele jaar met het tarief dat op 1 januari van dat jaar geldt. Een tarief
    dat halverwege een jaar ingaat, telt vanaf het volgende begrotingsjaar; wie het binnen het jaar wil
    verdelen, rekent de twee delen van het jaar apart met JBJR_BEGROTING, elk met een eigen tarief, begin-
    en einddatum.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Catalog, Eenheid
from jbjr_budget.rules.money import divide_half_up, round_cents, to_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.targets import volume_path_setting
from jbjr_budget.rules.tariffs import tariff
from jbjr_budget.rules.volumes import MILLI, volume_per_1000, youths

__all__ = [
    "BUDGET_COLUMNS",
    "Deelname",
    "billed_per_volume",
    "budget_lines",
    "budget_totals",
    "line_amount",
    "period_amount",
    "pxq_versus_lumpsum",
    "units_per_year",
    "year_fraction",
]

INT64_SAFE = 2**62
BUDGET_COLUMNS = ["regio", "gemeente", "product", "jaar", "volume", "tarief_centen", "bedrag_centen"]


@dataclass(frozen=True)
class Deelname:
    """Period in which a municipality takes part; ``None`` means open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None


@functools.lru_cache(maxsize=4096)
def year_fraction(year: int, start: dt.date | None = None, end: dt.date | None = None) -> Fraction:
    """Share of ``year`` covered by the period ``start``..``end`` (both inclusive).

    Notes:
        ``sum over months of (covered days / days in month) / 12``.

    Examples:
        >>> year_fraction(2026, start=dt.date(2026, 7, 1))
        Fraction(1, 2)
        >>> year_fraction(2026, start=dt.date(2026, 1, 16), end=dt.date(2026, 1, 31))
        Fraction(4, 93)
    """
    if start and end and end < start:
        raise InvoerFout(f"einddatum {end.isoformat()} ligt voor begindatum {start.isoformat()}")
    total = Fraction(0)
    for month in range(1, 13):
        length = calendar.monthrange(year, month)[1]
        first, last = dt.date(year, month, 1), dt.date(year, month, length)
        lo, hi = max(first, start or first), min(last, end or last)
        if lo <= hi:
            total += Fraction((hi - lo).days + 1, length)
    return total / 12


def billed_per_volume(eenheid: Eenheid) -> int:
    """Units billed in a year per unit of volume: 12 for a ``maand`` product, 1 for any other.

    A ``maand`` product's volume is the average number of running measures, each
    billed every month; other volumes already count units per year.

    Examples:
        >>> billed_per_volume("maand"), billed_per_volume("traject")
        (12, 1)
    """
    return 12 if eenheid == "maand" else 1


def units_per_year(volume: Decimal, eenheid: Eenheid) -> Decimal:
    """Billable units in a year: volume x :func:`billed_per_volume`.

    Examples:
        >>> units_per_year(Decimal("2.5"), "maand")
        Decimal('30.0')
    """
    if volume < 0:
        raise InvoerFout(f"volume mag niet negatief zijn ({volume})")
    return volume * billed_per_volume(eenheid)


def line_amount(volume: Decimal, eenheid: Eenheid, unit_tariff: Decimal, fraction: Fraction) -> Decimal:
    """Budget of one line: units x tariff x year fraction, rounded half up to cents once.

    Examples:
        >>> line_amount(Decimal(10), "maand", Decimal("1577.01"), Fraction(1, 2))
        Decimal('94620.60')
    """
    exact = units_per_year(volume.quantize(MILLI, ROUND_HALF_UP), eenheid) * unit_tariff
    return round_cents(exact * fraction.numerator / fraction.denominator)


def period_amount(
    volume: Decimal, eenheid: Eenheid, unit_tariff: Decimal, year: int,
    start: dt.date | None = None, end: dt.date | None = None,
) -> Decimal:
    """Budget of one line for the part of ``year`` between ``start`` and ``end`` (inclusive).

    Notes:
        ``line_amount(volume, eenheid, tariff, year_fraction(year, start, end))``

    Examples:
        >>> period_amount(Decimal(10), "maand", Decimal("1577.01"), 2026, start=dt.date(2026, 7, 1))
        Decimal('94620.60')
    """
    return line_amount(volume, eenheid, unit_tariff, year_fraction(year, start, end))


@dataclass(frozen=True)
class _Keys:
    """Row keys of the budget table as parallel lists (fast to iterate, unlike DataFrame columns)."""

    regio: list[str]
    gemeente: list[str]
    product: list[str]
    jaar: list[int]


def _line_keys(catalog: Catalog, regios: Sequence[str], years: Sequence[int]) -> _Keys:
    rows = [
        (regio.key, gemeente.key, code, year)
        for regio in (catalog.regio(r) for r in regios)
        for gemeente in regio.gemeenten
        for code in regio.producten
        for year in years
    ]
    regio, gemeente, product, jaar = (list(column) for column in zip(*rows, strict=True))
    return _Keys(regio, gemeente, product, jaar)


def _volumes_milli(tree: ParameterTree, catalog: Catalog, keys: _Keys, years: Sequence[int]) -> list[int]:
    first_year = dt.date(min(years), 1, 1)
    path = volume_path_setting(tree, catalog, first_year)
    reference = path.target.referentiedatum if path.target else first_year
    population = {g: youths(tree, g, first_year) for g in dict.fromkeys(keys.gemeente)}
    rates = {p: volume_per_1000(tree, p, reference) for p in dict.fromkeys(keys.product)}
    factors = {y: path.year_factor(y) for y in years}
    scale = {(p, y): rates[p] * (factors[y] if p in path.products else 1) for p in rates for y in years}
    return [
        int((population[g] * scale[(p, y)]).to_integral_value(ROUND_HALF_UP))
        for g, p, y in zip(keys.gemeente, keys.product, keys.jaar, strict=True)
    ]


def _fractions(keys: _Keys, deelname: Mapping[str, Deelname], default: Deelname) -> list[Fraction]:
    periods = [deelname.get(g, default) for g in keys.gemeente]
    return [year_fraction(y, p.start, p.end) for p, y in zip(periods, keys.jaar, strict=True)]


def _exact_cents(
    milli: npt.NDArray[np.int64], months: npt.NDArray[np.int64], tariff_cents: npt.NDArray[np.int64],
    fractions: Sequence[Fraction],
) -> npt.NDArray[np.int64]:
    """``milli/1000 * months * tariff * fraction`` in cents, rounded half up, exactly.

    Uses int64 when the largest intermediate product fits, Python integers otherwise.
    """
    num_list, den_list = [f.numerator for f in fractions], [f.denominator for f in fractions]
    bound = int(milli.max(initial=0)) * 12 * int(tariff_cents.max(initial=0)) * max(num_list, default=1)
    fits = bound * 2 < INT64_SAFE and max(den_list, default=1) * 2000 < INT64_SAFE
    dtype: type = np.int64 if fits else object
    num: npt.NDArray[Any] = np.array(num_list, dtype=dtype)
    den: npt.NDArray[Any] = np.array(den_list, dtype=dtype)
    numerator = milli.astype(dtype) * months.astype(dtype) * tariff_cents.astype(dtype) * num
    return divide_half_up(numerator, 1000 * den).astype(np.int64)


def budget_lines(
    tree: ParameterTree,
    catalog: Catalog,
    regios: Sequence[str],
    years: Sequence[int],
    periode: Deelname = Deelname(),
    deelname: Mapping[str, Deelname] | None = None,
) -> pd.DataFrame:
    """Budget lines for every municipality x product its region buys x year.

    Volume = youths 0-17 (first budget year) x volume per 1,000 youths x the
    year factor of the volume path (``volumes.pad``; only the products of the
    target it follows, from that target's reference date, looked up there);
    without a target the volume is that of 1 January of the first year.
    Tariff = the tariff of the product in the region, indexed to the year;
    amount per :func:`line_amount`, computed exactly for the whole table.
    ``periode`` is the contract period; ``deelname`` overrides it per municipality.

    Returns:
        DataFrame with :data:`BUDGET_COLUMNS` (``volume`` for display; money in
        integer cents).
    """
    if not years:
        raise InvoerFout("geen jaren opgegeven")
    keys = _line_keys(catalog, regios, years)
    milli = np.array(_volumes_milli(tree, catalog, keys, years), dtype=np.int64)
    tariffs = {(r, p, y): to_cents(tariff(tree, p, dt.date(y, 1, 1), catalog.regio(r)))
               for r, p in dict.fromkeys(zip(keys.regio, keys.product, strict=True)) for y in years}
    months_of = {p: billed_per_volume(catalog.product(p).eenheid) for p in dict.fromkeys(keys.product)}
    tariff_cents = np.array([tariffs[key] for key in zip(keys.regio, keys.product, keys.jaar, strict=True)],
                            dtype=np.int64)
    months = np.array([months_of[p] for p in keys.product], dtype=np.int64)
    amounts = _exact_cents(milli, months, tariff_cents, _fractions(keys, deelname or {}, periode))
    return pd.DataFrame({
        "regio": keys.regio, "gemeente": keys.gemeente, "product": keys.product, "jaar": keys.jaar,
        "volume": milli / 1000, "tarief_centen": tariff_cents, "bedrag_centen": amounts,
    })[BUDGET_COLUMNS]


def budget_totals(lines: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Sum budget lines by the given columns (e.g. ``["regio", "jaar"]``), in exact cents."""
    return lines.groupby(list(by), as_index=False, sort=False)["bedrag_centen"].sum()


def pxq_versus_lumpsum(pxq: pd.DataFrame, lumpsum: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """P x Q (tariff x volume) side by side with a lump sum, per group, in cents.

    Both frames are budget lines; the lump sum is fixed in advance (typically
    the base-volume budget), P x Q follows the volume that occurs.

    Returns:
        Columns ``by`` + ``pxq_centen``, ``lumpsum_centen``, ``verschil_centen``
        (lump sum minus P x Q: positive means the lump sum pays more).
    """
    left = budget_totals(pxq, by).rename(columns={"bedrag_centen": "pxq_centen"})
    right = budget_totals(lumpsum, by).rename(columns={"bedrag_centen": "lumpsum_centen"})
    merged = left.merge(right, on=list(by), how="outer").fillna(0)
    merged[["pxq_centen", "lumpsum_centen"]] = merged[["pxq_centen", "lumpsum_centen"]].astype(np.int64)
    merged["verschil_centen"] = merged["lumpsum_centen"] - merged["pxq_centen"]
    return merged
