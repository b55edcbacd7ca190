"""Write a :class:`~jbjr_budget.models.begroting.Begroting` as a Dutch workbook for controllers.

Only presentation happens here: every number comes from the engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget import __version__
from jbjr_budget.models.begroting import BASIS, Begroting
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.rules.statements import rules
from jbjr_budget.writers.styles import BOLD, DECIMAL, EURO, LINE_HEIGHT, PERCENT, WARNING_FONT, wrapped_lines
from jbjr_budget.writers.tables import write_rows, write_title, write_workbook

__all__ = ["write_begroting"]

TOELICHTING_WIDTH = 110
CHART_ROWS = 18  # rows an 8 cm chart covers (a row is 0.53 cm), plus a margin


def _pivot(frame: pd.DataFrame, index: list[str], value: str) -> pd.DataFrame:
    return frame.pivot_table(index=index, columns="jaar", values=value, aggfunc="sum", sort=False).reset_index()


def _sheet_toelichting(ws: Worksheet, begroting: Begroting) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    row = write_title(ws, "Begroting jeugdbescherming en jeugdreclassering",
                      f"Gemaakt met jbjr_budget {__version__} op {today:%d-%m-%Y}")
    regios = ", ".join(begroting.catalog.regio(r).naam for r in begroting.regios)
    lines = [
        ("Regio's", regios),
        ("Jaren", f"{begroting.jaren[0]} t/m {begroting.jaren[-1]}"),
        *[(f"Scenario {name}", text) for name, text in begroting.scenarios.items()],
        *[(name[0].upper() + name[1:], text) for name, text in rules().items()],
        ("Volumes in deze begroting", "Jeugdigen 0-17 x volume per 1.000 jeugdigen (meegeleverde parameters)."),
        ("Lumpsum", "Vast vooraf: de begroting van het basisscenario. P x Q: tarief x volume van elk ander scenario."),
        ("Aannames reservepad", "De GI's samen draaien quitte op het basistarief en starten zonder reserve."),
    ]
    for label, text in lines:
        ws.cell(row=row, column=1, value=label).font = BOLD
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=1).alignment = Alignment(vertical="top")
        ws.row_dimensions[row].height = wrapped_lines(text, TOELICHTING_WIDTH) * LINE_HEIGHT
        row += 1
    examples = begroting.voorbeeldwaarden()
    if examples:
        row += 1
        warning = (f"{len(examples)} gebruikte parameters zijn voorbeeldwaarden, geen gepubliceerde cijfers. "
                   "Zie blad Parameters (kolom Voorbeeld) en vervang ze met een eigen parameterbestand.")
        label = ws.cell(row=row, column=1, value="LET OP: voorbeeldwaarden")
        label.font, label.alignment = WARNING_FONT, Alignment(vertical="top")
        cell = ws.cell(row=row, column=2, value=warning)
        cell.font, cell.alignment = WARNING_FONT, Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = wrapped_lines(warning, TOELICHTING_WIDTH, factor=1.2) * LINE_HEIGHT
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = TOELICHTING_WIDTH


def _sheet_parameters(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Gebruikte parameters", "Elke waarde met de datum waarop zij ingaat en haar bron.")
    rows = []
    for name, tree in begroting.trees.items():
        for path, value in tree.used():
            param = tree.parameter(path)
            shown = float(value.value) if not isinstance(value.value, str | None | bool) else value.value
            rows.append((name, path, param.description, param.unit, value.start, shown, value.reference,
                         "Ja" if value.voorbeeld else "Nee", "Ja" if value.voorlopig else "Nee"))
    write_rows(ws, ["Scenario", "Parameter", "Omschrijving", "Eenheid", "Geldig vanaf", "Waarde", "Bron",
                    "Voorbeeld", "Voorlopig"], rows, row, {4: "dd-mm-yyyy"})


def _sheet_tarieven(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Tarieven per jaar: landelijk en regionaal gecontracteerd",
                      "Geindexeerd vanaf het prijspeiljaar; afgerond op centen. Tariefsoort: landelijk tarief, of het "
                      "tarief van het contract of de regio.")
    table = _pivot(begroting.tarieven, ["product", "naam", "eenheid", "tariefsoort"], "tarief_centen")
    years = begroting.jaren
    rows = [[*r[:4], *(None if pd.isna(v) else cents_to_euro(v) for v in r[4:])] for r in table.itertuples(index=False)]
    index = begroting.indexatie.set_index("jaar")["percentage"]
    rows.append(["", "Toegepast indexpercentage", "", "", *(float(index[y]) for y in years)])
    end = write_rows(ws, ["Product", "Naam", "Eenheid", "Tariefsoort", *map(str, years)], rows, row,
                     {4 + i: EURO for i in range(len(years))})
    for i in range(len(years)):
        ws.cell(row=end - 2, column=5 + i).number_format = PERCENT


def _sheet_volumes(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Volumes per product per gemeente",
                      "Maandproducten: gemiddeld aantal lopende maatregelen; overige: aantal per jaar.")
    table = _pivot(begroting.regels, ["scenario", "regio", "gemeente", "product"], "volume")
    write_rows(ws, ["Scenario", "Regio", "Gemeente", "Product", *map(str, begroting.jaren)],
               [list(r) for r in table.itertuples(index=False)], row,
               {4 + i: DECIMAL for i in range(len(begroting.jaren))})


def _sheet_begroting(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Begroting per gemeente, regio en jaar (scenario basis)", "Bedragen in euro.")
    basis = begroting.regels[begroting.regels["scenario"] == BASIS]
    years = begroting.jaren
    formats = {2 + i: EURO for i in range(len(years))}
    names = {g.key: g.naam for g in begroting.catalog.gemeenten(begroting.regios)}
    per_gemeente = _pivot(basis, ["regio", "gemeente"], "bedrag_centen")
    rows = [[begroting.catalog.regio(r[0]).naam, names[r[1]], *(cents_to_euro(v) for v in r[2:])]
            for r in per_gemeente.itertuples(index=False)]
    row = write_rows(ws, ["Regio", "Gemeente", *map(str, years)], rows, row, formats)
    per_regio = _pivot(basis, ["regio"], "bedrag_centen")
    rows = [[begroting.catalog.regio(r[0]).naam, "Totaal regio", *(cents_to_euro(v) for v in r[1:])]
            for r in per_regio.itertuples(index=False)]
    totals = basis.groupby("jaar")["bedrag_centen"].sum()
    rows.append(["Totaal", "Alle regio's", *(cents_to_euro(totals[y]) for y in years)])
    write_rows(ws, ["Regio", "", *map(str, years)], rows, row, formats, freeze=False)


def _sheet_kostprijs(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, f"Kostprijs en kostendekkendheid {begroting.jaren[0]}",
                      "Verschil = tarief - kostprijs; negatief is niet kostendekkend. FTE: benodigde jeugdbeschermers.")
    k = begroting.kostprijzen
    rows: list[list[object]] = [
        [r.scenario, r.caseloadnorm, r.product, r.naam, r.tariefsoort, *map(cents_to_euro, (
         r.tarief_centen, r.kostprijs_centen, r.verschil_centen)), r.volume, r.fte,
         cents_to_euro(r.verschil_totaal_centen)]
        for r in k.itertuples()
    ]
    totals = k.groupby("scenario", sort=False)[["fte", "verschil_totaal_centen"]].sum()
    rows += [[name, "", "Totaal", "", "", None, None, None, None, float(t.fte),
              cents_to_euro(t.verschil_totaal_centen)] for name, t in totals.iterrows()]
    row = write_rows(ws, ["Scenario", "Caseloadnorm", "Product", "Naam", "Tariefsoort", "Tarief", "Kostprijs",
                          "Verschil per eenheid", "Volume", "FTE", "Verschil totaal per jaar"], rows, row,
                     {5: EURO, 6: EURO, 7: EURO, 8: DECIMAL, 9: DECIMAL, 10: EURO})
    _cost_build_up(ws, begroting, row)


def _cost_build_up(ws: Worksheet, begroting: Begroting, row: int) -> None:
    """The cost price per unit by element of art. 2.3 Besluit Jeugdwet (base scenario)."""
    ws.cell(row=row, column=1, value=f"Opbouw kostprijs per eenheid {begroting.jaren[0]} (scenario basis), per "
            "element van art. 2.3 Besluit Jeugdwet; elk element afgerond op centen").font = BOLD
    money = [c for c in begroting.kostprijsopbouw.columns if c.endswith("_centen")]
    rows = [[r.product, r.naam, r.uren, *(cents_to_euro(getattr(r, c)) for c in money)]
            for r in begroting.kostprijsopbouw.itertuples()]
    write_rows(ws, ["Product", "Naam", "Cliëntgebonden uren per eenheid", "(a) Personeel, cliëntgebonden uren",
                    "(a) Personeel, niet-cliëntgebonden tijd", "(b) Overige cliëntgebonden kosten", "(c) Overhead",
                    "(d) Indexatie", "Marge (fair tarief)", "Kostprijs inclusief marge"], rows, row + 1,
               {2: DECIMAL, **{3 + i: EURO for i in range(len(money))}}, freeze=False)


def _sheet_scenarios(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Scenario's: totale begroting per jaar", "Bedragen in euro.")
    totals = begroting.totalen(["scenario", "jaar"])
    table = totals.pivot(index="jaar", columns="scenario", values="bedrag_centen")[list(begroting.scenarios)]
    rows = [[int(y), *(cents_to_euro(v) for v in r)] for y, r in table.iterrows()]
    start = row
    row = write_rows(ws, ["Jaar", *begroting.scenarios], rows, row,
                     dict.fromkeys(range(1, len(begroting.scenarios) + 1), EURO))
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = "Begroting per jaar per scenario", "Euro", "Jaar"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(begroting.scenarios), min_row=start,
                             max_row=start + len(rows)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=start + len(rows)))
    chart.width, chart.height = 22, 9
    heading = ws.cell(row=row, column=1, value="P x Q per scenario tegenover lumpsum (basisbegroting, vooraf vast)")
    heading.font = BOLD
    p = begroting.pxq_lumpsum
    pxq_rows: list[list[object]] = [
        [r.scenario, begroting.catalog.regio(r.regio).naam, int(r.jaar), cents_to_euro(r.pxq_centen),
         cents_to_euro(r.lumpsum_centen), cents_to_euro(r.verschil_centen)] for r in p.itertuples()
    ]
    pxq_headers = ["Scenario", "Regio", "Jaar", "P x Q", "Lumpsum", "Lumpsum - P x Q"]
    write_rows(ws, pxq_headers, pxq_rows, row + 1, dict.fromkeys((3, 4, 5), EURO), freeze=False)
    ws.add_chart(chart, f"{get_column_letter(max(len(pxq_headers), len(begroting.scenarios) + 1) + 2)}{start}")


def _sheet_reserve(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Risico-opslag en weerstandsvermogen", "GI's samen; bedragen in euro.")
    p = begroting.reservepad
    rows = [[int(r.jaar), cents_to_euro(r.omzet_basis_centen), "Ja" if r.opslag_actief else "Nee",
             *map(cents_to_euro, (r.opslag_centen, r.omzet_centen, r.kosten_centen, r.resultaat_centen,
                                  r.reserve_centen)), float(r.reserve_pct)] for r in p.itertuples()]
    start = row
    row = write_rows(ws, ["Jaar", "Omzet zonder opslag", "Opslag actief", "Risico-opslag", "Omzet", "Kosten",
                          "Resultaat", "Weerstandsvermogen", "Weerstandsvermogen %"], rows, row,
                     {1: EURO, 3: EURO, 4: EURO, 5: EURO, 6: EURO, 7: EURO, 8: PERCENT})
    chart = LineChart()
    chart.title, chart.y_axis.title = "Weerstandsvermogen als % van de omzet", "%"
    chart.add_data(Reference(ws, min_col=9, min_row=start, max_row=start + len(rows)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=start + len(rows)))
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, f"A{row + 1}")
    _surcharge_per_gemeente(ws, begroting, row + CHART_ROWS)
    mc, inv = begroting.monte_carlo, begroting.investering
    bereikt = begroting.norm_bereikt
    facts = [
        ("Norm bereikt in", bereikt if bereikt else "niet binnen de planperiode", None),
        ("Werkkapitaal gevraagd", cents_to_euro(begroting.werkkapitaal_centen), EURO),
        (f"Monte Carlo ({mc.runs} runs): kans op negatieve reserve", mc.kans_negatief, PERCENT),
        *[(f"Monte Carlo: norm voor het eerst bereikt in {y}", share, PERCENT)
          for y, share in mc.bereikt_per_jaar.items()],
        ("Monte Carlo: norm niet bereikt", mc.niet_bereikt, PERCENT),
        ("Monte Carlo: reserve eind P5 / P50 / P95",
         " / ".join(f"€ {v:,.0f}" for v in mc.reserve_eind_p5_p50_p95), None),
        ("Investering caseloadverlaging", cents_to_euro(inv.bedrag_centen), EURO),
        ("Disconteringsvoet", float(inv.disconteringsvoet), PERCENT),
        ("Netto contante waarde (besparing doelpad)", float(inv.netto_contante_waarde), EURO),
        ("Terugverdientijd (jaren)", float(inv.terugverdientijd_jaren) if inv.terugverdientijd_jaren is not None
         else "niet terugverdiend", None),
    ]
    row = start
    for label, value, number_format in facts:
        ws.cell(row=row, column=11, value=label).font = BOLD
        cell = ws.cell(row=row, column=12, value=value)
        if number_format:
            cell.number_format = number_format
        row += 1
    ws.column_dimensions["K"].width, ws.column_dimensions["L"].width = 52, 34


def _surcharge_per_gemeente(ws: Worksheet, begroting: Begroting, row: int) -> None:
    """What the risk surcharge costs each municipality per year: its share of the GIs' surcharge."""
    heading = ws.cell(row=row, column=1, value="Kosten risico-opslag per gemeente (naar rato van de basisbegroting)")
    heading.font = BOLD
    names = {g.key: g.naam for g in begroting.catalog.gemeenten(begroting.regios)}
    table = _pivot(begroting.opslag_per_gemeente, ["regio", "gemeente"], "opslag_centen")
    rows: list[list[object]] = [[begroting.catalog.regio(r[0]).naam, names[r[1]], *(cents_to_euro(v) for v in r[2:])]
                                for r in table.itertuples(index=False)]
    totals = begroting.reservepad["opslag_centen"]
    rows.append(["Totaal", "Alle gemeenten", *(cents_to_euro(v) for v in totals)])
    formats = {2 + i: EURO for i in range(len(begroting.jaren))}
    write_rows(ws, ["Regio", "Gemeente", *map(str, begroting.jaren)], rows, row + 1, formats, freeze=False)


def write_begroting(begroting: Begroting, path: Path) -> Path:
    """Write the workbook atomically to ``path`` and return it."""
    sheets = [("Toelichting", _sheet_toelichting), ("Parameters", _sheet_parameters), ("Tarieven", _sheet_tarieven),
              ("Volumes", _sheet_volumes), ("Begroting", _sheet_begroting), ("Kostprijs", _sheet_kostprijs),
              ("Scenario's", _sheet_scenarios), ("Weerstandsvermogen", _sheet_reserve)]
    return write_workbook(path, sheets, begroting)
