"""Monitoring figures: what the consolidated report shows, computed from the ledger as plain data frames.

Budgets, tariffs and amounts come from the rules (:mod:`jbjr_budget.rules.budget_lines`,
:mod:`jbjr_budget.rules.volumes`); this module gathers the current ledger figures up to a
period, converts realised flows into budget volumes and sets them against targets. The
report writer lays the frames out; it computes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd

from jbjr_budget.errors import InvoerFout
from jbjr_budget.monitoring.layout import VOTS
from jbjr_budget.monitoring.ledger import TABLES, Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.budget_lines import FLAG_COLUMNS, Deelname, budget_lines, period_amount
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.targets import Target, target, target_products
from jbjr_budget.rules.volumes import realised_volume

__all__ = ["COUNTED", "MonitoringFigures", "TargetFigures", "compute_monitoring", "ledger_tables", "share",
           "target_figures"]

COUNTED = ("ots", "vots", "maatregelen")
"""The targets counted in the volume figures (the staff target is shown with the staff figures)."""
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
    """One -20% target: its definition and each period's figure against the target path."""

    target: Target
    referentie: int | None
    """Stock on the reference date, or the count over the reference year; ``None`` if not in the ledger."""
    per_periode: pd.DataFrame
    """Columns ``periode``, ``waarde``, ``doelpad``, ``verschil``, ``ten_opzichte_van_referentie``."""

    @property
    def doel(self) -> float | None:
        """The figure the target aims at: the reference less the reduction; ``None`` without a reference."""
        return None if self.referentie is None else float(self.referentie * (1 - self.target.reductie))


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
    personeel: Target
    """The staff target (turnover and absence), with its dates."""
    financien: pd.DataFrame
    doelen: list[TargetFigures]
    toelichtingen: pd.DataFrame

    def totals(self, by: str) -> pd.DataFrame:
        """Budget, realisation and difference in cents per ``regio`` or ``product``, in table order, with flags.

        ``voorbeeld`` and ``voorlopig``: whether any line's budget rests on an example or provisional value.
        """
        groups = self.realisatie.groupby(by, as_index=False, sort=False)
        return groups[AMOUNTS].sum().merge(groups[FLAG_COLUMNS].any(), on=by)

    def voorbeeldwaarden(self) -> list[str]:
        """Paths of the example (``voorbeeld``) parameter values the budget used."""
        return self.tree.used_examples()

    def voorlopige_waarden(self) -> list[str]:
        """Paths of the provisional (``voorlopig``) figures the budget used."""
        return self.tree.used_provisional()


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
        personeel=target(tree, "personeel", periode.end),
        financien=figures.current("financien", only_period=True),
        doelen=[target_figures(figures.current("volume"), target(tree, doel, periode.end),
                               target_products(catalog, doel) or (VOTS,)) for doel in COUNTED],
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
    budget = budget_lines(tree, catalog, regios, [periode.jaar], Deelname(periode.start, periode.end)).frame()
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


def target_figures(volumes: pd.DataFrame, goal: Target, products: Collection[str]) -> TargetFigures:
    """Each period's figure against the target path from the reference figure.

    A ``stand`` target compares the stock at the end of each period with the path
    from the stock on the reference date (stand begin of the period starting then);
    an ``aantal_per_jaar`` target compares the inflow over the twelve months up to
    each period's end with the path from the inflow over the reference year.
    ``volumes`` holds the ledger's volume rows (``periode``, ``product``,
    ``stand_begin``, ``instroom``, ``stand_einde``); only ``products`` count.
    """
    mine = volumes[volumes["product"].isin(products)]
    measured: dict[str, int | None]
    if goal.maatstaf == "stand":
        reference = _reference_stock(mine, goal.referentiedatum)
        measured = {code: int(group["stand_einde"].sum()) for code, group in _by_period(mine)}
    else:
        reference = _count_over_year(mine, goal.path_start - dt.timedelta(days=1))
        measured = {code: _count_over_year(mine, Periode.parse(code).end) for code, _ in _by_period(mine)}
    rows = []
    for code, value in measured.items():
        norm = float(reference * goal.factor(Periode.parse(code).end + dt.timedelta(days=1))) if reference else None
        rows.append((code, value, norm, None if norm is None or value is None else value - norm,
                     share(value - reference, reference) if reference and value is not None else None))
    columns = ["periode", "waarde", "doelpad", "verschil", "ten_opzichte_van_referentie"]
    return TargetFigures(goal, reference, pd.DataFrame(rows, columns=columns))


def _reference_stock(volumes: pd.DataFrame, reference_date: dt.date) -> int | None:
    """Stock on the reference date: stand begin of the (first) period that starts on it."""
    codes = sorted({c for c in volumes["periode"] if Periode.parse(c).start == reference_date}, key=Periode.parse)
    if not codes:
        return None
    return int(volumes.loc[volumes["periode"] == codes[0], "stand_begin"].sum())


def _count_over_year(volumes: pd.DataFrame, end: dt.date) -> int | None:
    """Inflow over the twelve months up to and including ``end`` (a month's end), or ``None`` if not all reported.

    Counted are the periods within those months; their lengths must add up to one year.
    """
    after = end + dt.timedelta(days=1)
    start = after.replace(year=after.year - 1)
    inside = {c for c in volumes["periode"] if start <= Periode.parse(c).start and Periode.parse(c).end <= end}
    if sum((Periode.parse(c).year_share for c in inside), Fraction(0)) != 1:
        return None
    return int(volumes.loc[volumes["periode"].isin(inside), "instroom"].sum())


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
