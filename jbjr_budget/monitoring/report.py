"""The consolidated monitoring report: realisation against budget, inspection norms, staff, targets.

Budgets, tariffs and amounts come from the engine (:mod:`jbjr_budget.rules.budget_lines`,
:mod:`jbjr_budget.rules.volumes`); this module only gathers ledger figures, converts
realised flows into budget volumes and lays the tables out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.errors import InvoerFout, JbjrFout
from jbjr_budget.monitoring.layout import VOTS
from jbjr_budget.monitoring.ledger import TABLES, Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.budget_lines import Deelname, budget_lines, period_amount
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.volumes import path_factor, realised_volume
from jbjr_budget.writers.tables import DECIMAL, EURO, PERCENT, euro, write_rows, write_title, write_workbook

__all__ = ["DOELEN", "export_ledger", "write_report"]

DOELEN = {"ots": "Ondertoezichtstellingen (OTS)", "vots": "Voorlopige OTS (VOTS)",
          "maatregelen": "Alle maatregelen (JB en JR)"}
BOLD = Font(bold=True)
WARNING_FONT = Font(bold=True, color="C00000")


@dataclass(frozen=True)
class _Context:
    """Everything the sheets need: ledger figures up to the period, catalogue and parameters."""

    ledger: Ledger
    periode: Periode
    catalog: Catalog
    tree: ParameterTree
    regios: list[str]

    def current(self, table: str, *, only_period: bool = False) -> pd.DataFrame:
        """Current figures of ``table`` for periods up to the report period (or only that period)."""
        frame = self.ledger.current(table)
        ends = frame["periode"].map(lambda code: Periode.parse(code).end)
        keep = frame["periode"] == self.periode.code if only_period else ends <= self.periode.end
        return frame[keep]


def write_report(ledger: Ledger, periode: Periode, path: Path, parameter_files: Sequence[Path] = ()) -> Path:
    """Write the report for ``periode`` atomically to ``path``; returns the path."""
    submissions = ledger.submissions(only_current=True)
    regios = sorted(set(submissions.loc[submissions["periode"] == periode.code, "regio"]))
    if not regios:
        raise InvoerFout(f"het grootboek heeft geen aanleveringen voor periode {periode.code}")
    context = _Context(ledger, periode, load_catalog(), load_parameters(tuple(parameter_files)), regios)
    sheets: list[tuple[str, Callable[[Worksheet, _Context], None]]] = [
        ("Toelichting", _sheet_toelichting), ("Aanleveringen", _sheet_aanleveringen),
        ("Realisatie", _sheet_realisatie), ("Per regio", _sheet_per_regio), ("Per product", _sheet_per_product),
        ("Inspectienormen", _sheet_inspectie), ("Personeel", _sheet_personeel), ("Financiën", _sheet_financien),
        ("Doelen", _sheet_doelen), ("Toelichting GI's", _sheet_gi_toelichting),
    ]
    return write_workbook(path, sheets, context)


def _pct(part: float, whole: float) -> float | None:
    return float(part) / float(whole) if whole else None


def _sheet_toelichting(ws: Worksheet, ctx: _Context) -> None:
    now = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    row = write_title(ws, f"Monitoring JB/JR: rapportage {ctx.periode.code}",
                      f"Gemaakt op {now:%d-%m-%Y %H:%M} uit grootboek {ctx.ledger.path}")
    lines = [
        ("Periode", f"{ctx.periode.code}: {ctx.periode.start:%d-%m-%Y} t/m {ctx.periode.end:%d-%m-%Y}"),
        ("Regio's", ", ".join(ctx.catalog.regio(r).naam for r in ctx.regios)),
        ("Begroting", "Uit de rekenkern (budget_lines): volume x geïndexeerd tarief, pro rata voor de periode."),
        ("Realisatie", "Maandproducten: gemiddeld lopend = (stand begin + stand einde) / 2; overige producten: "
                       "instroom in de periode. Bedrag = realisatievolume x tarief van de rekenkern, pro rata "
                       "(period_amount)."),
        ("Aanleveringen", "Alleen de actuele aanlevering per GI, regio en periode telt; eerdere versies staan in "
                          "de historie van het grootboek."),
        ("Doelen", "Stand einde periode opgeteld over GI's en regio's, tegen het doelpad vanaf de stand op de "
                   "referentiedatum (lineair naar -20% op de doeldatum). VOTS telt niet mee in alle maatregelen."),
    ]
    for label, text in lines:
        ws.cell(row=row, column=1, value=label).font = BOLD
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True)
        row += 1
    examples = ctx.tree.used_examples()
    if examples:
        ws.cell(row=row + 1, column=1, value="LET OP: voorbeeldwaarden").font = WARNING_FONT
        ws.cell(row=row + 1, column=2, value=f"De begroting gebruikt {len(examples)} voorbeeldwaarden, geen "
                "gepubliceerde cijfers; vervang ze met --parameters EIGEN_BESTAND.yaml.").font = WARNING_FONT
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 20, 110


def _sheet_aanleveringen(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Aanleveringen", f"Per GI en regio voor periode {ctx.periode.code}")
    history = ctx.ledger.submissions()
    rows = []
    for regio in ctx.regios:
        for gi in ctx.catalog.regio(regio).gis:
            own = history[(history.gi == gi) & (history.regio == regio) & (history.periode == ctx.periode.code)]
            current = own[own.actueel == 1]
            if current.empty:
                rows.append([ctx.catalog.gi(gi).naam, ctx.catalog.regio(regio).naam, "ontbreekt", "", 0, "", ""])
                continue
            first = current.iloc[0]
            rows.append([ctx.catalog.gi(gi).naam, ctx.catalog.regio(regio).naam, "ontvangen",
                         first.geimporteerd_op, len(own) - 1, first.bestand_hash[:16], first.bronpad])
    write_rows(ws, ["GI", "Regio", "Status", "Ingelezen op (UTC)", "Eerdere versies", "Bestandshash",
                    "Bronbestand"], rows, row)


def _realisatie(ctx: _Context) -> pd.DataFrame:
    """Budget and realisation per region, municipality and product for the period, in cents."""
    budget = budget_lines(ctx.tree, ctx.catalog, ctx.regios, [ctx.periode.jaar],
                          Deelname(ctx.periode.start, ctx.periode.end))
    volumes = ctx.current("volume", only_period=True)
    volumes = volumes[volumes["product"] != VOTS]
    flows = ["stand_begin", "instroom", "uitstroom", "stand_einde"]
    realised = volumes.groupby(["regio", "gemeente", "product"], as_index=False)[flows].sum()
    table = budget.merge(realised, on=["regio", "gemeente", "product"], how="left")
    table[flows] = table[flows].fillna(0).astype(int)
    table["realisatie_volume"] = [
        realised_volume(ctx.catalog.product(r.product).eenheid, r.stand_begin, r.stand_einde, r.instroom,
                        ctx.periode.year_share) for r in table.itertuples()
    ]
    table["realisatie_centen"] = [
        to_cents(period_amount(r.realisatie_volume, ctx.catalog.product(r.product).eenheid,
                               Decimal(int(r.tarief_centen)) / 100, ctx.periode.jaar, ctx.periode.start,
                               ctx.periode.end))
        for r in table.itertuples()
    ]
    table["verschil_centen"] = table["realisatie_centen"] - table["bedrag_centen"]
    return table


def _sheet_realisatie(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Realisatie tegenover begroting per regio, gemeente en product",
                      f"Periode {ctx.periode.code}; alle GI's samen; bedragen in euro")
    table = _realisatie(ctx)
    rows = [[ctx.catalog.regio(r.regio).naam, ctx.catalog.gemeente(r.gemeente).naam, r.product,
             ctx.catalog.product(r.product).naam, float(r.volume), euro(r.bedrag_centen), r.stand_begin, r.instroom,
             r.uitstroom, r.stand_einde, float(r.realisatie_volume), euro(r.realisatie_centen),
             euro(r.verschil_centen), _pct(r.realisatie_centen, r.bedrag_centen)] for r in table.itertuples()]
    write_rows(ws, ["Regio", "Gemeente", "Productcode", "Product", "Begroot volume", "Begroot bedrag",
                    "Stand begin", "Instroom", "Uitstroom", "Stand einde", "Realisatie volume", "Realisatie bedrag",
                    "Verschil", "Realisatie % van begroting"],
               rows, row, {4: DECIMAL, 5: EURO, 10: DECIMAL, 11: EURO, 12: EURO, 13: PERCENT})


def _totals_sheet(ws: Worksheet, ctx: _Context, by: str) -> None:
    table = _realisatie(ctx).groupby(by, as_index=False, sort=False)[
        ["bedrag_centen", "realisatie_centen", "verschil_centen"]].sum()
    name = ctx.catalog.regio if by == "regio" else ctx.catalog.product
    row = write_title(ws, f"Realisatie tegenover begroting per {by}", f"Periode {ctx.periode.code}; euro")
    rows = [[getattr(r, by), name(getattr(r, by)).naam, euro(r.bedrag_centen), euro(r.realisatie_centen),
             euro(r.verschil_centen), _pct(r.realisatie_centen, r.bedrag_centen)] for r in table.itertuples()]
    rows.append(["Totaal", "", euro(table.bedrag_centen.sum()), euro(table.realisatie_centen.sum()),
                 euro(table.verschil_centen.sum()), _pct(table.realisatie_centen.sum(), table.bedrag_centen.sum())])
    write_rows(ws, [by.capitalize(), "Naam", "Begroot", "Realisatie", "Verschil", "Realisatie %"], rows, row,
               {2: EURO, 3: EURO, 4: EURO, 5: PERCENT})


def _sheet_per_regio(ws: Worksheet, ctx: _Context) -> None:
    _totals_sheet(ws, ctx, "regio")


def _sheet_per_product(ws: Worksheet, ctx: _Context) -> None:
    _totals_sheet(ws, ctx, "product")


def _by_period(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Groups of ``frame`` per period, in time order."""
    return sorted(frame.groupby("periode"), key=lambda group: Periode.parse(group[0]))


def _line_chart(ws: Worksheet, title: str, columns: tuple[int, int], rows: tuple[int, int], anchor: str) -> None:
    """A line chart of columns ``columns`` (header row ``rows[0]``), categories in column A."""
    chart = LineChart()
    chart.title, chart.width, chart.height = title, 20, 8
    chart.add_data(Reference(ws, min_col=columns[0], max_col=columns[1], min_row=rows[0], max_row=rows[1]),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=rows[0] + 1, max_row=rows[1]))
    ws.add_chart(chart, anchor)


def _sheet_inspectie(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Inspectienormen (IGJ) door de tijd", "Alle actuele aanleveringen tot en met de periode")
    counts = ["zaken", "binnen_5_werkdagen", "binnen_6_weken", "binnen_3_maanden"]
    rows = []
    for code, group in _by_period(ctx.current("inspectie")):
        total = group[counts].sum()
        rows.append([code, *(int(total[c]) for c in counts), *(_pct(total[c], total["zaken"]) for c in counts[1:])])
    start = row
    row = write_rows(ws, ["Periode", "Nieuwe zaken", "Binnen 5 werkdagen", "Binnen 6 weken", "Binnen 3 maanden",
                          "% 5 werkdagen", "% 6 weken", "% 3 maanden"], rows, row, dict.fromkeys((5, 6, 7), PERCENT))
    if rows:
        _line_chart(ws, "Percentage zaken binnen de norm", (6, 8), (start, start + len(rows)), f"J{start}")
    detail = ctx.current("inspectie", only_period=True).groupby(["gi", "regio"], as_index=False)[counts].sum()
    ws.cell(row=row, column=1, value=f"Per GI en regio, {ctx.periode.code}").font = BOLD
    write_rows(ws, ["GI", "Regio", "Nieuwe zaken", "Binnen 5 werkdagen", "Binnen 6 weken", "Binnen 3 maanden"],
               [[r.gi, ctx.catalog.regio(r.regio).naam, *(int(getattr(r, c)) for c in counts)]
                for r in detail.itertuples()], row + 1, freeze=False)


def _sheet_personeel(ws: Worksheet, ctx: _Context) -> None:
    reductie = float(ctx.tree.value("doelen.beleid.personeel.reductie", ctx.periode.end))
    row = write_title(ws, "Personeel door de tijd", f"Gemiddelden gewogen naar fte; doel: verloop en verzuim "
                      f"-{reductie:.0%}")
    rows = []
    for code, g in _by_period(ctx.current("personeel")):
        fte = g["fte"].sum()
        weighted = [(g[c] * g["fte"]).sum() / fte if fte else None for c in ("caseload", "verloop_pct", "verzuim_pct")]
        rows.append([code, float(fte), *weighted,
                     float(g["vacatures"].sum()), int(g["instroom"].sum()), int(g["uitstroom"].sum())])
    start = row
    row = write_rows(ws, ["Periode", "Fte", "Caseload per fte", "Verloop %", "Verzuim %", "Vacatures (fte)",
                          "Instroom", "Uitstroom"], rows, row, {1: DECIMAL, 2: DECIMAL, 3: DECIMAL, 4: DECIMAL})
    if rows:
        _line_chart(ws, "Caseload, verloop en verzuim", (3, 5), (start, start + len(rows)), f"J{start}")
    detail = ctx.current("personeel", only_period=True)
    ws.cell(row=row, column=1, value=f"Per GI en regio, {ctx.periode.code}").font = BOLD
    write_rows(ws, ["GI", "Regio", "Fte", "Caseload per fte", "Verloop %", "Verzuim %", "Vacatures (fte)"],
               [[r.gi, ctx.catalog.regio(r.regio).naam, r.fte, r.caseload, r.verloop_pct, r.verzuim_pct, r.vacatures]
                for r in detail.itertuples()], row + 1, freeze=False)


def _sheet_financien(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Financiën per GI en regio", f"Periode {ctx.periode.code}; euro")
    detail = ctx.current("financien", only_period=True)
    rows = [[r.gi, ctx.catalog.regio(r.regio).naam, euro(r.omzet_centen), euro(r.kosten_centen),
             euro(r.resultaat_centen), euro(r.eigen_vermogen_centen), r.weerstandsvermogen_pct, r.status]
            for r in detail.itertuples()]
    write_rows(ws, ["GI", "Regio", "Omzet", "Kosten", "Resultaat", "Eigen vermogen", "Weerstandsvermogen %",
                    "Status"], rows, row, dict.fromkeys((2, 3, 4, 5), EURO))


def _doel_products(ctx: _Context, doel: str) -> set[str]:
    if doel == "vots":
        return {VOTS}
    products = ctx.catalog.producten.values()
    if doel == "ots":
        return {p.code for p in products if p.doelgroep == "ots"}
    return {p.code for p in products if p.is_maatregel}


def _sheet_doelen(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Doelen: OTS, VOTS en alle maatregelen -20%",
                      "Stand einde periode (alle GI's en regio's) tegen het doelpad vanaf de referentiestand")
    volumes = ctx.current("volume")
    for doel, naam in DOELEN.items():
        root = f"doelen.beleid.{doel}"
        reductie = ctx.tree.value(f"{root}.reductie", ctx.periode.end)
        reference_date = dt.date.fromisoformat(ctx.tree.text(f"{root}.referentiedatum", ctx.periode.end))
        target_date = dt.date.fromisoformat(ctx.tree.text(f"{root}.doeldatum", ctx.periode.end))
        mine = volumes[volumes["product"].isin(_doel_products(ctx, doel))]
        reference = _reference_stock(mine, reference_date)
        ws.cell(row=row, column=1, value=naam).font = BOLD
        facts = (f"Reductie {float(reductie):.0%}; referentiedatum {reference_date:%d-%m-%Y}; doeldatum "
                 f"{target_date:%d-%m-%Y}; referentiestand "
                 + (f"{reference}; doel {float(reference * (1 - reductie)):.1f}" if reference is not None
                    else "niet in het grootboek (geen periode die op de referentiedatum begint)"))
        ws.cell(row=row + 1, column=1, value=facts)
        rows = []
        for code, group in _by_period(mine):
            stock = int(group["stand_einde"].sum())
            moment = Periode.parse(code).end + dt.timedelta(days=1)
            norm = (float(reference * path_factor(reductie, reference_date, target_date, moment))
                    if reference is not None else None)
            rows.append([code, stock, norm, None if norm is None else stock - norm,
                         _pct(stock - reference, reference) if reference else None])
        start = row + 3
        end_row = write_rows(ws, ["Periode", "Stand einde", "Doelpad", "Verschil", "% t.o.v. referentie"], rows,
                             start, {2: "0.0", 3: "0.0", 4: PERCENT}, freeze=False)
        if rows:
            _line_chart(ws, naam, (2, 3), (start, start + len(rows)), f"H{row}")
        row = max(end_row, row + 18)


def _reference_stock(volumes: pd.DataFrame, reference_date: dt.date) -> int | None:
    """Stock on the reference date: stand begin of the (first) period that starts on it."""
    codes = sorted({c for c in volumes["periode"] if Periode.parse(c).start == reference_date},
                   key=Periode.parse)
    if not codes:
        return None
    return int(volumes.loc[volumes["periode"] == codes[0], "stand_begin"].sum())


def _sheet_gi_toelichting(ws: Worksheet, ctx: _Context) -> None:
    row = write_title(ws, "Toelichting van de GI's", f"Periode {ctx.periode.code}")
    detail = ctx.current("toelichting", only_period=True)
    rows = [[r.gi, ctx.catalog.regio(r.regio).naam, r.sectie, r.tekst] for r in detail.itertuples()
            if isinstance(r.tekst, str) and r.tekst]  # pandas turns an empty text into NaN
    write_rows(ws, ["GI", "Regio", "Onderdeel", "Toelichting"], rows, row)
    for offset in range(1, len(rows) + 1):  # a GI's text stays text, even one starting with '=' (no injection)
        ws.cell(row=row + offset, column=4).data_type = "s"
    ws.column_dimensions["D"].width = 100


def export_ledger(ledger: Ledger, folder: Path, fmt: str) -> list[Path]:
    """Export the ledger (every submission, with its history flag) as CSV or Parquet files, atomically.

    Returns:
        The files written: ``aanlevering`` and one per figures table.
    """
    frames = {"aanlevering": ledger.submissions()}
    keys = frames["aanlevering"][["id", "gi", "regio", "periode", "actueel"]].rename(columns={"id": "aanlevering_id"})
    for table in TABLES:
        frames[table] = keys.merge(ledger.history(table), on="aanlevering_id")
    folder.mkdir(parents=True, exist_ok=True)
    return [_write_frame(frame, folder / f"{name}.{fmt}", fmt) for name, frame in frames.items()]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters with which a spreadsheet opening a CSV file starts a formula (CSV injection)."""


def _inert_text(value: object) -> object:
    """A GI's text as a spreadsheet shows it literally: a leading ``'`` before a formula start.

    Examples:
        >>> _inert_text("- wachtlijst gedaald"), _inert_text("gedaald"), _inert_text(-3)
        ("'- wachtlijst gedaald", 'gedaald', -3)
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    with atomic_path(path) as temporary:
        if fmt == "csv":  # opened in Excel by people: texts must not run as formulas; Parquet keeps them as typed
            frame.map(_inert_text).to_csv(temporary, index=False)
        else:
            try:
                frame.to_parquet(temporary, index=False)
            except ImportError:
                raise JbjrFout("Parquet-export vraagt het pakket pyarrow; installeer het of gebruik --csv") from None
    return path
