"""Monitoring figures: what the consolidated report shows, computed from the ledger as plain data frames.

Budgets, tariffs and amounts come from the rules (:mod:`jbjr_budget.rules.budget_lines`,
:mod:`jbjr_budget.rules.volumes`); this module gathers the current ledger figures up to a
period, converts realised flows into budget volumes and sets them against targets. The
report writer lays the frames out; it computes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from jbjr_budget.errors import InvoerFout
from jbjr_budget.monitoring.layout import VOTS
from jbjr_budget.monitoring.ledger import TABLES, Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.budget_lines import Deelname, budget_lines, period_amount
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.volumes import path_factor, realised_volume

__all__ = ["DOELEN", "MonitoringFigures", "TargetFigures", "compute_monitoring", "ledger_tables", "share"]

DOELEN = {"ots": "Ondertoezichtstellingen (OTS)", "vots": "Voorlopige OTS (VOTS)",
          "maatregelen": "Alle maatregelen (JB en JR)"}
INSPECTION_COUNTS = ("zaken", "binnen_5_werkdagen", "binnen_6_weken", "binnen_3_maanden")
FLOWS = ["stand_begin", "instroom", "uitstroom", "stand_einde"]
AMOUNTS = ["bedrag_centen", "realisatie_centen", "verschil_centen"]


def share(part: float, whole: float) -> float | None:
    """``part / whole`` as a fraction, or ``None`` when there is no whole to compare with.

    Examples:
        >>> share(3, 4), share(1, 0)
        (0.75, None)
    """
    return float(part) / float(whole) if whole else None


@dataclass(frozen=True)
class TargetFigures:
    """One -20% target: its definition and the stock per period against the target path."""

    doel: str
    naam: str
    reductie: Decimal
    referentiedatum: dt.date
    doeldatum: dt.date
    referentiestand: int | None
    per_periode: pd.DataFrame
    """Columns ``periode``, ``stand_einde``, ``doelpad``, ``verschil``, ``ten_opzichte_van_referentie``."""


@dataclass(frozen=True)
class MonitoringFigures:
    """Everything the consolidated report shows for one period, as data frames."""

    periode: Periode
    regios: list[str]
    catalog: Catalog
    tree: ParameterTree
    ledger_path: Path
    aanleveringen: pd.DataFrame
    realisatie: pd.DataFrame
    inspectie_per_periode: pd.DataFrame
    inspectie_per_gi: pd.DataFrame
    personeel_per_periode: pd.DataFrame
    personeel_per_gi: pd.DataFrame
    personeel_reductie: Decimal
    financien: pd.DataFrame
    doelen: list[TargetFigures]
    toelichtingen: pd.DataFrame

    def totals(self, by: str) -> pd.DataFrame:
        """Budget, realisation and difference in cents per ``regio`` or ``product``, in table order."""
        return self.realisatie.groupby(by, as_index=False, sort=False)[AMOUNTS].sum()

    def voorbeeldwaarden(self) -> list[str]:
        """Paths of the example (``voorbeeld``) parameter values the budget used."""
        return self.tree.used_examples()


class _Ledger:
    """Current ledger figures up to a period (or of that period only)."""

    def __init__(self, ledger: Ledger, periode: Periode) -> None:
        self.ledger, self.periode = ledger, periode

    def current(self, table: str, *, only_period: bool = False) -> pd.DataFrame:
        frame = self.ledger.current(table)
        ends = frame["periode"].map(lambda code: Periode.parse(code).end)
        keep = frame["periode"] == self.periode.code if only_period else ends <= self.periode.end
        return frame[keep]


def compute_monitoring(
    ledger: Ledger, periode: Periode, parameter_files: Sequence[Path] = (), catalog: Catalog | None = None
) -> MonitoringFigures:
    """The report figures for ``periode``: regions with a current submission in that period, up to its end."""
    submissions = ledger.submissions(only_current=True)
    regios = sorted(set(submissions.loc[submissions["periode"] == periode.code, "regio"]))
    if not regios:
        raise InvoerFout(f"het grootboek heeft geen aanleveringen voor periode {periode.code}")
    catalog = catalog or load_catalog()
    tree = load_parameters(tuple(parameter_files))
    figures = _Ledger(ledger, periode)
    return MonitoringFigures(
        periode=periode, regios=regios, catalog=catalog, tree=tree, ledger_path=ledger.path,
        aanleveringen=_submission_status(ledger, periode, catalog, regios),
        realisatie=_realisation(figures, tree, catalog, regios),
        inspectie_per_periode=_inspection_per_period(figures.current("inspectie")),
        inspectie_per_gi=figures.current("inspectie", only_period=True).groupby(
            ["gi", "regio"], as_index=False)[list(INSPECTION_COUNTS)].sum(),
        personeel_per_periode=_staff_per_period(figures.current("personeel")),
        personeel_per_gi=figures.current("personeel", only_period=True),
        personeel_reductie=tree.value("doelen.beleid.personeel.reductie", periode.end),
        financien=figures.current("financien", only_period=True),
        doelen=[_target(figures.current("volume"), tree, catalog, periode, doel) for doel in DOELEN],
        toelichtingen=_explanations(figures.current("toelichting", only_period=True)),
    )


def _submission_status(ledger: Ledger, periode: Periode, catalog: Catalog, regios: list[str]) -> pd.DataFrame:
    """Per GI and region of the report: received or missing, when, and how many earlier versions."""
    history = ledger.submissions()
    rows: list[tuple[object, ...]] = []
    for regio in regios:
        for gi in catalog.regio(regio).gis:
            own = history[(history.gi == gi) & (history.regio == regio) & (history.periode == periode.code)]
            current = own[own.actueel == 1]
            if current.empty:
                rows.append((gi, regio, "ontbreekt", None, 0, None, None))
                continue
            first = current.iloc[0]
            rows.append((gi, regio, "ontvangen", dt.datetime.fromisoformat(first.geimporteerd_op), len(own) - 1,
                         first.bestand_hash, first.bronpad))
    return pd.DataFrame(rows, columns=["gi", "regio", "status", "geimporteerd_op", "eerdere_versies",
                                       "bestand_hash", "bronpad"])


def _realisation(figures: _Ledger, tree: ParameterTree, catalog: Catalog, regios: list[str]) -> pd.DataFrame:
    """Budget and realisation per region, municipality and product for the period, in cents."""
    periode = figures.periode
    budget = budget_lines(tree, catalog, regios, [periode.jaar], Deelname(periode.start, periode.end))
    volumes = figures.current("volume", only_period=True)
    volumes = volumes[volumes["product"] != VOTS]
    realised = volumes.groupby(["regio", "gemeente", "product"], as_index=False)[FLOWS].sum()
    table = budget.merge(realised, on=["regio", "gemeente", "product"], how="left")
    table[FLOWS] = table[FLOWS].fillna(0).astype(int)
    units = [catalog.product(code).eenheid for code in table["product"]]
    table["realisatie_volume"] = [
        realised_volume(eenheid, r.stand_begin, r.stand_einde, r.instroom, periode.year_share)
        for eenheid, r in zip(units, table.itertuples(), strict=True)
    ]
    table["realisatie_centen"] = [
        to_cents(period_amount(r.realisatie_volume, eenheid, Decimal(int(r.tarief_centen)) / 100, periode.jaar,
                               periode.start, periode.end))
        for eenheid, r in zip(units, table.itertuples(), strict=True)
    ]
    table["verschil_centen"] = table["realisatie_centen"] - table["bedrag_centen"]
    return table


def _by_period(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Groups of ``frame`` per period, in time order."""
    return sorted(frame.groupby("periode"), key=lambda group: Periode.parse(group[0]))


def _inspection_per_period(inspectie: pd.DataFrame) -> pd.DataFrame:
    """Cases and cases within each inspection norm per period, with the shares within the norm."""
    rows = []
    for code, group in _by_period(inspectie):
        total = group[list(INSPECTION_COUNTS)].sum()
        rows.append((code, *(int(total[c]) for c in INSPECTION_COUNTS),
                     *(share(total[c], total["zaken"]) for c in INSPECTION_COUNTS[1:])))
    return pd.DataFrame(rows, columns=["periode", *INSPECTION_COUNTS,
                                       *(f"aandeel_{c}" for c in INSPECTION_COUNTS[1:])])


def _staff_per_period(personeel: pd.DataFrame) -> pd.DataFrame:
    """Staff per period: fte summed, caseload, turnover and absence as fte-weighted means."""
    rows = []
    for code, group in _by_period(personeel):
        fte = group["fte"].sum()
        weighted = [(group[c] * group["fte"]).sum() / fte if fte else None
                    for c in ("caseload", "verloop_pct", "verzuim_pct")]
        rows.append((code, float(fte), *weighted, float(group["vacatures"].sum()), int(group["instroom"].sum()),
                     int(group["uitstroom"].sum())))
    return pd.DataFrame(rows, columns=["periode", "fte", "caseload", "verloop_pct", "verzuim_pct", "vacatures",
                                       "instroom", "uitstroom"])


def _target_products(catalog: Catalog, doel: str) -> set[str]:
    if doel == "vots":
        return {VOTS}
    products = catalog.producten.values()
    if doel == "ots":
        return {p.code for p in products if p.doelgroep == "ots"}
    return {p.code for p in products if p.is_maatregel}


def _target(volumes: pd.DataFrame, tree: ParameterTree, catalog: Catalog, periode: Periode, doel: str) -> TargetFigures:
    """The stock at the end of each period against the linear path from the reference stock to the target."""
    root = f"doelen.beleid.{doel}"
    reductie = tree.value(f"{root}.reductie", periode.end)
    reference_date = dt.date.fromisoformat(tree.text(f"{root}.referentiedatum", periode.end))
    target_date = dt.date.fromisoformat(tree.text(f"{root}.doeldatum", periode.end))
    mine = volumes[volumes["product"].isin(_target_products(catalog, doel))]
    reference = _reference_stock(mine, reference_date)
    rows = []
    for code, group in _by_period(mine):
        stock = int(group["stand_einde"].sum())
        moment = Periode.parse(code).end + dt.timedelta(days=1)
        norm = (float(reference * path_factor(reductie, reference_date, target_date, moment))
                if reference is not None else None)
        rows.append((code, stock, norm, None if norm is None else stock - norm,
                     share(stock - reference, reference) if reference else None))
    per_periode = pd.DataFrame(rows, columns=["periode", "stand_einde", "doelpad", "verschil",
                                              "ten_opzichte_van_referentie"])
    return TargetFigures(doel, DOELEN[doel], reductie, reference_date, target_date, reference, per_periode)


def _reference_stock(volumes: pd.DataFrame, reference_date: dt.date) -> int | None:
    """Stock on the reference date: stand begin of the (first) period that starts on it."""
    codes = sorted({c for c in volumes["periode"] if Periode.parse(c).start == reference_date}, key=Periode.parse)
    if not codes:
        return None
    return int(volumes.loc[volumes["periode"] == codes[0], "stand_begin"].sum())


def _explanations(toelichting: pd.DataFrame) -> pd.DataFrame:
    """The GIs' non-empty explanation texts (pandas turns an empty text into NaN)."""
    return toelichting[toelichting["tekst"].map(lambda text: isinstance(text, str) and bool(text))]


def ledger_tables(ledger: Ledger) -> dict[str, pd.DataFrame]:
    """Every submission (with its history flag) and every figures table keyed by submission, for export."""
    frames = {"aanlevering": ledger.submissions()}
    keys = frames["aanlevering"][["id", "gi", "regio", "periode", "actueel"]].rename(columns={"id": "aanlevering_id"})
    for table in TABLES:
        frames[table] = keys.merge(ledger.history(table), on="aanlevering_id")
    return frames
