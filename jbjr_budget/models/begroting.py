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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.budget_lines import BudgetLines, budget_lines, pxq_versus_lumpsum, units_per_year
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.costprice import (
    caseload_norm,
    cost_covering_gap,
    cost_price,
    cost_price_elements,
    fte_needed,
    weight,
)
from jbjr_budget.rules.indexation import index_rate
from jbjr_budget.rules.investment import net_present_value, payback_period
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.reserves import (
    MonteCarloResult,
    reserve_path,
    risk_settings,
    simulate_reserves,
    target_year,
    working_capital,
)
from jbjr_budget.rules.scenarios import load_scenario, scenario_description, scenario_names
from jbjr_budget.rules.tariffs import family_key, tariff, tariff_path
from jbjr_budget.rules.volumes import split_by_key

__all__ = ["BASIS", "DOELPAD", "Begroting", "compute_begroting"]

BASIS, DOELPAD = "basis", "doelpad_min20"
VOLUME_SD, COST_SD = 0.05, 0.03


@dataclass(frozen=True)
class Investering:
    """NPV and payback of the caseload investment against the target-path savings."""

    bedrag_centen: int
    disconteringsvoet: Decimal
    kasstromen_centen: list[int]
    netto_contante_waarde: Decimal
    terugverdientijd_jaren: Decimal | None


@dataclass(frozen=True)
class Begroting:
    """Everything the main job computes for its regions, years and scenarios."""

    catalog: Catalog
    regios: list[str]
    jaren: list[int]
    scenarios: dict[str, str]
    trees: dict[str, ParameterTree]
    regels: pd.DataFrame
    tarieven: pd.DataFrame
    indexatie: pd.DataFrame
    kostprijzen: pd.DataFrame
    kostprijsopbouw: pd.DataFrame
    pxq_lumpsum: pd.DataFrame
    reservepad: pd.DataFrame
    opslag_per_gemeente: pd.DataFrame
    norm_bereikt: int | None
    werkkapitaal_centen: int
    monte_carlo: MonteCarloResult
    investering: Investering

    @property
    def basis(self) -> ParameterTree:
        """The base scenario's parameter tree."""
        return self.trees[BASIS]

    def voorbeeldwaarden(self) -> list[str]:
        """Paths of example values any scenario used."""
        return sorted({p for tree in self.trees.values() for p in tree.used_examples()})

    def volumes_per_product(self, scenario: str, year: int) -> dict[str, Decimal]:
        """Volume per product over all municipalities in ``year``, on the 0.001 grid of the lines."""
        return _volume_totals(self.regels, scenario, year)

    def totalen(self, by: Sequence[str]) -> pd.DataFrame:
        """Budget totals in cents by ``by`` (``scenario`` is a column too)."""
        return _totals(self.regels, by)


def _totals(lines: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Sum budget lines by the given columns (e.g. ``["regio", "jaar"]``), in exact cents."""
    return lines.groupby(list(by), as_index=False, sort=False)["bedrag_centen"].sum()


def _volume_totals(regels: pd.DataFrame, scenario: str, year: int, by: str = "product") -> dict[str, Decimal]:
    """Volume per ``by`` (a column) over all municipalities, summed exactly on the 0.001 grid of the lines.

    The lines carry volume as a float for display; summing those floats gives
    noise such as 482.15999999999997, which must not reach an amount of money.
    """
    lines = regels[(regels["scenario"] == scenario) & (regels["jaar"] == year)]
    milli = (lines["volume"] * 1000).round().astype("int64")
    totals = milli.groupby(lines[by], sort=False).sum()
    return {str(key): Decimal(int(m)).scaleb(-3) for key, m in totals.items()}


def _with_tariff_paths(tree: ParameterTree, catalog: Catalog, lines: pd.DataFrame) -> pd.DataFrame:
    """``lines`` with the parameter path of each line's tariff in its year (``tarief``)."""
    pairs = dict.fromkeys(zip(lines["regio"], lines["product"], lines["jaar"], strict=True))
    paths = {key: tariff_path(tree, key[1], dt.date(int(key[2]), 1, 1), catalog.regio(key[0])) for key in pairs}
    keys = zip(lines["regio"], lines["product"], lines["jaar"], strict=True)
    return lines.assign(tarief=[paths[key] for key in keys])


def _tariff_table(tree: ParameterTree, catalog: Catalog, lines: pd.DataFrame) -> pd.DataFrame:
    """Each tariff the lines use: product, family (national, contract or region), year and amount."""
    used = _with_tariff_paths(tree, catalog, lines).drop_duplicates(["product", "tarief", "jaar"])
    rows = []
    for r in used.sort_values(["product", "tarief", "jaar"], kind="stable").itertuples():
        on, product = dt.date(int(r.jaar), 1, 1), catalog.product(r.product)
        rows.append((r.product, product.naam, product.eenheid_label, family_key(str(r.tarief)), r.tarief, int(r.jaar),
                     to_cents(tariff(tree, r.product, on, catalog.regio(r.regio)))))
    return pd.DataFrame(rows, columns=["product", "naam", "eenheid", "tariefsoort", "parameter", "jaar",
                                       "tarief_centen"])


def _index_table(tree: ParameterTree, years: Sequence[int]) -> pd.DataFrame:
    """The applied index rate of each year with its build-up (published figures or the named assumption)."""
    rates = [index_rate(tree, year) for year in years]
    return pd.DataFrame([(r.jaar, r.rate, r.basis, r.voorlopig_gewogen, r.nacalculatie, r.methode) for r in rates],
                        columns=["jaar", "percentage", "basis", "voorlopig_gewogen", "nacalculatie", "methode"])


def _cost_table(
    trees: dict[str, ParameterTree], catalog: Catalog, regels: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Per scenario, product and tariff family: tariff, cost price, the gap per unit and in total, fte needed."""
    on = dt.date(year, 1, 1)
    rows = []
    for name, tree in trees.items():
        norm = caseload_norm(tree, on)
        lines = _with_tariff_paths(tree, catalog, regels[(regels["scenario"] == name) & (regels["jaar"] == year)])
        first_regio = dict(zip(lines["tarief"], lines["regio"], strict=True))
        for path, volume in _volume_totals(lines, name, year, by="tarief").items():
            code = path.rsplit(".", 1)[1]
            product = catalog.product(code)
            price, unit_tariff = cost_price(tree, product, on), tariff(tree, code, on, catalog.regio(first_regio[path]))
            gap = cost_covering_gap(unit_tariff, price)
            fte = fte_needed(volume, norm, weight(tree, code, on)) if product.eenheid == "maand" else Decimal(0)
            rows.append((name, float(norm), code, product.naam, family_key(path), to_cents(unit_tariff),
                         to_cents(price), to_cents(gap), float(volume), float(fte),
                         to_cents(gap * units_per_year(volume, product.eenheid))))
    return pd.DataFrame(rows, columns=[
        "scenario", "caseloadnorm", "product", "naam", "tariefsoort", "tarief_centen", "kostprijs_centen",
        "verschil_centen", "volume", "fte", "verschil_totaal_centen"])


BUILD_UP = ["personeel_clientgebonden", "personeel_niet_clientgebonden", "overige_clientgebonden", "overhead",
            "indexatie", "marge"]
"""The elements of the cost price (art. 2.3 Besluit Jeugdwet, and the margin), in the order they are built."""


def _cost_build_up(tree: ParameterTree, catalog: Catalog, codes: Sequence[str], year: int) -> pd.DataFrame:
    """The cost price of one unit of each product by element, in cents (base scenario, 1 January of ``year``)."""
    on = dt.date(year, 1, 1)
    rows = []
    for code in codes:
        parts = cost_price_elements(tree, catalog.product(code), on)
        rows.append((code, catalog.product(code).naam, float(parts.uren),
                     *(to_cents(getattr(parts, name)) for name in BUILD_UP), to_cents(parts.totaal)))
    return pd.DataFrame(rows, columns=["product", "naam", "uren", *(f"{n}_centen" for n in BUILD_UP),
                                       "kostprijs_centen"])


def _investment(tree: ParameterTree, savings_cents: list[int], year: int) -> Investering:
    on = dt.date(year, 1, 1)
    settings = risk_settings(tree, on)
    amount, rate = to_cents(settings.investering), settings.disconteringsvoet
    flows = [-amount, *savings_cents]
    as_euros = [Decimal(c) / 100 for c in flows]
    return Investering(amount, rate, flows, net_present_value(rate, as_euros), payback_period(as_euros))


def _surcharge_per_gemeente(basis_lines: pd.DataFrame, path: pd.DataFrame) -> pd.DataFrame:
    """Each year's risk surcharge split over municipalities by their base budget, exact to the cent.

    What the surcharge costs a municipality: its share of the GIs' surcharge,
    ``opslag x budget_gemeente / budget_totaal`` (largest remainder, so the
    shares add up to the surcharge of :func:`~jbjr_budget.rules.reserves.reserve_path`).
    """
    per_gemeente = _totals(basis_lines, ["jaar", "regio", "gemeente"])
    rows = []
    for year, surcharge in zip(path["jaar"], path["opslag_centen"], strict=True):
        budgets = per_gemeente[per_gemeente["jaar"] == year]
        shares = split_by_key(int(surcharge), [int(c) for c in budgets["bedrag_centen"]])
        rows += [(r, g, year, c) for r, g, c in zip(budgets["regio"], budgets["gemeente"], shares, strict=True)]
    return pd.DataFrame(rows, columns=["regio", "gemeente", "jaar", "opslag_centen"])


def _pxq_per_scenario(lines: dict[str, BudgetLines]) -> pd.DataFrame:
    """P x Q of every other scenario against the lump sum fixed at the base budget, per region and year."""
    basis = lines[BASIS]
    rows = []
    for name, scenario in lines.items():
        if name != BASIS:
            table = pxq_versus_lumpsum(scenario, basis, "regio", "jaar")
            rows += [(regio, year, int(table.pxq_centen[r, y]), int(table.lumpsum_centen[r, y]),
                      int(table.verschil_centen[r, y]), name)
                     for r, regio in enumerate(basis.regios) for y, year in enumerate(basis.jaren)]
    return pd.DataFrame(rows, columns=["regio", "jaar", "pxq_centen", "lumpsum_centen", "verschil_centen", "scenario"])


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
    sources: dict[str, str | Path] = {n: n for n in scenario_names()}
    for file in extra_scenarios:
        if file.stem in sources:
            raise InvoerFout(f"scenario '{file.stem}' bestaat al; geef het bestand een andere naam")
        sources[file.stem] = file
    names = list(sources)
    trees = {name: load_scenario(source, parameter_files) for name, source in sources.items()}
    lines = {n: budget_lines(trees[n], catalog, regio_keys, years) for n in names}
    regels = pd.concat([lines[n].frame().assign(scenario=n) for n in names], ignore_index=True)
    basis_lines = regels[regels["scenario"] == BASIS]
    first = dt.date(years[0], 1, 1)
    risk = trees[BASIS]
    settings = risk_settings(risk, first)
    surcharge, target = settings.opslag, settings.norm
    turnover = lines[BASIS].sum_by("jaar").tolist()
    path_years = reserve_path(years, turnover, turnover, 0, surcharge, target)
    path = pd.DataFrame(path_years)
    savings = (lines[BASIS].sum_by("jaar") - lines[DOELPAD].sum_by("jaar")).tolist()
    return Begroting(
        catalog=catalog, regios=regio_keys, jaren=years,
        scenarios={n: scenario_description(s) for n, s in sources.items()}, trees=trees, regels=regels,
        tarieven=_tariff_table(risk, catalog, basis_lines), indexatie=_index_table(risk, years),
        kostprijzen=_cost_table(trees, catalog, regels, years[0]),
        kostprijsopbouw=_cost_build_up(risk, catalog, list(dict.fromkeys(basis_lines["product"])), years[0]),
        pxq_lumpsum=_pxq_per_scenario(lines),
        reservepad=path, opslag_per_gemeente=_surcharge_per_gemeente(basis_lines, path),
        norm_bereikt=target_year(path_years, target),
        werkkapitaal_centen=working_capital_first_year(risk, turnover[0], first),
        monte_carlo=simulate_reserves(years, turnover[0], turnover[0], 0, surcharge, target, VOLUME_SD, COST_SD),
        investering=_investment(risk, savings, years[0]),
    )


def working_capital_first_year(tree: ParameterTree, turnover_cents: int, on: dt.date) -> int:
    """Working capital the GIs ask for: ``werkkapitaal_maanden`` of the first year's turnover."""
    return working_capital(turnover_cents, risk_settings(tree, on).werkkapitaal_maanden)
