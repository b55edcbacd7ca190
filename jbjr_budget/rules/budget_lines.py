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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.budget_table import BUDGET_COLUMNS, FLAG_COLUMNS, BudgetLines, Dimension
from jbjr_budget.rules.catalog import Catalog, Eenheid, Regio
from jbjr_budget.rules.money import divide_half_up, round_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.provenance import Herkomst
from jbjr_budget.rules.targets import volume_path_setting
from jbjr_budget.rules.tariffs import tariff_cents, tariff_flags
from jbjr_budget.rules.volumes import MILLI, volume_per_1000, youths

__all__ = [
    "BUDGET_COLUMNS",
    "FLAG_COLUMNS",
    "BudgetLines",
    "Deelname",
    "PxqLumpsum",
    "billed_per_volume",
    "budget_lines",
    "line_amount",
    "period_amount",
    "pxq_versus_lumpsum",
    "units_per_year",
    "year_fraction",
]

INT64_SAFE = 2**62
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


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


def _scaled(values: Sequence[Decimal]) -> tuple[list[int], int]:
    """Integers ``n`` and one exponent ``e`` with ``values[i] == n[i] * 10**e`` exactly.

    Examples:
        >>> _scaled([Decimal("1.5"), Decimal("2.25"), Decimal(3)])
        ([150, 225, 300], -2)
    """
    parts = [v.as_tuple() for v in values]
    exponent = min(int(p.exponent) for p in parts)
    return [(-1 if p.sign else 1) * int("".join(map(str, p.digits))) * 10 ** (int(p.exponent) - exponent)
            for p in parts], exponent


def _exact_array(numbers: Sequence[int], bound: int) -> npt.NDArray[Any]:
    """``numbers`` as int64 when products up to ``bound`` stay far from overflow, else as Python integers."""
    return np.array(numbers, dtype=np.int64 if bound < INT64_SAFE else object)


@dataclass(frozen=True)
class _Layout:
    """The labels and, per line, the codes of a budget: municipality x product of its region x year."""

    regios: tuple[Regio, ...]
    gemeenten: tuple[str, ...]
    producten: tuple[str, ...]
    jaren: tuple[int, ...]
    regio: npt.NDArray[np.intp]
    gemeente: npt.NDArray[np.intp]
    product: npt.NDArray[np.intp]
    jaar: npt.NDArray[np.intp]

    @classmethod
    def of(cls, regios: Sequence[Regio], years: Sequence[int], producten: Collection[str] | None,
           gemeenten: Collection[str] | None) -> _Layout:
        """Lines of ``regios`` for ``years``, only of these product codes and municipality keys (``None``: all)."""
        members = [[g.key for g in r.gemeenten if gemeenten is None or g.key in gemeenten] for r in regios]
        bought = [[c for c in r.producten if producten is None or c in producten] for r in regios]
        labels = tuple(dict.fromkeys(code for codes in bought for code in codes))
        position = {code: i for i, code in enumerate(labels)}
        count, blocks, first = len(years), [], 0
        for r, (keys, codes) in enumerate(zip(members, bought, strict=True)):
            g, p = len(keys), np.array([position[c] for c in codes], dtype=np.intp)
            blocks.append((np.full(g * len(p) * count, r), np.repeat(np.arange(first, first + g), len(p) * count),
                           np.tile(np.repeat(p, count), g), np.tile(np.arange(count), g * len(p))))
            first += g
        columns = [np.concatenate(parts).astype(np.intp) for parts in zip(*blocks, strict=True)]
        return cls(tuple(regios), tuple(k for keys in members for k in keys), labels, tuple(years), *columns)


class _Flags(NamedTuple):
    """Per line: whether it rests on an example value, and whether on a provisional figure."""

    voorbeeld: Bools
    voorlopig: Bools

    @classmethod
    def of(cls, herkomst: Sequence[Herkomst], codes: npt.NDArray[np.intp]) -> _Flags:
        """The flags of each line from those of its label (``codes`` index ``herkomst``)."""
        return cls(np.array([h.is_voorbeeld for h in herkomst], dtype=bool)[codes],
                   np.array([h.is_voorlopig for h in herkomst], dtype=bool)[codes])

    def __or__(self, other: object) -> _Flags:
        """Either's flags, line by line."""
        if not isinstance(other, _Flags):
            return NotImplemented
        return _Flags(self.voorbeeld | other.voorbeeld, self.voorlopig | other.voorlopig)


class _VolumeInputs(NamedTuple):
    """What the volumes are made of: youths per municipality, volume per 1,000 x year factor, and the flags."""

    population: list[Decimal]
    scales: list[Decimal]
    """Per product and year (product-major)."""
    flags: _Flags


def _volume_inputs(tree: ParameterTree, catalog: Catalog, layout: _Layout) -> _VolumeInputs:
    """Youths (first budget year), volume per 1,000 (at the path's reference date) x year factor, with flags."""
    first_year = dt.date(layout.jaren[0], 1, 1)
    path, on_path = tree.traced(functools.partial(volume_path_setting, tree, catalog, first_year))
    reference = path.target.referentiedatum if path.target else first_year
    factors = [path.year_factor(y) for y in layout.jaren]
    people = [tree.traced(functools.partial(youths, tree, g, first_year)) for g in layout.gemeenten]
    rates = [tree.traced(functools.partial(volume_per_1000, tree, p, reference)) for p in layout.producten]
    scales = [rate * (f if p in path.products else 1)
              for p, (rate, _) in zip(layout.producten, rates, strict=True) for f in factors]
    per_product = [h | on_path if p in path.products else h for p, (_, h) in zip(layout.producten, rates, strict=True)]
    flags = _Flags.of([h for _, h in people], layout.gemeente) | _Flags.of(per_product, layout.product)
    return _VolumeInputs([n for n, _ in people], scales, flags)


def _volumes_milli(inputs: _VolumeInputs, layout: _Layout) -> Ints:
    """Per line ``round_half_up(youths x volume per 1,000 x year factor)`` in 0.001 unit, exactly."""
    population, exponent = _scaled(inputs.population)
    scale, scale_exponent = _scaled(inputs.scales)
    shift = exponent + scale_exponent
    bound = max(map(abs, population), default=0) * max(map(abs, scale), default=0) * 10 ** max(shift, 0) * 2
    people = _exact_array(population, bound)[layout.gemeente]
    per_unit = _exact_array(scale, bound)[layout.product * len(layout.jaren) + layout.jaar]
    product = people * per_unit
    exact = product * 10**shift if shift >= 0 else divide_half_up(product, 10**-shift)
    return exact.astype(np.int64)


def _tariffs(tree: ParameterTree, layout: _Layout) -> tuple[Ints, _Flags]:
    """Per line the tariff of its product in its region and year, in cents (looked up once for each), with flags."""
    bought = np.zeros((len(layout.regios), len(layout.producten)), dtype=bool)
    bought[layout.regio, layout.product] = True
    line = (layout.regio, layout.product, layout.jaar)
    table = tariff_cents(tree, layout.regios, layout.producten, layout.jaren, bought)
    example, provisional = tariff_flags(tree, layout.regios, layout.producten, layout.jaren, bought)
    return table[line], _Flags(example[line], provisional[line])


class _Fractions(NamedTuple):
    """The distinct year fractions of a budget and, per line, the index of its own."""

    numerators: list[int]
    denominators: list[int]
    of_line: npt.NDArray[np.intp]

    @classmethod
    def of(cls, layout: _Layout, deelname: Mapping[str, Deelname], default: Deelname) -> _Fractions:
        periods = list(dict.fromkeys([default, *deelname.values()]))
        of_gemeente = np.array([periods.index(deelname.get(g, default)) for g in layout.gemeenten], dtype=np.intp)
        fractions = [year_fraction(y, p.start, p.end) for p in periods for y in layout.jaren]
        index = of_gemeente[layout.gemeente] * len(layout.jaren) + layout.jaar
        return cls([f.numerator for f in fractions], [f.denominator for f in fractions], index)


def _exact_cents(milli: Ints, months: Ints, tariff_cents: Ints, fractions: _Fractions) -> Ints:
    """``milli/1000 * months * tariff * fraction`` in cents, rounded half up, exactly.

    Uses int64 when the largest intermediate product fits, Python integers otherwise.
    """
    bound = (int(np.abs(milli).max(initial=0)) * 12 * int(np.abs(tariff_cents).max(initial=0))
             * max(fractions.numerators) * 2)
    dtype: type = np.int64 if bound < INT64_SAFE and max(fractions.denominators) * 2000 < INT64_SAFE else object
    num: npt.NDArray[Any] = np.array(fractions.numerators, dtype=dtype)[fractions.of_line]
    den: npt.NDArray[Any] = np.array(fractions.denominators, dtype=dtype)[fractions.of_line]
    numerator = milli.astype(dtype) * months.astype(dtype) * tariff_cents.astype(dtype) * num
    return divide_half_up(numerator, 1000 * den).astype(np.int64)


def budget_lines(
    tree: ParameterTree,
    catalog: Catalog,
    regios: Sequence[str],
    years: Sequence[int],
    periode: Deelname = Deelname(),
    deelname: Mapping[str, Deelname] | None = None,
    producten: Collection[str] | None = None,
    gemeenten: Collection[str] | None = None,
) -> BudgetLines:
    """Budget lines for every municipality x product its region buys x year, as integer-coded columns.

    Volume = youths 0-17 (first budget year) x volume per 1,000 youths x the
    year factor of the volume path (``volumes.pad``; only the products of the
    target it follows, from that target's reference date, looked up there);
    without a target the volume is that of 1 January of the first year.
    Tariff = the tariff of the product in the region, indexed to the year;
    amount per :func:`line_amount`, computed exactly for the whole table in
    integers. ``periode`` is the contract period; ``deelname`` overrides it per
    municipality. ``producten`` (codes) and ``gemeenten`` (keys) keep only those
    lines (``None``: all). A region named twice counts once.
    """
    if not years:
        raise InvoerFout("geen jaren opgegeven")
    chosen = list({regio.key: regio for regio in (catalog.regio(r) for r in regios)}.values())
    layout = _Layout.of(chosen, years, producten, gemeenten)
    if not len(layout.jaar):
        raise InvoerFout("geen begrotingsregels voor deze producten en gemeenten")
    inputs = _volume_inputs(tree, catalog, layout)
    milli = _volumes_milli(inputs, layout)
    months = np.array([billed_per_volume(catalog.product(p).eenheid) for p in layout.producten],
                      dtype=np.int64)[layout.product]
    tariff_cents, tariff_flags = _tariffs(tree, layout)
    amounts = _exact_cents(milli, months, tariff_cents, _Fractions.of(layout, deelname or {}, periode))
    flags = inputs.flags | tariff_flags
    return BudgetLines(tuple(r.key for r in chosen), layout.gemeenten, layout.producten, layout.jaren,
                       layout.regio, layout.gemeente, layout.product, layout.jaar, milli, tariff_cents, amounts,
                       flags.voorbeeld, flags.voorlopig)


@dataclass(frozen=True)
class PxqLumpsum:
    """P x Q (tariff x volume) side by side with a lump sum, in cents, with one axis per dimension compared."""

    pxq_centen: Ints
    lumpsum_centen: Ints

    @property
    def verschil_centen(self) -> Ints:
        """Lump sum minus P x Q: positive means the lump sum pays more."""
        return self.lumpsum_centen - self.pxq_centen


def pxq_versus_lumpsum(pxq: BudgetLines, lumpsum: BudgetLines, *by: Dimension) -> PxqLumpsum:
    """Totals of P x Q and of a lump sum by the dimensions ``by`` (e.g. ``"regio", "jaar"``).

    Both are budget lines of the same regions and years; the lump sum is fixed in
    advance (typically the base-volume budget), P x Q follows the volume that occurs.
    """
    if any(pxq.labels(d) != lumpsum.labels(d) for d in by):
        raise InvoerFout("P x Q en lumpsum gaan over verschillende regio's, gemeenten, producten of jaren")
    return PxqLumpsum(pxq.sum_by(*by), lumpsum.sum_by(*by))
