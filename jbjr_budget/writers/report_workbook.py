"""Write :class:`~jbjr_budget.models.monitoring_figures.MonitoringFigures` as the Dutch report workbook.

Only presentation happens here: every figure comes from the monitoring model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.models.monitoring_figures import INSPECTION_COUNTS, MonitoringFigures, TargetFigures, share
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.writers.mark_texts import MARK_HEADER, mark_text, warnings
from jbjr_budget.writers.marks import mark_column, marks_note
from jbjr_budget.writers.styles import BOLD, DATE, DATE_TIME, DECIMAL, EURO, PERCENT
from jbjr_budget.writers.tables import write_lines, write_note, write_rows, write_title, write_workbook

__all__ = ["write_report"]

Sheet = Callable[[Worksheet, MonitoringFigures], None]


def write_report(figures: MonitoringFigures, path: Path) -> Path:
    """Write the report atomically to ``path``; returns the path."""
    sheets: list[tuple[str, Sheet]] = [
        ("Toelichting", _sheet_toelichting), ("Aanleveringen", _sheet_aanleveringen),
        ("Realisatie", _sheet_realisatie), ("Per regio", _sheet_per_regio), ("Per product", _sheet_per_product),
        ("Inspectienormen", _sheet_inspectie), ("Personeel", _sheet_personeel), ("Financiën", _sheet_financien),
        ("Doelen", _sheet_doelen), ("Toelichting GI's", _sheet_gi_toelichting),
    ]
    return write_workbook(path, sheets, figures)


def _sheet_toelichting(ws: Worksheet, figures: MonitoringFigures) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    periode = figures.periode
    row = write_title(ws, f"Monitoring JB/JR: rapportage {periode.code}",
                      f"Gemaakt op {today:%d-%m-%Y} uit grootboek {figures.ledger_path}")
    row = write_lines(ws, [
        ("Periode", f"{periode.code}: {periode.start:%d-%m-%Y} t/m {periode.end:%d-%m-%Y}"),
        ("Regio's", ", ".join(figures.catalog.regio(r).naam for r in figures.regios)),
        ("Begroting", "Uit de rekenkern: volume x geïndexeerd tarief, naar rato van de periode."),
        ("Realisatie", "Maandproducten: gemiddeld lopend = (stand begin + stand einde) / 2; overige producten: "
                       "instroom in de periode. Bedrag = realisatievolume x tarief van de rekenkern, naar rato van "
                       "de periode."),
        ("Aanleveringen", "Alleen de actuele aanlevering per GI, regio en periode telt; eerdere versies staan in "
                          "de historie van het grootboek."),
        ("Doelen", "Stand einde periode opgeteld over GI's en regio's, tegen het doelpad vanaf de stand op de "
                   "referentiedatum (lineair naar -20% op de doeldatum). VOTS telt niet mee in alle maatregelen."),
    ], row)
    write_lines(ws, warnings(figures.voorbeeldwaarden(), figures.voorlopige_waarden()), row + 1, warning=True)


def _sheet_aanleveringen(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Aanleveringen", f"Per GI en regio voor periode {figures.periode.code}")
    catalog = figures.catalog
    rows = [[catalog.gi(r.gi).naam, catalog.regio(r.regio).naam, r.status, r.geimporteerd_op, r.eerdere_versies,
             r.bestand_hash[:16] if isinstance(r.bestand_hash, str) else None, r.bronpad]
            for r in figures.aanleveringen.itertuples()]
    write_rows(ws, ["GI", "Regio", "Status", "Ingelezen op", "Eerdere versies", "Bestandshash",
                    "Bronbestand"], rows, row, {3: DATE_TIME})


def _sheet_realisatie(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Realisatie tegenover begroting per regio, gemeente en product",
                      f"Periode {figures.periode.code}; alle GI's samen; bedragen in euro")
    catalog = figures.catalog
    rows = [[catalog.regio(r.regio).naam, catalog.gemeente(r.gemeente).naam, r.product,
             catalog.product(r.product).naam, float(r.volume), cents_to_euro(r.bedrag_centen), r.stand_begin,
             r.instroom, r.uitstroom, r.stand_einde, float(r.realisatie_volume), cents_to_euro(r.realisatie_centen),
             cents_to_euro(r.verschil_centen), share(r.realisatie_centen, r.bedrag_centen),
             mark_text(r.voorbeeld, r.voorlopig)]
            for r in figures.realisatie.itertuples()]
    _note(ws, figures.realisatie)
    write_rows(ws, ["Regio", "Gemeente", "Productcode", "Product", "Begroot volume", "Begroot bedrag",
                    "Stand begin", "Instroom", "Uitstroom", "Stand einde", "Realisatie volume", "Realisatie bedrag",
                    "Verschil", "Realisatie % van begroting", MARK_HEADER],
               rows, row, {4: DECIMAL, 5: EURO, 10: DECIMAL, 11: EURO, 12: EURO, 13: PERCENT})
    mark_column(ws, 15, row + 1, row + len(rows))


def _totals_sheet(ws: Worksheet, figures: MonitoringFigures, by: str) -> None:
    """Budget against realisation per region (by name) or per product (code and name), with the total."""
    table = figures.totals(by)
    row = write_title(ws, f"Realisatie tegenover begroting per {by}", f"Periode {figures.periode.code}; euro")
    catalog = figures.catalog
    labels = ([[catalog.regio(r.regio).naam] for r in table.itertuples()] if by == "regio"
              else [[r.product, catalog.product(r.product).naam] for r in table.itertuples()])
    rows = [[*label, *map(cents_to_euro, (r.bedrag_centen, r.realisatie_centen, r.verschil_centen)),
             share(r.realisatie_centen, r.bedrag_centen), mark_text(r.voorbeeld, r.voorlopig)]
            for label, r in zip(labels, table.itertuples(), strict=True)]
    total = table[["bedrag_centen", "realisatie_centen", "verschil_centen"]].sum()
    rows.append(["Totaal", *[""] * (len(labels[0]) - 1 if labels else 0), *map(cents_to_euro, total),
                 share(total["realisatie_centen"], total["bedrag_centen"]),
                 mark_text(bool(table["voorbeeld"].any()), bool(table["voorlopig"].any()))])
    headers = ["Regio"] if by == "regio" else ["Product", "Naam"]
    offset = len(headers)
    _note(ws, table)
    write_rows(ws, [*headers, "Begroot", "Realisatie", "Verschil", "Realisatie %", MARK_HEADER], rows, row,
               {offset: EURO, offset + 1: EURO, offset + 2: EURO, offset + 3: PERCENT})
    mark_column(ws, offset + 5, row + 1, row + len(rows))


def _note(ws: Worksheet, frame: pd.DataFrame) -> None:
    """The note under the title when a budget figure on the sheet rests on an example or provisional value."""
    marks_note(ws, bool(frame["voorbeeld"].any()), bool(frame["voorlopig"].any()))


def _sheet_per_regio(ws: Worksheet, figures: MonitoringFigures) -> None:
    _totals_sheet(ws, figures, "regio")


def _sheet_per_product(ws: Worksheet, figures: MonitoringFigures) -> None:
    _totals_sheet(ws, figures, "product")


def _line_chart(ws: Worksheet, title: str, columns: tuple[int, int], rows: tuple[int, int], anchor: str) -> None:
    """A line chart of columns ``columns`` (header row ``rows[0]``), categories in column A."""
    chart = LineChart()
    chart.title, chart.width, chart.height = title, 20, 8
    chart.add_data(Reference(ws, min_col=columns[0], max_col=columns[1], min_row=rows[0], max_row=rows[1]),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=rows[0] + 1, max_row=rows[1]))
    for series in chart.series:  # with one period a line is a single point: only a marker shows it
        series.marker.symbol, series.marker.size, series.smooth = "circle", 7, False
    ws.add_chart(chart, anchor)


def _sheet_inspectie(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Inspectienormen (IGJ) door de tijd", "Alle actuele aanleveringen tot en met de periode")
    rows = figures.inspectie_per_periode.to_numpy(dtype=object).tolist()
    start = row
    row = write_rows(ws, ["Periode", "Nieuwe zaken", "Binnen 5 werkdagen", "Binnen 6 weken", "Binnen 3 maanden",
                          "% 5 werkdagen", "% 6 weken", "% 3 maanden"], rows, row, dict.fromkeys((5, 6, 7), PERCENT))
    if rows:
        _line_chart(ws, "Percentage zaken binnen de norm", (6, 8), (start, start + len(rows)), f"J{start}")
    ws.cell(row=row, column=1, value=f"Per GI en regio, {figures.periode.code}").font = BOLD
    write_rows(ws, ["GI", "Regio", "Nieuwe zaken", "Binnen 5 werkdagen", "Binnen 6 weken", "Binnen 3 maanden"],
               [[figures.catalog.gi(r.gi).naam, figures.catalog.regio(r.regio).naam,
                 *(int(getattr(r, c)) for c in INSPECTION_COUNTS)]
                for r in figures.inspectie_per_gi.itertuples()], row + 1, freeze=False)


def _sheet_personeel(ws: Worksheet, figures: MonitoringFigures) -> None:
    staff = figures.personeel
    row = write_title(ws, "Personeel door de tijd", f"Gemiddelden gewogen naar fte; doel: verloop en verzuim "
                      f"-{float(staff.reductie):.0%} op {staff.doeldatum:%d-%m-%Y} ten opzichte van "
                      f"{staff.referentiedatum:%d-%m-%Y}")
    rows = figures.personeel_per_periode.to_numpy(dtype=object).tolist()
    start = row
    row = write_rows(ws, ["Periode", "Fte", "Caseload per fte", "Verloop %", "Verzuim %", "Vacatures (fte)",
                          "Instroom", "Uitstroom"], rows, row, {1: DECIMAL, 2: DECIMAL, 3: DECIMAL, 4: DECIMAL})
    if rows:
        _line_chart(ws, "Caseload, verloop en verzuim", (3, 5), (start, start + len(rows)), f"J{start}")
    ws.cell(row=row, column=1, value=f"Per GI en regio, {figures.periode.code}").font = BOLD
    write_rows(ws, ["GI", "Regio", "Fte", "Caseload per fte", "Verloop %", "Verzuim %", "Vacatures (fte)"],
               [[figures.catalog.gi(r.gi).naam, figures.catalog.regio(r.regio).naam, r.fte, r.caseload,
                 r.verloop_pct, r.verzuim_pct,
                 r.vacatures] for r in figures.personeel_per_gi.itertuples()], row + 1,
               dict.fromkeys(range(2, 7), DECIMAL), freeze=False)


def _sheet_financien(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Financiën per GI en regio", f"Periode {figures.periode.code}; euro")
    rows = [[figures.catalog.gi(r.gi).naam, figures.catalog.regio(r.regio).naam,
             *map(cents_to_euro, (r.omzet_centen, r.kosten_centen, r.resultaat_centen, r.eigen_vermogen_centen)),
             r.weerstandsvermogen_pct, r.status] for r in figures.financien.itertuples()]
    write_rows(ws, ["GI", "Regio", "Omzet", "Kosten", "Resultaat", "Eigen vermogen", "Weerstandsvermogen %",
                    "Status"], rows, row, {**dict.fromkeys((2, 3, 4, 5), EURO), 6: "0.0"})


def _sheet_doelen(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Doelen: OTS, VOTS en alle maatregelen -20%",
                      "Alle GI's en regio's samen, tegen het doelpad vanaf de referentie")
    for target in figures.doelen:
        row = _target_block(ws, target, row)


MEASURES = {
    "stand": ("Stand einde", "de stand op {referentiedatum}",
              "niet in het grootboek (geen periode die op de referentiedatum begint)"),
    "aantal_per_jaar": ("Aantal over 12 maanden", "het aantal gestart in het jaar vanaf {referentiedatum}",
                        "niet in het grootboek (het referentiejaar is niet volledig aangeleverd)"),
}
"""Per measure: the column header, what the reference is, and what is said when it is missing."""


def _target_block(ws: Worksheet, figures: TargetFigures, row: int) -> int:
    """One target: its definition, the table per period and a chart beside it; returns the next free row."""
    target, reference = figures.target, figures.referentie
    header, what, missing = MEASURES[target.maatstaf]
    ws.cell(row=row, column=1, value=target.naam).font = BOLD
    facts: list[tuple[str, object, str]] = [
        ("Reductie", float(target.reductie), PERCENT), ("Doeldatum", target.doeldatum, DATE),
        ("Referentiedatum", target.referentiedatum, DATE),
        (f"Referentie: {what.format(referentiedatum='referentiedatum')}", reference, "0"),
        ("Doel", figures.doel, "0.0"),
    ]
    for offset, (label, value, number_format) in enumerate(facts, start=1):
        ws.cell(row=row + offset, column=1, value=label)
        ws.cell(row=row + offset, column=2, value=value).number_format = number_format
    if reference is None:
        write_note(ws, row + 4, missing, 2, 6)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 44)
    rows = figures.per_periode.to_numpy(dtype=object).tolist()
    start = row + len(facts) + 2
    end_row = write_rows(ws, ["Periode", header, "Doelpad", "Verschil", "% t.o.v. referentie"], rows, start,
                         {2: "0.0", 3: "0.0", 4: PERCENT}, freeze=False, repeat=not ws.print_title_rows)
    if rows:
        _line_chart(ws, target.naam, (2, 3), (start, start + len(rows)), f"H{row}")
    return max(end_row, row + 18)


def _sheet_gi_toelichting(ws: Worksheet, figures: MonitoringFigures) -> None:
    row = write_title(ws, "Toelichting van de GI's", f"Periode {figures.periode.code}")
    rows = [[figures.catalog.gi(r.gi).naam, figures.catalog.regio(r.regio).naam, r.sectie, r.tekst]
            for r in figures.toelichtingen.itertuples()]
    write_rows(ws, ["GI", "Regio", "Onderdeel", "Toelichting"], rows, row)
    for offset in range(1, len(rows) + 1):  # a GI's text stays text, even one starting with '=' (no injection)
        ws.cell(row=row + offset, column=4).data_type = "s"
    ws.column_dimensions["D"].width = 100
