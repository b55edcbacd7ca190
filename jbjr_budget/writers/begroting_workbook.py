"""Write a :class:`~jbjr_budget.models.begroting.Begroting` as a Dutch workbook for controllers.

Only presentation happens here: every number comes from the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget import __version__
from jbjr_budget.models.begroting import BASIS, Begroting
from jbjr_budget.models.budget_tables import BuildUpRow, Flags
from jbjr_budget.rules.budget_lines import BudgetLines
from jbjr_budget.rules.indexation import ASSUMPTION_PATH
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.rules.statements import rules
from jbjr_budget.writers.mark_texts import MARK_HEADER, mark_text, warnings
from jbjr_budget.writers.marks import mark_cells, mark_column, marks_note, row_marks
from jbjr_budget.writers.styles import BOLD, DATE, DECIMAL, EURO, PERCENT
from jbjr_budget.writers.tables import wrap_column, write_lines, write_note, write_rows, write_title, write_workbook

__all__ = ["write_begroting"]

UNIT_LABELS = {"/1": "%"}  # a rate is shown as a percentage: 0.02 as 2,00%
VALUE_FORMATS = {"%": PERCENT, "datum": DATE, "EUR": EURO}
SCENARIO_NOTE = ("Een caseloadscenario (zoals caseload_15) verandert alleen de kostprijs en de benodigde fte "
                 "(blad Kostprijs), niet tarief x volume: zijn begroting is gelijk aan die van basis.")
INVESTMENT_NOTE = (
    "NCW en terugverdientijd: de investering op t = 0 tegenover de besparing per jaar hierboven, het verschil tussen "
    "de begroting van basis en van doelpad_min20 (minder maatregelen). Dat veronderstelt dat de investering dat "
    "doelpad oplevert. Is de besparing van een jaar groter dan de investering, dan is de terugverdientijd korter "
    "dan een jaar."
)
NUMBER = "#,##0.####"  # any other number: thousands grouped, up to four decimals
CHART_ROWS = 18  # rows an 8 cm chart covers (a row is 0.53 cm), plus a margin


def _per_year(rows: Iterable[Any], key: Callable[[Any], tuple[Any, ...]], value: Callable[[Any], object],
              years: Sequence[int]) -> list[list[object]]:
    """Rows grouped by ``key`` (in order of appearance), one column per year (``None`` where a group has none)."""
    found: dict[tuple[Any, ...], dict[int, object]] = {}
    for row in rows:
        found.setdefault(key(row), {})[row.jaar] = value(row)
    return [[*group, *(per_year.get(year) for year in years)] for group, per_year in found.items()]


def _euros(cents: Iterable[int]) -> list[object]:
    return [cents_to_euro(c) for c in cents]


def _marks(example: np.ndarray, provisional: np.ndarray) -> list[str]:
    """The mark of each group from its flags (as :meth:`BudgetLines.any_by` gives them)."""
    return [mark_text(bool(e), bool(p)) for e, p in zip(example.tolist(), provisional.tolist(), strict=True)]


def _marked_rows(
    ws: Worksheet, headers: Sequence[str | int], rows: Sequence[Sequence[object]], marks: Sequence[str],
    start_row: int, formats: dict[int, str], freeze: bool = True,
) -> int:
    """A table with the column *Let op* at its right: what each row's figures rest on; returns the next free row."""
    end = write_rows(ws, [*headers, MARK_HEADER], [[*r, m] for r, m in zip(rows, marks, strict=True)], start_row,
                     formats, freeze=freeze)
    mark_column(ws, len(headers) + 1, start_row + 1, start_row + len(rows))
    return end


def _note(ws: Worksheet, flags: Flags) -> None:
    """The note under the title when any figure on the sheet is marked."""
    marks_note(ws, *flags)


def _any(rows: Iterable[Any]) -> Flags:
    """Whether any of the rows is marked."""
    listed = list(rows)
    return Flags(any(r.voorbeeld for r in listed), any(r.voorlopig for r in listed))


def _all_lines(begroting: Begroting) -> Flags:
    """Whether a budget line of any scenario is marked."""
    return Flags(any(Flags.any_of(lines).voorbeeld for lines in begroting.regels.values()),
                 any(Flags.any_of(lines).voorlopig for lines in begroting.regels.values()))


def _sheet_toelichting(ws: Worksheet, begroting: Begroting) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    row = write_title(ws, "Begroting jeugdbescherming en jeugdreclassering",
                      f"Gemaakt met jbjr_budget {__version__} op {today:%d-%m-%Y}")
    regios = ", ".join(begroting.catalog.regio(r).naam for r in begroting.regios)
    lines = [
        ("Regio's", regios),
        ("Jaren", f"{begroting.jaren[0]} t/m {begroting.jaren[-1]}"),
        *[(f"Scenario {name}", f"{text} {_changes(begroting, name)}") for name, text in begroting.scenarios.items()],
        ("Indexatie per jaar", _index_basis(begroting)),
        *[(name[0].upper() + name[1:], text) for name, text in rules().items()],
        ("Volumes in deze begroting", "Jeugdigen 0-17 x volume per 1.000 jeugdigen (meegeleverde parameters)."),
        ("Lumpsum", "Vast vooraf: de begroting van het basisscenario. P x Q: tarief x volume van elk ander scenario."),
        ("Aannames reservepad", "De GI's samen draaien quitte op het basistarief en starten zonder reserve."),
    ]
    row = write_lines(ws, lines, row)
    write_lines(ws, warnings(begroting.voorbeeldwaarden(), begroting.voorlopige_waarden()), row + 1, warning=True)


def _changes(begroting: Begroting, name: str) -> str:
    """Which products' volumes a scenario changes (from the model)."""
    changed = begroting.scenario_producten[name]
    return (f"Verandert de volumes van {len(changed)} producten: {', '.join(changed)}." if changed
            else "Verandert geen volumes.")


def _index_basis(begroting: Begroting) -> str:
    """Per year the applied index rate and what it rests on: VNG's figures or the named assumption."""
    parts = []
    for r in begroting.indexatie:
        if r.basis == "aanname":
            parts.append(f"{r.jaar}: {_pct(r.percentage, 2)} aanname (parameter {ASSUMPTION_PATH}), geen "
                         "gepubliceerd cijfer")
        else:
            catch_up = ("nacalculatie nog niet bekend" if r.nacalculatie is None
                        else f"nacalculatie {_pct(r.nacalculatie, 3)} ({r.methode})")
            parts.append(f"{r.jaar}: {_pct(r.percentage, 2)} = VNG gewogen voorlopig {_pct(r.voorlopig_gewogen, 3)} "
                         f"+ {catch_up}")
    return "; ".join(parts) + "."


def _pct(rate: object, decimals: int) -> str:
    """A rate as a Dutch percentage: 0.0496 as 4,96%."""
    return f"{float(str(rate)):.{decimals}%}".replace(".", ",")


def _sheet_parameters(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Gebruikte parameters", "Elke waarde met de datum waarop zij ingaat en haar bron.")
    rows = []
    for name, tree in begroting.trees.items():
        for path, value in tree.used():
            param = tree.parameter(path)
            rows.append((name, path, param.description, UNIT_LABELS.get(param.unit, param.unit), value.start,
                         _parameter_value(value.value, param.unit), value.reference,
                         "Ja" if value.voorbeeld else "Nee", "Ja" if value.voorlopig else "Nee"))
    write_rows(ws, ["Scenario", "Parameter", "Omschrijving", "Eenheid", "Geldig vanaf", "Waarde", "Bron",
                    "Voorbeeld", "Voorlopig"], rows, row, {4: DATE})
    for r, values in enumerate(rows, start=row + 1):
        if isinstance(values[5], float | dt.date):
            ws.cell(row=r, column=6).number_format = VALUE_FORMATS.get(values[3], NUMBER)
    wrap_column(ws, 3, 45, row + 1)
    wrap_column(ws, 7, 60, row + 1)


def _parameter_value(value: object, unit: str) -> object:
    """A parameter value as a cell holds it: a date as a date, a number as a number."""
    if unit == "datum" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else value


def _sheet_tarieven(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Tarieven per jaar: landelijk en regionaal gecontracteerd",
                      "Geïndexeerd vanaf het prijspeiljaar; afgerond op centen. Tariefsoort: landelijk tarief, of het "
                      "tarief van het contract of de regio.")
    by = ["product", "naam", "eenheid", "tariefsoort"]
    years = begroting.jaren
    table = _per_year(begroting.tarieven, lambda r: (r.product, r.naam, r.eenheid, r.tariefsoort),
                      lambda r: r.tarief_centen, years)
    marks, index_marks = row_marks(begroting.tarieven, by), row_marks(begroting.indexatie, ["jaar"])
    rows: list[list[object]] = [[*r[:3], _family(begroting, str(r[3])), *(
        None if v is None else cents_to_euro(v) for v in r[4:])] for r in table]  # type: ignore[arg-type]
    index = {r.jaar: r.percentage for r in begroting.indexatie}
    rows.append(["", "Toegepast indexpercentage", "", "", *(float(index[y]) for y in years)])
    _note(ws, _any([*begroting.tarieven, *begroting.indexatie]))
    end = _marked_rows(ws, ["Product", "Naam", "Eenheid", "Tariefsoort", *years], rows,
                       [*(marks[tuple(r[:4])] for r in table),
                        "; ".join(sorted({m for m in index_marks.values() if m}))], row,
                       {4 + i: EURO for i in range(len(years))})
    for i in range(len(years)):
        ws.cell(row=end - 2, column=5 + i).number_format = PERCENT


def _family(begroting: Begroting, key: str) -> str:
    """A tariff family as users name it: the national tariff, a region's own, or its contract's."""
    if key == "landelijk":
        return "landelijk tarief"
    regio = begroting.catalog.regios.get(key)
    return regio.naam if regio else f"contract {key}"


def _sheet_volumes(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Volumes per product per gemeente",
                      "Maandproducten: gemiddeld aantal lopende maatregelen; overige: aantal per jaar.")
    rows: list[list[object]] = []
    marks: list[str] = []
    for name, lines in begroting.regels.items():
        gemeenten, producten, milli = lines.per_year("volume_milli")
        regio = lines.regio[::len(lines.jaren)]
        rows += [[name, begroting.catalog.regio(lines.regios[r]).naam, begroting.catalog.gemeente(
                  lines.gemeenten[g]).naam, lines.producten[p], *volumes]
                 for r, g, p, volumes in zip(regio.tolist(), gemeenten.tolist(), producten.tolist(),
                                             (milli / 1000).tolist(), strict=True)]
        flags = [lines.any_by("gemeente", "product", flag=f)[gemeenten, producten] for f in ("voorbeeld", "voorlopig")]
        marks += _marks(*flags)
    _note(ws, _all_lines(begroting))
    _marked_rows(ws, ["Scenario", "Regio", "Gemeente", "Product", *begroting.jaren], rows, marks, row,
                 {4 + i: DECIMAL for i in range(len(begroting.jaren))})


def _sheet_begroting(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Begroting per gemeente, regio en jaar (scenario basis)", "Bedragen in euro.")
    basis: BudgetLines = begroting.regels[BASIS]
    years = begroting.jaren
    formats = {2 + i: EURO for i in range(len(years))}
    regio_of = np.zeros(len(basis.gemeenten), dtype=np.intp)
    regio_of[basis.gemeente] = basis.regio
    names = [begroting.catalog.regio(r).naam for r in basis.regios]
    gemeente_names = {g.key: g.naam for g in begroting.catalog.gemeenten(begroting.regios)}
    rows: list[list[object]] = [[names[r], gemeente_names[g], *_euros(cents)] for r, g, cents in zip(
        regio_of.tolist(), basis.gemeenten, basis.sum_by("gemeente", "jaar").tolist(), strict=True)]
    _note(ws, Flags.any_of(basis))
    row = _marked_rows(ws, ["Regio", "Gemeente", *years], rows, _marks(
        *(basis.any_by("gemeente", flag=f) for f in ("voorbeeld", "voorlopig"))), row, formats)
    rows = [[name, "Totaal regio", *_euros(cents)] for name, cents in zip(names, basis.sum_by("regio", "jaar").tolist(),
                                                                          strict=True)]
    rows.append(["Totaal", "Alle regio's", *_euros(basis.sum_by("jaar").tolist())])
    _marked_rows(ws, ["Regio", "", *years], rows,
                 [*_marks(*(basis.any_by("regio", flag=f) for f in ("voorbeeld", "voorlopig"))),
                  mark_text(*Flags.any_of(basis))], row, formats, freeze=False)


def _sheet_kostprijs(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, f"Kostprijs en kostendekkendheid {begroting.jaren[0]}",
                      "Verschil = tarief - kostprijs; negatief is niet kostendekkend. FTE: benodigde jeugdbeschermers.")
    k = begroting.kostprijzen
    rows: list[list[object]] = [
        [r.scenario, r.product, r.naam, _family(begroting, r.tariefsoort), r.caseloadnorm, *map(cents_to_euro, (
         r.tarief_centen, r.kostprijs_centen, r.verschil_centen)), r.volume, r.fte,
         cents_to_euro(r.verschil_totaal_centen)]
        for r in k
    ]
    scenario_marks = row_marks(k, ["scenario"])
    names = [str(key) for (key,) in scenario_marks]
    totals = {name: begroting.kostprijs_totaal(name) for name in names}
    rows += [[name, "Totaal", "", "", None, None, None, None, None, fte, cents_to_euro(gap)]
             for name, (fte, gap) in totals.items()]
    _note(ws, _any(k))
    row = _marked_rows(ws, ["Scenario", "Product", "Naam", "Tariefsoort", "Caseloadnorm", "Tarief", "Kostprijs",
                            "Verschil per eenheid", "Volume", "FTE", "Verschil totaal per jaar"], rows,
                       [*(mark_text(r.voorbeeld, r.voorlopig) for r in k),
                        *(scenario_marks[(name,)] for name in names)], row,
                       {4: "0.0", 5: EURO, 6: EURO, 7: EURO, 8: DECIMAL, 9: DECIMAL, 10: EURO})
    _cost_build_up(ws, begroting, row)


def _cost_build_up(ws: Worksheet, begroting: Begroting, row: int) -> None:
    """The cost price per unit by element of art. 2.3 Besluit Jeugdwet (base scenario)."""
    ws.cell(row=row, column=1, value=f"Opbouw kostprijs per eenheid {begroting.jaren[0]} (scenario basis), per "
            "element van art. 2.3 Besluit Jeugdwet; elk element afgerond op centen").font = BOLD
    money = [c for c in BuildUpRow._fields if c.endswith("_centen")]
    rows = [[r.product, r.naam, r.uren, *(cents_to_euro(getattr(r, c)) for c in money)]
            for r in begroting.kostprijsopbouw]
    _marked_rows(ws, ["Product", "Naam", "Cliëntgebonden uren per eenheid", "(a) Personeel, cliëntgebonden uren",
                      "(a) Personeel, niet-cliëntgebonden tijd", "(b) Overige cliëntgebonden kosten", "(c) Overhead",
                      "(d) Indexatie", "Marge (fair tarief)", "Kostprijs inclusief marge"], rows,
                 [mark_text(r.voorbeeld, r.voorlopig) for r in begroting.kostprijsopbouw], row + 1,
                 {2: DECIMAL, **{3 + i: EURO for i in range(len(money))}}, freeze=False)


def _sheet_scenarios(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Scenario's: totale begroting per jaar", "Bedragen in euro.")
    totals = [begroting.totaal_per_jaar(name) for name in begroting.scenarios]
    rows: list[list[object]] = [[year, *_euros(t[y] for t in totals)] for y, year in enumerate(begroting.jaren)]
    year_flags = [np.logical_or.reduce([lines.any_by("jaar", flag=f) for lines in begroting.regels.values()])
                  for f in ("voorbeeld", "voorlopig")]
    _note(ws, _all_lines(begroting))
    start = row
    row = _marked_rows(ws, ["Jaar", *begroting.scenarios], rows, _marks(*year_flags), row,
                       dict.fromkeys(range(1, len(begroting.scenarios) + 1), EURO))
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = "Begroting per jaar per scenario", "Euro", "Jaar"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(begroting.scenarios), min_row=start,
                             max_row=start + len(rows)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=start + len(rows)))
    chart.width, chart.height = 22, 9
    write_note(ws, row, SCENARIO_NOTE, 1, len(begroting.scenarios) + 1)
    row += 2
    heading = ws.cell(row=row, column=1, value="P x Q per scenario tegenover lumpsum (basisbegroting, vooraf vast)")
    heading.font = BOLD
    p = begroting.pxq_lumpsum
    pxq_rows: list[list[object]] = [
        [r.scenario, begroting.catalog.regio(r.regio).naam, int(r.jaar), cents_to_euro(r.pxq_centen),
         cents_to_euro(r.lumpsum_centen), cents_to_euro(r.verschil_centen)] for r in p
    ]
    pxq_headers = ["Scenario", "Regio", "Jaar", "P x Q", "Lumpsum", "Lumpsum - P x Q"]
    _marked_rows(ws, pxq_headers, pxq_rows, [mark_text(r.voorbeeld, r.voorlopig) for r in p], row + 1,
                 dict.fromkeys((3, 4, 5), EURO), freeze=False)
    ws.add_chart(chart, f"{get_column_letter(max(len(pxq_headers), len(begroting.scenarios) + 1) + 3)}{start}")


def _sheet_reserve(ws: Worksheet, begroting: Begroting) -> None:
    row = write_title(ws, "Risico-opslag en weerstandsvermogen", "GI's samen; bedragen in euro.")
    p = begroting.reservepad
    rows = [[int(y.jaar), cents_to_euro(y.omzet_basis_centen), "Ja" if y.opslag_actief else "Nee",
             *map(cents_to_euro, (y.opslag_centen, y.omzet_centen, y.kosten_centen, y.resultaat_centen,
                                  y.reserve_centen)), float(y.reserve_pct)] for y, *_ in p]
    start = row
    _note(ws, _any(p))
    row = _marked_rows(ws, ["Jaar", "Omzet zonder opslag", "Opslag actief", "Risico-opslag", "Omzet", "Kosten",
                            "Resultaat", "Weerstandsvermogen", "Weerstandsvermogen %"], rows,
                       [mark_text(r.voorbeeld, r.voorlopig) for r in p], row,
                       {1: EURO, 3: EURO, 4: EURO, 5: EURO, 6: EURO, 7: EURO, 8: PERCENT})
    chart = LineChart()
    chart.title, chart.y_axis.title = "Weerstandsvermogen als % van de omzet", "%"
    chart.add_data(Reference(ws, min_col=9, min_row=start, max_row=start + len(rows)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=start + len(rows)))
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, f"A{row + 1}")
    _surcharge_per_gemeente(ws, begroting, row + CHART_ROWS)
    _reserve_facts(ws, begroting, start)


def _reserve_facts(ws: Worksheet, begroting: Begroting, row: int) -> None:
    """Target year, working capital, Monte Carlo and the investment, label and value, beside the reserve table."""
    mc, inv = begroting.monte_carlo, begroting.investering
    p5, p50, p95 = mc.reserve_eind_p5_p50_p95
    facts: list[tuple[str, object, str | None]] = [
        ("Norm bereikt in", begroting.norm_bereikt or "niet binnen de planperiode", "0"),
        ("Werkkapitaal gevraagd", cents_to_euro(begroting.werkkapitaal_centen), EURO),
        (f"Monte Carlo ({mc.runs} runs): kans op negatieve reserve", mc.kans_negatief, PERCENT),
        *[(f"Monte Carlo: norm voor het eerst bereikt in {y}", share, PERCENT)
          for y, share in mc.bereikt_per_jaar.items()],
        ("Monte Carlo: norm niet bereikt", mc.niet_bereikt, PERCENT),
        ("Monte Carlo: reserve eind, P5 (ongunstig)", p5, EURO),
        ("Monte Carlo: reserve eind, P50 (mediaan)", p50, EURO),
        ("Monte Carlo: reserve eind, P95 (gunstig)", p95, EURO),
        ("Investering caseloadverlaging (t = 0)", cents_to_euro(inv.bedrag_centen), EURO),
        *[(f"Besparing doelpad_min20 tegenover basis {year}", cents_to_euro(flow), EURO)
          for year, flow in zip(begroting.jaren, inv.kasstromen_centen[1:], strict=True)],
        ("Disconteringsvoet", float(inv.disconteringsvoet), PERCENT),
        ("Netto contante waarde", float(inv.netto_contante_waarde), EURO),
        ("Terugverdientijd (jaren)", float(inv.terugverdientijd_jaren) if inv.terugverdientijd_jaren is not None
         else "niet terugverdiend", "0.00"),
    ]
    marks = {"Reserve, werkkapitaal en Monte Carlo": mark_text(*begroting.reserve_flags),
             "Investering, NCW en terugverdientijd": mark_text(*inv.flags)}
    for label, value, number_format in [*facts, *((f"{MARK_HEADER}: {k}", v, None) for k, v in marks.items() if v)]:
        ws.cell(row=row, column=11, value=label).font = BOLD
        cell = ws.cell(row=row, column=12, value=value)
        if number_format:
            cell.number_format = number_format
        if label.startswith(MARK_HEADER):
            mark_cells(ws, [(row, 11), (row, 12)])
        row += 1
    ws.column_dimensions["K"].width, ws.column_dimensions["L"].width = 52, 34
    write_note(ws, row, INVESTMENT_NOTE, 11, 12)


def _surcharge_per_gemeente(ws: Worksheet, begroting: Begroting, row: int) -> None:
    """What the risk surcharge costs each municipality per year: its share of the GIs' surcharge."""
    heading = ws.cell(row=row, column=1, value="Kosten risico-opslag per gemeente (naar rato van de basisbegroting)")
    heading.font = BOLD
    names = {g.key: g.naam for g in begroting.catalog.gemeenten(begroting.regios)}
    table = _per_year(begroting.opslag_per_gemeente, lambda r: (r.regio, r.gemeente), lambda r: r.opslag_centen,
                      begroting.jaren)
    rows: list[list[object]] = [[begroting.catalog.regio(r[0]).naam, names[str(r[1])], *_euros(r[2:])]  # type: ignore[arg-type]
                                for r in table]
    rows.append(["Totaal", "Alle gemeenten", *_euros(r.cijfers.opslag_centen for r in begroting.reservepad)])
    formats = {2 + i: EURO for i in range(len(begroting.jaren))}
    marks = row_marks(begroting.opslag_per_gemeente, ["regio", "gemeente"])
    _marked_rows(ws, ["Regio", "Gemeente", *begroting.jaren], rows,
                 [*(marks[tuple(r[:2])] for r in table), mark_text(*begroting.reserve_flags)], row + 1, formats,
                 freeze=False)


def write_begroting(begroting: Begroting, path: Path) -> Path:
    """Write the workbook atomically to ``path`` and return it."""
    sheets = [("Toelichting", _sheet_toelichting), ("Begroting", _sheet_begroting), ("Scenario's", _sheet_scenarios),
              ("Kostprijs", _sheet_kostprijs), ("Weerstandsvermogen", _sheet_reserve), ("Tarieven", _sheet_tarieven),
              ("Volumes", _sheet_volumes), ("Parameters", _sheet_parameters)]
    return write_workbook(path, sheets, begroting)
