"""The input sheets of the controller workbook: explanation, scenario, parameters and monitoring."""

from __future__ import annotations

import datetime as dt

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

import jbjr_budget
from jbjr_budget.models.begroting import BASIS, Begroting
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import CASELOAD_NORM_PATH
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.provenance import marked
from jbjr_budget.rules.reserves import (
    COST_SPREAD_PATH,
    DISCOUNT_PATH,
    INVESTMENT_PATH,
    SURCHARGE_PATH,
    TARGET_PATH,
    VOLUME_SPREAD_PATH,
    WORKING_CAPITAL_PATH,
)
from jbjr_budget.rules.scenarios import scenario_names
from jbjr_budget.rules.targets import parameter_path
from jbjr_budget.writers.controller_workbook.sheet import Sheet, Waarde, column, define, format_cells, set_columns
from jbjr_budget.writers.mark_texts import warnings
from jbjr_budget.writers.marks import mark_input
from jbjr_budget.writers.styles import DATE, EURO, INPUT_FILL, PERCENT, WARNING_FONT, repeat_rows

__all__ = ["PARAMETERS", "UDF_MODULE", "YEARS", "write_monitoring", "write_parameters", "write_scenario",
           "write_toelichting"]

UDF_MODULE = "udfs.excel_functions"
YEARS = 5
SPARE_ROWS = 20
"""Formatted rows below a spilled list beyond what it holds at build time (own parameter files may add some)."""


def write_toelichting(ws: Worksheet, version: str, begroting: Begroting) -> None:
    """Versions, the one-time set-up steps, what error texts mean, and the example values the workbook rests on."""
    sheet = Sheet(ws)
    sheet.title("JBJR begroting: rekenen met de jbjr_budget-functies in Excel",
                "Gegenereerd met 'jbjr-budget werkboek'; niet met de hand bewerken, maar opnieuw genereren.")
    sheet.line("Versie jbjr_budget", jbjr_budget.__version__, name="Info_Jbjr_budget_versie")
    sheet.line("Versie xlwings (VBA-module en Python-pakket moeten gelijk zijn)", version, name="Info_Xlwings_versie")
    sheet.line("Python-module met de functies (blad xlwings.conf)", UDF_MODULE)
    sheet.skip()
    steps = (
        f"1. Installeer Python en daarna: pip install jbjr-budget (dat installeert ook xlwings {version}).",
        "2. Open dit werkboek en sta macro's toe (Inhoud inschakelen).",
        "3. Eenmalig: Bestand > Opties > Vertrouwenscentrum > Instellingen > Macro-instellingen > "
        "'Toegang tot het objectmodel van het VBA-project vertrouwen' aanzetten.",
        "4. Eenmalig: Alt+F8, kies ImportPythonUDFs en klik Uitvoeren. Daarna rekenen alle JBJR_-functies.",
        "5. Gele cellen zijn invoer. De macro JBJR_HERBEREKEN (Alt+F8) zet de begrotingstabel op het blad Uitkomsten.",
        "6. Monitoring: vul het blad Monitoring in; JBJR_SJABLONEN maakt de sjablonen voor de periode, "
        "JBJR_IMPORTEER leest ingevulde sjablonen in het grootboek in.",
        "Een cel met '#JBJR! ...' noemt de invoer die niet klopt; '#NAAM?' betekent dat stap 4 nog nodig is.",
    )
    for step in steps:
        sheet.line(step)
    sheet.skip()
    for label, text in warnings(begroting.voorbeeldwaarden(BASIS), begroting.voorlopige_waarden(BASIS)):
        ws.cell(sheet.line(f"{label}: {text}"), 1).font = WARNING_FONT
    for name, changed in begroting.scenario_producten.items():
        sheet.line(f"Scenario {name}: " + (f"verandert de volumes van {', '.join(changed)}." if changed
                                           else "verandert geen volumes."))
    sheet.skip()
    row = sheet.line("Voorbeeldwaarden en voorlopige cijfers op de peildatum (rekent mee met uw eigen "
                     "parameterbestanden; leeg als alles gepubliceerd is):")
    ws.cell(row, 1).font = WARNING_FONT
    ws.cell(row + 1, 1).value = ArrayFormula(f"A{row + 1}", "=JBJR_VOORBEELDEN(Invoer_Peildatum,Invoer_Scenario)")
    repeat_rows(ws, row + 1)  # the list spills with its header row first; printed on every page, not frozen
    listed = len(marked(begroting.basis, dt.date(begroting.jaren[0], 1, 1)))
    # start dates as dates; values of every unit (a count, an amount or a rate such as 0,0394) with their decimals
    format_cells(ws, range(row + 2, row + 2 + listed + SPARE_ROWS), {"B": DATE, "C": "#,##0.####"})
    set_columns(ws, {"A": 64, "B": 12, "C": 14, "D": 18, "E": 60})


def write_scenario(ws: Worksheet, begroting: Begroting) -> None:
    """The scenario, regions, years, contract period and filters the calculating sheets read."""
    sheet = Sheet(ws)
    sheet.title("Scenario en periode",
                "Gele cellen zijn invoer; de bladen Volumes, Meerjarig, Reserve en Begroting rekenen ermee.")
    row = sheet.line("Scenario", "basis", name="Invoer_Scenario", invoer=True)
    choices = DataValidation(type="list", formula1=f'"{",".join(scenario_names())}"', allow_blank=True)
    choices.add(f"B{row}")
    ws.add_data_validation(choices)
    sheet.line("Regio's", *(begroting.catalog.regio(r).naam for r in begroting.regios), name="Invoer_Regios",
               invoer=True)
    first = sheet.line("Eerste begrotingsjaar", begroting.jaren[0], name="Invoer_Eerste_jaar", invoer=True)
    years = [f"=B{first}", *(f"={column(c)}{first + 1}+1" for c in range(2, YEARS + 1))]
    sheet.line("Begrotingsjaren", *years, name="Invoer_Jaren")
    sheet.line("Contract vanaf", dt.date(begroting.jaren[0], 1, 1), name="Invoer_Contractbegin", fmt=DATE,
               invoer=True)
    sheet.line("Contract tot en met", dt.date(begroting.jaren[-1], 12, 31), name="Invoer_Contracteinde",
               fmt=DATE, invoer=True)
    sheet.line("Peildatum tarieven en kostprijzen", f"=DATE(B{first},1,1)", name="Invoer_Peildatum",
               fmt=DATE)
    sheet.line("Alleen deze producten (leeg = alle)", *[None] * YEARS, name="Invoer_Filter_producten", invoer=True)
    sheet.line("Alleen deze gemeenten (leeg = alle)", *[None] * YEARS, name="Invoer_Filter_gemeenten", invoer=True)
    set_columns(ws, {column(c): 28 for c in range(2, YEARS + 2)})  # region names and dates fit


PARAMETERS = (
    ("Caseloadnorm (maatregelen per fte)", CASELOAD_NORM_PATH, "Par_Caseloadnorm"),
    ("Risico-opslag op het tarief", SURCHARGE_PATH, "Par_Risico_opslag"),
    ("Norm weerstandsvermogen (deel van de omzet)", TARGET_PATH, "Par_Norm_weerstandsvermogen"),
    ("Werkkapitaal (maanden omzet)", WORKING_CAPITAL_PATH, "Par_Werkkapitaal_maanden"),
    ("Disconteringsvoet", DISCOUNT_PATH, "Par_Disconteringsvoet"),
    ("Investering caseloadverlaging (EUR)", INVESTMENT_PATH, "Par_Investering"),
    ("Beoogde daling aantal OTS", parameter_path("ots", "reductie"), "Par_Reductie"),
    ("Spreiding volume per jaar (Monte Carlo)", VOLUME_SPREAD_PATH, "Par_Spreiding_volume"),
    ("Spreiding kosten per jaar (Monte Carlo)", COST_SPREAD_PATH, "Par_Spreiding_kosten"),
)
"""Label, parameter path and defined name of each parameter on the Parameters sheet."""
PARAMETER_FORMATS = {
    "Par_Risico_opslag": PERCENT,
    "Par_Norm_weerstandsvermogen": PERCENT,
    "Par_Disconteringsvoet": PERCENT,
    "Par_Reductie": PERCENT,
    "Par_Investering": EURO,
    "Par_Werkkapitaal_maanden": "0.0",
    "Par_Spreiding_volume": PERCENT,
    "Par_Spreiding_kosten": PERCENT,
    "Par_Referentievolume": "#,##0.0",
}


def _parameter(sheet: Sheet, label: str, name: str, value: Waarde, voorbeeld: bool, bron: str,
               in_scenario: str | None = None, fmt: str = "") -> None:
    """One parameter row: the yellow value in column B named ``name``, example flag, source, scenario value."""
    row = sheet.line(label, value, "ja" if voorbeeld else "nee", bron, in_scenario)
    cell = sheet.ws.cell(row, 2)
    cell.fill = INPUT_FILL
    if voorbeeld:
        mark_input(sheet.ws, row, 2, bron)
    cell.number_format = sheet.ws.cell(row, 5).number_format = fmt or PARAMETER_FORMATS.get(name, "General")
    define(sheet.ws, name, row, 2, row, 2)


def write_parameters(ws: Worksheet, tree: ParameterTree, on: dt.date, reference_volume: float,
                     reference_example: bool) -> None:
    """Each parameter the sheets use: its value (following the scenario until typed over), example flag, source."""
    sheet = Sheet(ws)
    sheet.title("Parameters",
                f"Meegeleverde waarden op {on:%d-%m-%Y} met hun bron. Een waarde volgt het gekozen scenario "
                "(kolom E); typ in de gele cel een getal voor een variant.")
    sheet.header("Parameter", "Waarde", "Voorbeeldwaarde", "Bron", "Waarde in het gekozen scenario")
    for label, path, name in PARAMETERS:
        entry = tree.entry(path, on)
        _parameter(sheet, label, name, f"=E{sheet.row}", entry.voorbeeld, entry.reference,
                   f'=JBJR_PARAMETER("{path}",Invoer_Peildatum,Invoer_Scenario)')
    for label, path, name in (("Startdatum doelpad", parameter_path("ots", "referentiedatum"), "Par_Startdatum"),
                              ("Doeldatum doelpad", parameter_path("ots", "doeldatum"), "Par_Doeldatum")):
        entry = tree.entry(path, on)
        _parameter(sheet, label, name, dt.date.fromisoformat(tree.text(path, on)), entry.voorbeeld,
                   entry.reference, fmt=DATE)
    _parameter(sheet, "Referentievolume OTS (gemiddeld lopend)", "Par_Referentievolume", reference_volume,
               reference_example,
               "Berekend uit jeugdigen 0-17 x volume per 1.000 jeugdigen (meegeleverde parameters)")
    set_columns(ws, {"A": 54, "B": 16, "C": 17, "D": 80, "E": 31})


PATH_PROMPT = "Een volledig pad, of een pad ten opzichte van de map van dit werkboek."


def _prompt(ws: Worksheet, row: int, title: str, prompt: str, formula1: str | None = None) -> None:
    """A Dutch input message for ``B{row}``; with ``formula1`` only a choice from that list is accepted."""
    validation = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt)
    if formula1:
        validation.type, validation.formula1, validation.showErrorMessage = "list", formula1, True
        validation.errorTitle, validation.error = "Ongeldige invoer", "Kies een waarde uit de lijst."
    validation.add(f"B{row}")
    ws.add_data_validation(validation)


def write_monitoring(ws: Worksheet, catalog: Catalog, first_year: int) -> None:
    """Inputs of the monitoring macros: period, contract, template and import folders, ledger."""
    sheet = Sheet(ws)
    sheet.title("Monitoring: sjablonen maken en ingevulde sjablonen inlezen",
                "Invoer voor de macro's JBJR_SJABLONEN en JBJR_IMPORTEER; de uitkomst staat op de bladen "
                "Sjablonen en Import, de meldingen op het blad Logboek.")
    row = sheet.line("Periode", f"{first_year}-Q1", name="Invoer_Periode", invoer=True)
    _prompt(ws, row, "Periode", "Kwartaal (2026-Q1) of maand (2026-M03). Bij inlezen: leeg = elke periode.")
    row = sheet.line("Contract", "nw4", name="Invoer_Contract", invoer=True)
    contracts = sorted({regio.contract for regio in catalog.regios.values()})
    _prompt(ws, row, "Contract", "Voor elke GI x regio van dit contract komt er een sjabloon.",
            f'"{",".join(contracts)}"')
    row = sheet.line("Map voor de sjablonen", "sjablonen", name="Invoer_Sjabloonmap", invoer=True)
    _prompt(ws, row, "Map voor de sjablonen", PATH_PROMPT)
    row = sheet.line("Map met ingevulde sjablonen", "ingevuld", name="Invoer_Importmap", invoer=True)
    _prompt(ws, row, "Map met ingevulde sjablonen", PATH_PROMPT + " Ook submappen worden gelezen.")
    row = sheet.line("Grootboek (leeg = standaard)", None, name="Invoer_Grootboek", invoer=True)
    _prompt(ws, row, "Grootboek", "Leeg: het standaardgrootboek ($JBJR_GROOTBOEK of uw gebruikersmap). "
            + PATH_PROMPT)
    ws.column_dimensions["B"].width = 40
