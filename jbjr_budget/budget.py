"""Budgets: volume x indexed tariff per product, municipality, region and year, in exact cents.

Rules, stated once:
- Pro-rata is by months: a year counts twelve months, a partial month counts
  its covered days over its own length, so a contribution from 1 July counts
  exactly half a year.
- Volumes are rounded half up to 0.001 unit before money is computed.
- A budget line is ``units x tariff x year fraction``, rounded half up to
  cents once; totals at every level are sums of lines and add up exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from jbjr_budget.catalog import Catalog, Eenheid
from jbjr_budget.errors import InvoerFout
from jbjr_budget.money import divide_half_up, round_cents, to_cents
from jbjr_budget.parameter_tree import ParameterTree
from jbjr_budget.tariffs import tariff
from jbjr_budget.volumes import Methode, year_factor

__all__ = [
    "BUDGET_COLUMNS",
    "Deelname",
    "budget_lines",
    "budget_totals",
    "line_amount",
    "pxq_versus_lumpsum",
    "units_per_year",
    "volume_path",
    "year_fraction",
]

MILLI = Decimal("0.001")
INT64_SAFE = 2**62
BUDGET_COLUMNS = ["regio", "gemeente", "product", "jaar", "volume", "tarief_centen", "bedrag_centen"]


@dataclass(frozen=True)
class Deelname:
    """Period in which a municipality takes part; ``None`` means open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None


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


def units_per_year(volume: Decimal, eenheid: Eenheid) -> Decimal:
    """Billable units in a year: a ``maand`` volume (average running measures) times 12.

    Examples:
        >>> units_per_year(Decimal("2.5"), "maand")
        Decimal('30.0')
    """
    if volume < 0:
        raise InvoerFout(f"volume mag niet negatief zijn ({volume})")
    return volume * 12 if eenheid == "maand" else volume


def line_amount(volume: Decimal, eenheid: Eenheid, unit_tariff: Decimal, fraction: Fraction) -> Decimal:
    """Budget of one line: units x tariff x year fraction, rounded half up to cents once.

    Examples:
        >>> line_amount(Decimal(10), "maand", Decimal("1577.01"), Fraction(1, 2))
        Decimal('94620.60')
    """
    exact = units_per_year(volume.quantize(MILLI, ROUND_HALF_UP), eenheid) * unit_tariff
    return round_cents(exact * fraction.numerator / fraction.denominator)


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


def _scenario_factors(tree: ParameterTree, years: Sequence[int]) -> tuple[dt.date, dict[int, Decimal]]:
    on = dt.date(min(years), 1, 1)
    root = "volumes.scenario"
    start = dt.date.fromisoformat(tree.text(f"{root}.startdatum", on))
    target = dt.date.fromisoformat(tree.text(f"{root}.doeldatum", on))
    methode = tree.text(f"{root}.methode", on)
    reduction = tree.value(f"{root}.reductie", on)
    factors = {y: year_factor(reduction, start, target, y, methode) for y in years}  # type: ignore[arg-type]
    return start, factors


def _line_frame(catalog: Catalog, regios: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    rows = [
        (regio.key, gemeente.key, code, year)
        for regio in (catalog.regio(r) for r in regios)
        for gemeente in regio.gemeenten
        for code in regio.producten
        for year in years
    ]
    return pd.DataFrame(rows, columns=["regio", "gemeente", "product", "jaar"])


def _volumes_milli(
    tree: ParameterTree, catalog: Catalog, frame: pd.DataFrame, years: Sequence[int]
) -> npt.NDArray[np.int64]:
    reference, factors = _scenario_factors(tree, years)
    first_year = dt.date(min(years), 1, 1)
    youths = {g: tree.value(f"bevolking.jeugdigen_0_17.{g}", first_year) for g in frame["gemeente"].unique()}
    rates = {p: tree.value(f"volumes.per_1000_jeugdigen.{p}", reference) / 1000 for p in frame["product"].unique()}
    is_measure = {p: catalog.product(p).is_maatregel for p in rates}
    milli = [
        int((youths[g] * rates[p] * (factors[y] if is_measure[p] else 1) * 1000).to_integral_value(ROUND_HALF_UP))
        for g, p, y in zip(frame["gemeente"], frame["product"], frame["jaar"], strict=True)
    ]
    return np.array(milli, dtype=np.int64)


def _fractions(frame: pd.DataFrame, deelname: Mapping[str, Deelname], default: Deelname) -> list[Fraction]:
    cache: dict[tuple[str, int], Fraction] = {}
    out = []
    for g, y in zip(frame["gemeente"], frame["jaar"], strict=True):
        if (g, y) not in cache:
            period = deelname.get(g, default)
            cache[(g, y)] = year_fraction(int(y), period.start, period.end)
        out.append(cache[(g, y)])
    return out


def _exact_cents(
    milli: npt.NDArray[np.int64], months: npt.NDArray[np.int64], tariff_cents: npt.NDArray[np.int64],
    fractions: Sequence[Fraction],
) -> npt.NDArray[np.int64]:
    """``milli/1000 * months * tariff * fraction`` in cents, rounded half up, exactly."""
    num = np.array([f.numerator for f in fractions], dtype=object)
    den = np.array([f.denominator for f in fractions], dtype=object)
    bound = int(np.max(milli, initial=0)) * 12 * int(np.max(tariff_cents, initial=0)) * int(max(num, default=1))
    dtype: type = np.int64 if bound * 2 < INT64_SAFE and max(den, default=1) * 2000 < INT64_SAFE else object
    numerator = milli.astype(dtype) * months.astype(dtype) * tariff_cents.astype(dtype) * num.astype(dtype)
    return divide_half_up(numerator, (1000 * den).astype(dtype)).astype(np.int64)


def budget_lines(
    tree: ParameterTree,
    catalog: Catalog,
    regios: Sequence[str],
    years: Sequence[int],
    periode: Deelname = Deelname(),
    deelname: Mapping[str, Deelname] | None = None,
) -> pd.DataFrame:
    """Budget lines for every municipality x product its region buys x year.

    Volume = youths 0-17 (first budget year) x volume per 1,000 youths (at the
    scenario's reference date) x the scenario's year factor
    (statutory measures only); tariff = national tariff indexed to the year;
    amount per :func:`line_amount`, computed exactly for the whole table.
    ``periode`` is the contract period; ``deelname`` overrides it per municipality.

    Returns:
        DataFrame with :data:`BUDGET_COLUMNS` (``volume`` for display; money in
        integer cents).
    """
    if not years:
        raise InvoerFout("geen jaren opgegeven")
    frame = _line_frame(catalog, regios, years)
    milli = _volumes_milli(tree, catalog, frame, years)
    tariffs = {
        (p, y): to_cents(tariff(tree, p, dt.date(y, 1, 1)))
        for p in frame["product"].unique() for y in years
    }
    tariff_cents = np.array([tariffs[(p, y)] for p, y in zip(frame["product"], frame["jaar"], strict=True)])
    months = np.array([12 if catalog.product(p).eenheid == "maand" else 1 for p in frame["product"]])
    fractions = _fractions(frame, deelname or {}, periode)
    frame["volume"] = milli / 1000
    frame["tarief_centen"] = tariff_cents.astype(np.int64)
    frame["bedrag_centen"] = _exact_cents(milli, months.astype(np.int64), tariff_cents.astype(np.int64), fractions)
    return frame[BUDGET_COLUMNS]


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
