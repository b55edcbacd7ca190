"""The calculating sheets of the controller workbook: volumes, multi-year, reserve, budget and results."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.models.begroting import BASIS, Begroting
from jbjr_budget.models.budget_tables import Flags
from jbjr_budget.rules.costprice import weight, weight_path
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.writers.controller_workbook.input_sheets import YEARS
from jbjr_budget.writers.controller_workbook.sheet import (
    Sheet,
    Spill,
    column,
    define,
    format_cells,
    set_columns,
    table_header,
)
from jbjr_budget.writers.mark_texts import MARK_HEADER, mark_text
from jbjr_budget.writers.marks import mark_column, mark_input, marks_note, row_marks
from jbjr_budget.writers.styles import BOLD, EURO, INPUT_FILL, PERCENT

__all__ = ["write_begroting", "write_meerjarig", "write_reserve", "write_result_sheets", "write_volumes"]


class Product(NamedTuple):
    """A product's volume flags, as a row :func:`row_marks` reads."""

    product: str
    voorbeeld: bool
    voorlopig: bool


def write_volumes(ws: Worksheet, begroting: Begroting, on: dt.date, volumes: dict[str, float]) -> None:
    """Per product: volume and weight (input), tariff, cost price, gap, fte and first-year budget, and marks.

    An input holding an example value is orange; *Let op* says what the product's default figures rest on.
    """
    sheet, tree, catalog = Sheet(ws), begroting.basis, begroting.catalog
    sheet.title("Volumes, tarieven en kostprijzen", "Volume = gemiddeld aantal lopende maatregelen (per maand) of "
                "eenheden per jaar; zwaarte t.o.v. een OTS; tarieven en kostprijzen op de peildatum.")
    volume_flags = begroting.product_flags(BASIS, on.year)
    costs = [r for r in begroting.kostprijzen if r.scenario == BASIS]
    marks = row_marks([*(Product(code, *flags) for code, flags in volume_flags.items()), *costs], ["product"])
    marks_note(ws, any(f.voorbeeld for f in volume_flags.values()) or any(r.voorbeeld for r in costs),
               any(f.voorlopig for f in volume_flags.values()))
    sheet.header("Productcode", "Product", "Eenheid", "Zwaarte", "Volume", "Tarief (EUR)", "Kostprijs (EUR)",
                 "Dekkingsgat (EUR)", "Fte", "Begroting eerste jaar (EUR)", MARK_HEADER)
    first = sheet.row
    for code, product in catalog.producten.items():
        r = sheet.row
        monthly = product.eenheid == "maand"
        sheet.line(
            code, product.naam, product.eenheid_label,
            float(weight(tree, code, on)) if monthly else None,
            volumes.get(code, 0.0),
            f"=JBJR_TARIEF(A{r},Invoer_Peildatum,Invoer_Scenario,INDEX(Invoer_Regios,1,1))",
            f"=JBJR_KOSTPRIJS(A{r},Invoer_Peildatum,Par_Caseloadnorm,Invoer_Scenario)",
            f"=JBJR_DEKKINGSGAT(F{r},G{r})",
            f"=JBJR_FTE(E{r},Par_Caseloadnorm,D{r})" if monthly else None,
            f"=JBJR_BEGROTING(E{r},A{r},F{r},Invoer_Eerste_jaar,Invoer_Contractbegin,Invoer_Contracteinde)",
            marks.get((code,), ""),
        )
        for input_column in (4, 5):
            ws.cell(r, input_column).fill = INPUT_FILL
        weight_value = tree.entry(weight_path(code), on) if monthly else None
        if weight_value is not None and weight_value.voorbeeld:
            mark_input(ws, r, 4, weight_value.reference)
        if volume_flags.get(code, Flags()).voorbeeld:
            mark_input(ws, r, 5, "Volume uit jeugdigen 0-17 x volume per 1.000 jeugdigen (meegeleverde parameters).")
    mark_column(ws, 11, first, sheet.row - 1)
    last = sheet.row - 1
    define(ws, "Invoer_Productcodes", first, 1, last, 1)
    define(ws, "Invoer_Volumes", first, 5, last, 5)
    sheet.line("Totaal", None, None, None, f"=SUM(E{first}:E{last})", None, None, None, f"=SUM(I{first}:I{last})",
               f"=SUM(J{first}:J{last})")
    ws.cell(sheet.row - 1, 1).font = BOLD
    for letter in "FGHJ":
        for r in range(first, sheet.row):
            ws[f"{letter}{r}"].number_format = EURO
    format_cells(ws, range(first, sheet.row), {"D": "0.0#", "E": "#,##0.0#", "I": "#,##0.0"})
    set_columns(ws, {"A": 14, "B": 55, "C": 12, "D": 10, "E": 12, "F": 16, "G": 16, "H": 18, "I": 10, "J": 28,
                     "K": 36})


def write_meerjarig(ws: Worksheet, begroting: Begroting) -> None:
    """Per year: applied index, index factor, an indexed amount, the OTS tariff, part-year and volume path, marked.

    The OTS volume path starts from the reference volume: when that rests on examples, every year is marked.
    """
    sheet = Sheet(ws)
    sheet.title("Meerjarig: indexatie, deeljaar en volumepad",
                "Het volumepad volgt de richting van de jaren (hier een kolom).")
    flags = begroting.product_flags(BASIS)
    reference_example = any(flags[c].voorbeeld for c in begroting.catalog.group("ots") if c in flags)  # path start
    per_year: dict[int, Flags] = {}
    for year, flags_of_year in [*((i.jaar, Flags(i.voorbeeld, i.voorlopig)) for i in begroting.indexatie),
                                *((t.jaar, Flags(t.voorbeeld, t.voorlopig)) for t in begroting.tarieven
                                  if t.product == "48A04")]:
        per_year[year] = per_year.get(year, Flags()) | flags_of_year
    marks_note(ws, reference_example or any(f.voorbeeld for f in per_year.values()),
               any(f.voorlopig for f in per_year.values()))
    sheet.header("Jaar", "Indexatie (toegepast)", "Indexfactor t.o.v. eerste jaar", "EUR 1.000 van het eerste jaar",
                 "Tarief 48A04 (EUR)", "Deel van het jaar in het contract", "Volumepad OTS", MARK_HEADER)
    first = sheet.row
    for k, year in enumerate(begroting.jaren):
        year_flags = per_year.get(year, Flags())
        ws.cell(first + k, 8, mark_text(reference_example or year_flags.voorbeeld, year_flags.voorlopig))
    for k in range(1, YEARS + 1):
        r = sheet.row
        sheet.line(
            f"=INDEX(Invoer_Jaren,1,{k})",
            f"=JBJR_INDEXPERCENTAGE(A{r},Invoer_Scenario)",
            f"=JBJR_INDEXFACTOR(Invoer_Eerste_jaar,A{r},Invoer_Scenario)",
            f"=JBJR_GEINDEXEERD(1000,Invoer_Eerste_jaar,A{r},Invoer_Scenario)",
            f'=JBJR_TARIEF("48A04",A{r},Invoer_Scenario)',
            f"=JBJR_DEELJAAR(A{r},Invoer_Contractbegin,Invoer_Contracteinde)",
            *([Spill(f"=JBJR_VOLUMEPAD(Par_Referentievolume,Par_Reductie,Par_Startdatum,Par_Doeldatum,"
                      f"A{first}:A{first + YEARS - 1})")] if k == 1 else []),
        )
    mark_column(ws, 8, first, sheet.row - 1)
    for r in range(first, sheet.row):
        ws[f"B{r}"].number_format = "0.00%"
        ws[f"C{r}"].number_format = "0.0000"
        ws[f"D{r}"].number_format = EURO
        ws[f"E{r}"].number_format = EURO
        ws[f"F{r}"].number_format = "0.00"
        ws[f"G{r}"].number_format = "#,##0.0"
    set_columns(ws, {"A": 12, "B": 22, "C": 31, "D": 30, "E": 19, "F": 34, "G": 15, "H": 36})


def write_reserve(ws: Worksheet, begroting: Begroting) -> None:
    """Reserve path, working capital, Monte Carlo and the caseload investment, from turnover and cost inputs."""
    sheet = Sheet(ws)
    sheet.title("Weerstandsvermogen, risico-opslag en investering",
                "Omzet en kosten per jaar (standaard: de begroting, kostendekkend); de tabellen rekenen zelf door.")
    turnover = [cents_to_euro(r.cijfers.omzet_basis_centen) for r in begroting.reservepad]
    marks_note(ws, begroting.reserve_flags.voorbeeld, begroting.reserve_flags.voorlopig)
    sheet.line("Jaar", *(f"=INDEX(Invoer_Jaren,1,{k})" for k in range(1, YEARS + 1)))
    for label, name in (("Omzet exclusief opslag (EUR)", "Invoer_Omzet"), ("Kosten (EUR)", "Invoer_Kosten")):
        row = sheet.line(label, *turnover, name=name, fmt=EURO, invoer=True)
        _mark_inputs(ws, row, YEARS, begroting.reserve_flags.voorbeeld, "De begroting van het basisscenario.")
    sheet.line("Reserve aan het begin (EUR)", 0.0, name="Invoer_Beginreserve", fmt=EURO, invoer=True)
    sheet.line("Werkkapitaal eerste jaar (EUR)",
               "=JBJR_WERKKAPITAAL(INDEX(Invoer_Omzet,1,1),Par_Werkkapitaal_maanden)",
               fmt=EURO)
    sheet.skip()
    path_row = sheet.line("Reservepad", Spill(
        "=JBJR_RESERVEPAD(Invoer_Jaren,Invoer_Omzet,Invoer_Kosten,Invoer_Beginreserve,"
        "Par_Risico_opslag,Par_Norm_weerstandsvermogen)"))
    format_cells(ws, range(path_row + 1, path_row + YEARS + 1), {**dict.fromkeys("CEFGHI", EURO), "J": PERCENT})
    sheet.skip(YEARS + 1)
    row = sheet.line("Monte Carlo (de tabel eronder rekent met de omzet en kosten van het eerste jaar)")
    ws.cell(row + 1, 1).value = ArrayFormula(  # labels in column A, where they fit
        f"A{row + 1}",
        "=JBJR_MONTECARLO(Invoer_Jaren,INDEX(Invoer_Omzet,1,1),INDEX(Invoer_Kosten,1,1),Invoer_Beginreserve,"
        "Par_Risico_opslag,Par_Norm_weerstandsvermogen,Par_Spreiding_volume,Par_Spreiding_kosten)")
    # Its rows: header, runs, two chances, the chance per year of first reaching the norm, three percentiles.
    format_cells(ws, range(row + 2, row + 3), {"B": "#,##0"})
    format_cells(ws, range(row + 3, row + 5 + YEARS), {"B": PERCENT})
    format_cells(ws, range(row + 5 + YEARS, row + 8 + YEARS), {"B": EURO})
    sheet.skip(YEARS + 7)
    flows = [cents_to_euro(c) for c in begroting.investering.kasstromen_centen]
    row = sheet.line("Kasstromen investering (EUR), eerste = investering", "=-Par_Investering", *flows[1:],
                     name="Invoer_Kasstromen", fmt=EURO, invoer=True)
    _mark_inputs(ws, row + 0, len(flows), begroting.investering.flags.voorbeeld,
                 "de besparing is basis min doelpad_min20 van de begroting.")
    sheet.line("Netto contante waarde (EUR)", "=JBJR_NCW(Par_Disconteringsvoet,Invoer_Kasstromen)", fmt=EURO)
    sheet.line("Terugverdientijd (jaren)", "=JBJR_TERUGVERDIENTIJD(Invoer_Kasstromen)", fmt="0.0")
    widths: dict[str, float] = {column(c): 16 for c in range(2, 11)}
    set_columns(ws, {"A": 50, **widths})


def _mark_inputs(ws: Worksheet, row: int, count: int, example: bool, what: str) -> None:
    """Mark the ``count`` input cells from column B of ``row`` when their default rests on example values."""
    if example:
        for column_index in range(2, 2 + count):
            mark_input(ws, row, column_index, f"Rust op voorbeeldwaarden: {what}")


BUDGET_FORMATS = {"E": "#,##0.0##", "F": EURO, "G": EURO}  # volume, tariff, amount


def _budget_columns(ws: Worksheet) -> None:
    """Widths and number formats for the budget table spilled or written from column A."""
    set_columns(ws, {"A": 42, "B": 22, "C": 10, "D": 8})
    for letter, width in {"E": 12, "F": 16, "G": 18}.items():
        set_columns(ws, {letter: width}, BUDGET_FORMATS[letter])
    set_columns(ws, {"H": 36})


def write_begroting(ws: Worksheet, lines: int) -> None:
    """The budget table (region, municipality, product, year) spilled from one JBJR_BEGROTINGSTABEL cell.

    ``lines`` is how many rows it spills for the default inputs; those cells get their number formats.
    """
    sheet = Sheet(ws)
    sheet.title("Begroting per regio, gemeente, product en jaar", "Volume x tarief; rekent door bij elke wijziging.")
    ws.cell(sheet.row, 1).value = ArrayFormula(
        f"A{sheet.row}",
        "=JBJR_BEGROTINGSTABEL(Invoer_Regios,Invoer_Jaren,Invoer_Filter_producten,Invoer_Filter_gemeenten,"
        "Invoer_Contractbegin,Invoer_Contracteinde,Invoer_Scenario)",
    )
    table_header(ws, sheet.row)  # the table spills with its header row first
    _budget_columns(ws)
    format_cells(ws, range(sheet.row + 1, sheet.row + 1 + lines), BUDGET_FORMATS)


def _result_sheet(ws: Worksheet, title: str, subtitle: str, name: str) -> None:
    sheet = Sheet(ws)
    sheet.title(title, subtitle)
    define(ws, name, sheet.row, 1, sheet.row, 1)
    table_header(ws, sheet.row)  # the macro writes its table with a header row here


def write_result_sheets(workbook: Workbook) -> None:
    """The sheets the macros write to, each with a named anchor cell for its table."""
    _result_sheet(uitkomsten := workbook.create_sheet("Uitkomsten"), "Uitkomsten van de macro JBJR_HERBEREKEN",
                  "Alt+F8 > JBJR_HERBEREKEN schrijft hier de begrotingstabel.", "Uitkomst_Begroting")
    _budget_columns(uitkomsten)
    _result_sheet(workbook.create_sheet("Sjablonen"), "Sjablonen van de macro JBJR_SJABLONEN",
                  "Alt+F8 > JBJR_SJABLONEN zet hier de geschreven sjablonen.", "Uitkomst_Sjablonen")
    _result_sheet(workbook.create_sheet("Import"), "Uitkomst van de macro JBJR_IMPORTEER",
                  "Alt+F8 > JBJR_IMPORTEER zet hier per bestand de status en de problemen.", "Uitkomst_Import")
    _result_sheet(workbook.create_sheet("Logboek"), "Logboek van de macro's", "Meldingen van de laatste macro.",
                  "Uitkomst_Logboek")
