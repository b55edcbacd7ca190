"""The begroting's tables of tariffs, index rates and cost prices, each row saying what it rests on.

Every row carries ``voorbeeld`` and ``voorlopig``: true when the row's figures
rest on an example value (not a published figure) or on a provisional figure.
Rows are plain named tuples (no pandas, which alone costs a third of a second to
import); the writers render them and compute nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from jbjr_budget.rules.budget_lines import BudgetLines, units_per_year
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import caseload_norm, cost_covering_gap, cost_price_elements, fte_needed, weight
from jbjr_budget.rules.indexation import index_rate
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.provenance import Herkomst
from jbjr_budget.rules.tariffs import family_key, tariff, tariff_path

__all__ = [
    "BUILD_UP", "BuildUpRow", "CostRow", "Flags", "IndexRow", "TariffRow", "cost_build_up", "cost_table",
    "index_table", "tariff_table", "volume_totals",
]

BUILD_UP = ["personeel_clientgebonden", "personeel_niet_clientgebonden", "overige_clientgebonden", "overhead",
            "indexatie", "marge"]
"""The elements of the cost price (art. 2.3 Besluit Jeugdwet, and the margin), in the order they are built."""


class Flags(NamedTuple):
    """Whether figures rest on an example value or a provisional figure."""

    voorbeeld: bool = False
    voorlopig: bool = False

    def __or__(self, other: object) -> Flags:
        """Either's example or provisional values."""
        if not isinstance(other, Flags):
            return NotImplemented
        return Flags(self.voorbeeld or other.voorbeeld, self.voorlopig or other.voorlopig)

    @classmethod
    def of(cls, herkomst: Herkomst) -> Flags:
        """The flags of what a figure rests on."""
        return cls(herkomst.is_voorbeeld, herkomst.is_voorlopig)

    @classmethod
    def any_of(cls, lines: BudgetLines) -> Flags:
        """The flags of budget lines together."""
        return cls(bool(lines.voorbeeld.any()), bool(lines.voorlopig.any()))


class TariffRow(NamedTuple):
    """A tariff the budget uses: product, family (national, contract or region), parameter, year, cents."""

    product: str
    naam: str
    eenheid: str
    tariefsoort: str
    parameter: str
    jaar: int
    tarief_centen: int
    voorbeeld: bool
    voorlopig: bool


class IndexRow(NamedTuple):
    """The applied index rate of a year with its build-up."""

    jaar: int
    percentage: Decimal
    basis: str
    voorlopig_gewogen: Decimal | None
    nacalculatie: Decimal | None
    methode: str | None
    voorbeeld: bool
    voorlopig: bool


class CostRow(NamedTuple):
    """Per scenario, product and tariff family: tariff, cost price, the gap per unit and in total, fte needed."""

    scenario: str
    caseloadnorm: float
    product: str
    naam: str
    tariefsoort: str
    tarief_centen: int
    kostprijs_centen: int
    verschil_centen: int
    volume: float
    fte: float
    verschil_totaal_centen: int
    voorbeeld: bool
    voorlopig: bool


class BuildUpRow(NamedTuple):
    """The cost price of one unit of a product by element, in cents (:data:`BUILD_UP` in order)."""

    product: str
    naam: str
    uren: float
    personeel_clientgebonden_centen: int
    personeel_niet_clientgebonden_centen: int
    overige_clientgebonden_centen: int
    overhead_centen: int
    indexatie_centen: int
    marge_centen: int
    kostprijs_centen: int
    voorbeeld: bool
    voorlopig: bool


def volume_totals(lines: BudgetLines, year: int) -> dict[str, Decimal]:
    """Volume per product over all municipalities in ``year``, summed exactly on the 0.001 grid of the lines."""
    milli = lines.sum_by("product", "jaar", column="volume_milli")[:, lines.jaren.index(year)]
    return {code: Decimal(int(m)).scaleb(-3) for code, m in zip(lines.producten, milli.tolist(), strict=True)}


def _paths(tree: ParameterTree, catalog: Catalog, lines: BudgetLines) -> dict[tuple[int, int, int], str]:
    """The tariff path of each (region, product, year) code triple the lines use, in line order."""
    used = dict.fromkeys(zip(lines.regio.tolist(), lines.product.tolist(), lines.jaar.tolist(), strict=True))
    return {(r, p, y): tariff_path(tree, lines.producten[p], dt.date(lines.jaren[y], 1, 1),
                                   catalog.regio(lines.regios[r])) for r, p, y in used}


def tariff_table(tree: ParameterTree, catalog: Catalog, lines: BudgetLines) -> list[TariffRow]:
    """Each tariff the lines use: product, family (national, contract or region), year, amount and its flags."""
    first: dict[tuple[str, str, int], tuple[int, int, int]] = {}
    for (r, p, y), path in _paths(tree, catalog, lines).items():
        first.setdefault((lines.producten[p], path, lines.jaren[y]), (r, p, y))
    rows = []
    for (code, path, year), (r, _, _) in sorted(first.items(), key=lambda item: item[0]):
        product = catalog.product(code)
        amount, herkomst = tree.traced(functools.partial(tariff, tree, code, dt.date(year, 1, 1),
                                                         catalog.regio(lines.regios[r])))
        rows.append(TariffRow(code, product.naam, product.eenheid_label, family_key(path), path, year,
                              to_cents(amount), *Flags.of(herkomst)))
    return rows


def index_table(tree: ParameterTree, years: Sequence[int]) -> list[IndexRow]:
    """The applied index rate of each year with its build-up (published figures or the named assumption)."""
    traced = [tree.traced(functools.partial(index_rate, tree, year)) for year in years]
    return [IndexRow(r.jaar, r.rate, r.basis, r.voorlopig_gewogen, r.nacalculatie, r.methode, *Flags.of(h))
            for r, h in traced]


def _cost_rows(name: str, tree: ParameterTree, catalog: Catalog, lines: BudgetLines, year: int) -> list[CostRow]:
    on, y = dt.date(year, 1, 1), lines.jaren.index(year)
    norm, herkomst = tree.traced(functools.partial(caseload_norm, tree, on))
    paths = _paths(tree, catalog, lines)
    in_year = np.flatnonzero(lines.jaar == y)
    by_path: dict[str, list[int]] = {}
    for i in in_year.tolist():
        by_path.setdefault(paths[(int(lines.regio[i]), int(lines.product[i]), y)], []).append(i)
    rows = []
    for path, members in by_path.items():
        code, regio = path.rsplit(".", 1)[1], lines.regios[int(lines.regio[members[-1]])]
        product, volume = catalog.product(code), Decimal(int(lines.volume_milli[members].sum())).scaleb(-3)
        with tree.trace() as seen:
            price = cost_price_elements(tree, product, on).totaal
            unit_tariff = tariff(tree, code, on, catalog.regio(regio))
            fte = fte_needed(volume, norm, weight(tree, code, on)) if product.eenheid == "maand" else Decimal(0)
        gap = cost_covering_gap(unit_tariff, price)
        flags = Flags.of(herkomst | seen.herkomst) | Flags(bool(lines.voorbeeld[members].any()),
                                                           bool(lines.voorlopig[members].any()))
        rows.append(CostRow(name, float(norm), code, product.naam, family_key(path), to_cents(unit_tariff),
                            to_cents(price), to_cents(gap), float(volume), float(fte),
                            to_cents(gap * units_per_year(volume, product.eenheid)), *flags))
    return rows


def cost_table(trees: dict[str, ParameterTree], catalog: Catalog, lines: dict[str, BudgetLines],
               year: int) -> list[CostRow]:
    """Per scenario, product and tariff family: tariff, cost price, the gap per unit and in total, fte needed.

    Volumes are summed exactly per tariff family over the municipalities that pay it.
    """
    return [row for name, tree in trees.items() for row in _cost_rows(name, tree, catalog, lines[name], year)]


def cost_build_up(tree: ParameterTree, catalog: Catalog, codes: Sequence[str], year: int) -> list[BuildUpRow]:
    """The cost price of one unit of each product by element, in cents (base scenario, 1 January of ``year``)."""
    on = dt.date(year, 1, 1)
    rows = []
    for code in codes:
        parts, herkomst = tree.traced(functools.partial(cost_price_elements, tree, catalog.product(code), on))
        rows.append(BuildUpRow._make([code, catalog.product(code).naam, float(parts.uren),
                                      *(to_cents(getattr(parts, name)) for name in BUILD_UP), to_cents(parts.totaal),
                                      *Flags.of(herkomst)]))
    return rows
