"""The calculating sheets of the controller workbook: volumes, multi-year, reserve, budget and results."""

from __future__ import annotations

import datetime as dt

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.models.begroting import Begroting
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import weight
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.rules.parameters import ParameterTree
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
from jbjr_budget.writers.styles import BOLD, EURO, INPUT_FILL, PERCENT

__all__ = ["write_begroting", "write_meerjarig", "write_reserve", "write_result_sheets", "write_volumes"]


def write_volumes(ws: Worksheet, catalog: Catalog, tree: ParameterTree, on: dt.date, volumes: dict[str, float]) -> None:
    """Per product: volume and weight (input), tariff, cost price, gap, fte and first-year budget."""
    sheet = Sheet(ws)
    sheet.title("Volumes, tarieven en kostprijzen", "Volume = gemiddeld aantal lopende maatregelen (per maand) of "
                "eenheden per jaar; zwaarte t.o.v. een OTS; tarieven en kostprijzen op de peildatum.")
    sheet.header("Productcode", "Product", "Eenheid", "Zwaarte", "Volume", "Tarief (EUR)", "Kostprijs (EUR)",
                 "Dekkingsgat (EUR)", "Fte", "Begroting eerste jaar (EUR)")
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
        )
        for input_column in (4, 5):
            ws.cell(r, input_column).fill = INPUT_FILL
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
    set_columns(ws, {"A": 14, "B": 55, "C": 12, "D": 10, "E": 12, "F": 16, "G": 16, "H": 18, "I": 10, "J": 28})


def write_meerjarig(ws: Worksheet) -> None:
    """Per year: applied index, index factor, an indexed amount, the OTS tariff, part-year and volume path."""
    sheet = Sheet(ws)
    sheet.title("Meerjarig: indexatie, deeljaar en volumepad",
                "Het volumepad volgt de richting van de jaren (hier een kolom).")
    sheet.header("Jaar", "Indexatie (toegepast)", "Indexfactor t.o.v. eerste jaar", "EUR 1.000 van het eerste jaar",
                 "Tarief 48A04 (EUR)", "Deel van het jaar in het contract", "Volumepad OTS")
    first = sheet.row
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
    for r in range(first, sheet.row):
        ws[f"B{r}"].number_format = "0.00%"
        ws[f"C{r}"].number_format = "0.0000"
        ws[f"D{r}"].number_format = EURO
        ws[f"E{r}"].number_format = EURO
        ws[f"F{r}"].number_format = "0.00"
        ws[f"G{r}"].number_format = "#,##0.0"
    set_columns(ws, {"A": 12, "B": 22, "C": 31, "D": 30, "E": 19, "F": 34, "G": 15})


def write_reserve(ws: Worksheet, begroting: Begroting) -> None:
    """Reserve path, working capital, Monte Carlo and the caseload investment, from turnover and cost inputs."""
    sheet = Sheet(ws)
    sheet.title("Weerstandsvermogen, risico-opslag en investering",
                "Omzet en kosten per jaar (standaard: de begroting, kostendekkend); de tabellen rekenen zelf door.")
    turnover = [cents_to_euro(c) for c in begroting.reservepad["omzet_basis_centen"]]
    sheet.line("Jaar", *(f"=INDEX(Invoer_Jaren,1,{k})" for k in range(1, YEARS + 1)))
    sheet.line("Omzet exclusief opslag (EUR)", *turnover, name="Invoer_Omzet", fmt=EURO, invoer=True)
    sheet.line("Kosten (EUR)", *turnover, name="Invoer_Kosten", fmt=EURO, invoer=True)
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
    sheet.line("Kasstromen investering (EUR), eerste = investering", "=-Par_Investering", *flows[1:],
               name="Invoer_Kasstromen", fmt=EURO, invoer=True)
    sheet.line("Netto contante waarde (EUR)", "=JBJR_NCW(Par_Disconteringsvoet,Invoer_Kasstromen)", fmt=EURO)
    sheet.line("Terugverdientijd (jaren)", "=JBJR_TERUGVERDIENTIJD(Invoer_Kasstromen)", fmt="0.0")
    widths: dict[str, float] = {column(c): 16 for c in range(2, 11)}
    set_columns(ws, {"A": 50, **widths})


BUDGET_FORMATS = {"E": "#,##0.0##", "F": EURO, "G": EURO}  # volume, tariff, amount


def _budget_columns(ws: Worksheet) -> None:
    """Widths and number formats for the budget table spilled or written from column A."""
    set_columns(ws, {"A": 42, "B": 22, "C": 10, "D": 8})
    for letter, width in {"E": 12, "F": 16, "G": 18}.items():
        set_columns(ws, {letter: width}, BUDGET_FORMATS[letter])


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
