"""The multi-year budget (begroting) of a set of regions: every engine result the main job shows.

Assumptions, stated in the workbook too: volumes come from youths 0-17 x volume
per 1,000 youths; the lump sum is fixed in advance at the base-scenario budget;
the contracted GIs together break even at the base tariff (costs = turnover
without surcharge) and start without reserve, which is the situation the risk
surcharge of the Verbeteragenda JB West (2020) addresses; the caseload investment pays back through the
savings of the target path.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from jbjr_budget.errors import InvoerFout
from jbjr_budget.models.budget_tables import (
    BuildUpRow,
    CostRow,
    Flags,
    IndexRow,
    TariffRow,
    cost_build_up,
    cost_table,
    index_table,
    tariff_table,
    volume_totals,
)
from jbjr_budget.rules.budget_lines import BudgetLines, budget_lines, pxq_versus_lumpsum
from jbjr_budget.rules.budget_table import Dimension
from jbjr_budget.rules.catalog import Catalog, Groep, load_catalog
from jbjr_budget.rules.investment import net_present_value, payback_period
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.reserves import (
    MonteCarloResult,
    ReserveYear,
    reserve_path,
    risk_settings,
    simulate_reserves,
    target_year,
    working_capital,
)
from jbjr_budget.rules.scenarios import load_scenario, scenario_description, scenario_names
from jbjr_budget.rules.targets import volume_path_setting
from jbjr_budget.rules.volumes import split_by_key

__all__ = ["BASIS", "DOELPAD", "Begroting", "PxqRow", "ReserveRow", "SurchargeRow", "compute_begroting"]

BASIS, DOELPAD = "basis", "doelpad_min20"
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Investering:
    """NPV and payback of the caseload investment against the target-path savings."""

    bedrag_centen: int
    disconteringsvoet: Decimal
    kasstromen_centen: list[int]
    netto_contante_waarde: Decimal
    terugverdientijd_jaren: Decimal | None
    flags: Flags
    """Whether the investment or the savings rest on example values or provisional figures."""


class PxqRow(NamedTuple):
    """P x Q of a scenario against the lump sum (the base budget) for a region and year, in cents."""

    regio: str
    jaar: int
    pxq_centen: int
    lumpsum_centen: int
    verschil_centen: int
    scenario: str
    voorbeeld: bool
    voorlopig: bool


class ReserveRow(NamedTuple):
    """A year of the reserve path with its flags: whether example or provisional figures went into it."""

    cijfers: ReserveYear
    voorbeeld: bool
    voorlopig: bool


class SurchargeRow(NamedTuple):
    """What the risk surcharge costs a municipality in a year, in cents."""

    regio: str
    gemeente: str
    jaar: int
    opslag_centen: int
    voorbeeld: bool
    voorlopig: bool


@dataclass(frozen=True)
class Begroting:
    """Everything the main job computes for its regions, years and scenarios."""

    catalog: Catalog
    regios: list[str]
    jaren: list[int]
    scenarios: dict[str, str]
    scenario_producten: dict[str, tuple[str, ...]]
    """Per scenario: the products whose volumes follow a target path (none: volumes as in basis)."""
    trees: dict[str, ParameterTree]
    regels: dict[str, BudgetLines]
    """The budget lines of each scenario."""
    tarieven: list[TariffRow]
    indexatie: list[IndexRow]
    kostprijzen: list[CostRow]
    kostprijsopbouw: list[BuildUpRow]
    pxq_lumpsum: list[PxqRow]
    reservepad: list[ReserveRow]
    opslag_per_gemeente: list[SurchargeRow]
    norm_bereikt: int | None
    werkkapitaal_centen: int
    monte_carlo: MonteCarloResult
    investering: Investering
    reserve_flags: Flags
    """Whether the reserve figures (turnover, surcharge, working capital, Monte Carlo) rest on example values."""

    @property
    def basis(self) -> ParameterTree:
        """The base scenario's parameter tree."""
        return self.trees[BASIS]

    def voorbeeldwaarden(self, scenario: str | None = None) -> list[str]:
        """Paths of example values the scenario (or any scenario) used."""
        trees = self.trees.values() if scenario is None else [self.trees[scenario]]
        return sorted({p for tree in trees for p in tree.used_examples()})

    def voorlopige_waarden(self, scenario: str | None = None) -> list[str]:
        """Paths of provisional figures the scenario (or any scenario) used."""
        trees = self.trees.values() if scenario is None else [self.trees[scenario]]
        return sorted({p for tree in trees for p in tree.used_provisional()})

    def volumes_per_product(self, scenario: str, year: int) -> dict[str, Decimal]:
        """Volume per product over all municipalities in ``year``, on the 0.001 grid of the lines."""
        return volume_totals(self.regels[scenario], year)

    def group_volume(self, scenario: str, year: int, group: Groep) -> Decimal:
        """Volume of the catalogue's ``group`` (e.g. ``ots``) over all municipalities in ``year``."""
        volumes = self.volumes_per_product(scenario, year)
        return sum((volumes.get(code, Decimal(0)) for code in self.catalog.group(group)), Decimal(0))

    def kostprijs_totaal(self, scenario: str) -> tuple[float, int]:
        """Over the cost-price rows of ``scenario``: the fte needed and the yearly gap in cents."""
        rows = [r for r in self.kostprijzen if r.scenario == scenario]
        return math.fsum(r.fte for r in rows), sum(r.verschil_totaal_centen for r in rows)

    def product_flags(self, scenario: str, year: int | None = None) -> dict[str, Flags]:
        """Per product: whether its lines of ``scenario`` (in ``year``, else any) rest on examples or provisionals."""
        lines = self.regels[scenario]
        by: tuple[Dimension, ...] = ("product",) if year is None else ("product", "jaar")
        found = [lines.any_by(*by, flag=f) for f in ("voorbeeld", "voorlopig")]
        if year is not None:
            found = [f[:, lines.jaren.index(year)] for f in found]
        return {code: Flags(bool(e), bool(p)) for code, e, p in zip(lines.producten, *found, strict=True)}

    def totaal_per_jaar(self, scenario: str) -> list[int]:
        """The budget of ``scenario`` per year over all regions, in cents."""
        return [int(c) for c in self.regels[scenario].sum_by("jaar").tolist()]


def _flags_by(lines: Sequence[BudgetLines], *by: Dimension) -> tuple[Bools, Bools]:
    """Per group of ``by`` (one axis each): whether a line of ``lines`` rests on an example, a provisional value."""
    example = np.logical_or.reduce([table.any_by(*by, flag="voorbeeld") for table in lines])
    provisional = np.logical_or.reduce([table.any_by(*by, flag="voorlopig") for table in lines])
    return example, provisional


def _investment(tree: ParameterTree, savings_cents: list[int], year: int, savings_flags: Flags) -> Investering:
    on = dt.date(year, 1, 1)
    settings, herkomst = tree.traced(functools.partial(risk_settings, tree, on))
    amount, rate = to_cents(settings.investering), settings.disconteringsvoet
    flows = [-amount, *savings_cents]
    as_euros = [Decimal(c) / 100 for c in flows]
    return Investering(amount, rate, flows, net_present_value(rate, as_euros), payback_period(as_euros),
                       Flags.of(herkomst) | savings_flags)


def _surcharge_per_gemeente(basis: BudgetLines, path: Sequence[ReserveYear]) -> list[SurchargeRow]:
    """Each year's risk surcharge split over municipalities by their base budget, exact to the cent.

    What the surcharge costs a municipality: its share of the GIs' surcharge,
    ``opslag x budget_gemeente / budget_totaal`` (largest remainder, so the
    shares add up to the surcharge of :func:`~jbjr_budget.rules.reserves.reserve_path`).
    """
    per_gemeente = basis.sum_by("gemeente", "jaar")
    example, provisional = _flags_by([basis], "gemeente", "jaar")
    regio_of = np.zeros(len(basis.gemeenten), dtype=np.intp)
    regio_of[basis.gemeente] = basis.regio
    rows = []
    for y, year in enumerate(path):
        shares = split_by_key(year.opslag_centen, per_gemeente[:, y].tolist())
        rows += [SurchargeRow(basis.regios[regio_of[g]], gemeente, year.jaar, share, bool(example[g, y]),
                              bool(provisional[g, y])) for g, (gemeente, share) in enumerate(
                     zip(basis.gemeenten, shares, strict=True))]
    return rows


def _pxq_per_scenario(lines: dict[str, BudgetLines]) -> list[PxqRow]:
    """P x Q of every other scenario against the lump sum fixed at the base budget, per region and year.

    A row is flagged when a line of either budget rests on an example or provisional value.
    """
    basis = lines[BASIS]
    rows = []
    for name, scenario in lines.items():
        if name != BASIS:
            table = pxq_versus_lumpsum(scenario, basis, "regio", "jaar")
            example, provisional = _flags_by([scenario, basis], "regio", "jaar")
            rows += [PxqRow(regio, year, int(table.pxq_centen[r, y]), int(table.lumpsum_centen[r, y]),
                            int(table.verschil_centen[r, y]), name, bool(example[r, y]), bool(provisional[r, y]))
                     for r, regio in enumerate(basis.regios) for y, year in enumerate(basis.jaren)]
    return rows


def _scenario_sources(extra_scenarios: Sequence[Path]) -> dict[str, str | Path]:
    """Every scenario by name: the bundled ones (by name), then the user's files (named after the file)."""
    sources: dict[str, str | Path] = {n: n for n in scenario_names()}
    for file in extra_scenarios:
        if file.stem in sources:
            raise InvoerFout(f"scenario '{file.stem}' bestaat al; geef het bestand een andere naam")
        sources[file.stem] = file
    return sources


def compute_begroting(
    regios: Sequence[str] | None = None,
    jaren: Sequence[int] = range(2026, 2031),
    parameter_files: Sequence[Path] = (),
    extra_scenarios: Sequence[Path] = (),
    catalog: Catalog | None = None,
) -> Begroting:
    """Compute the budget of ``regios`` (default: the NW4 contract) for ``jaren`` in every scenario.

    The bundled scenarios are always computed; ``extra_scenarios`` are the
    user's own scenario files (named after the file), added beside them.
    """
    catalog = catalog or load_catalog()
    regio_keys = [catalog.regio(r).key for r in (regios or [r.key for r in catalog.contract_regios("nw4")])]
    years = list(jaren)
    if not years:
        raise InvoerFout("geen jaren opgegeven")
    sources = _scenario_sources(extra_scenarios)
    names = list(sources)
    trees = {name: load_scenario(source, parameter_files) for name, source in sources.items()}
    lines = {n: budget_lines(trees[n], catalog, regio_keys, years) for n in names}
    basis_lines, doel_lines = lines[BASIS], lines[DOELPAD]
    first = dt.date(years[0], 1, 1)
    risk = trees[BASIS]
    settings, risk_herkomst = risk.traced(functools.partial(risk_settings, risk, first))
    surcharge, target = settings.opslag, settings.norm
    turnover = [int(c) for c in basis_lines.sum_by("jaar").tolist()]
    reserve_flags = Flags.any_of(basis_lines) | Flags.of(risk_herkomst)
    path_years = reserve_path(years, turnover, turnover, 0, surcharge, target)
    example, provisional = _flags_by([basis_lines], "jaar")
    path = [ReserveRow(year, bool(example[y]), bool(provisional[y])) for y, year in enumerate(path_years)]
    savings = [int(c) for c in (basis_lines.sum_by("jaar") - doel_lines.sum_by("jaar")).tolist()]
    return Begroting(
        catalog=catalog, regios=regio_keys, jaren=years,
        scenarios={n: scenario_description(s) for n, s in sources.items()}, trees=trees, regels=lines,
        scenario_producten={n: tuple(sorted(volume_path_setting(trees[n], catalog, first).products)) for n in names},
        tarieven=tariff_table(risk, catalog, basis_lines), indexatie=index_table(risk, years),
        kostprijzen=cost_table(trees, catalog, lines, years[0]),
        kostprijsopbouw=cost_build_up(risk, catalog, basis_lines.producten, years[0]),
        pxq_lumpsum=_pxq_per_scenario(lines),
        reservepad=path, opslag_per_gemeente=_surcharge_per_gemeente(basis_lines, path_years),
        norm_bereikt=target_year(path_years, target),
        werkkapitaal_centen=working_capital_first_year(risk, turnover[0], first),
        monte_carlo=simulate_reserves(years, turnover[0], turnover[0], 0, surcharge, target,
                                      float(settings.spreiding_volume), float(settings.spreiding_kosten)),
        investering=_investment(risk, savings, years[0],
                                Flags.any_of(basis_lines) | Flags.any_of(doel_lines)),
        reserve_flags=reserve_flags,
    )


def working_capital_first_year(tree: ParameterTree, turnover_cents: int, on: dt.date) -> int:
    """Working capital the GIs ask for: ``werkkapitaal_maanden`` of the first year's turnover."""
    return working_capital(turnover_cents, risk_settings(tree, on).werkkapitaal_maanden)
