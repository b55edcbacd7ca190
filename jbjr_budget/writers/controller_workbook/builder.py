"""Build the controller workbook ``jbjr_begroting.xlsm`` on top of the xlwings standalone quickstart.

The quickstart (``xlwings quickstart NAME --standalone``) brings the xlwings
VBA module, so the workbook needs no add-in; openpyxl with ``keep_vba`` keeps
that ``vbaProject.bin`` byte for byte while the input sheets, the UDF
formulas wired to named ranges and the ``xlwings.conf`` sheet are added.
Default inputs come from the engine's budget for the bundled parameters. The
result depends only on the engine, its parameters and the pinned xlwings, so
building twice gives the same workbook.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

import jbjr_budget
from jbjr_budget.errors import JbjrFout
from jbjr_budget.models.begroting import BASIS, COST_SD, VOLUME_SD, Begroting, compute_begroting
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.scenarios import scenario_names
from jbjr_budget.writers.controller_workbook.dynamic_arrays import mark_dynamic_arrays
from jbjr_budget.writers.controller_workbook.vba_project import vba_modules

__all__ = ["CONF_SHEET", "UDF_MODULE", "WORKBOOK_NAME", "build_controller", "xlwings_version"]

WORKBOOK_NAME = "jbjr_begroting"
UDF_MODULE = "udfs.excel_functions"
CONF_SHEET = "xlwings.conf"
YEARS = 5
PEILDATUM_FORMAT = "d-m-yyyy"
EURO_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def xlwings_version() -> str:
    """The installed xlwings version (pinned in ``pyproject.toml``)."""
    import xlwings  # noqa: PLC0415 - only the builder needs it

    return str(xlwings.__version__)


def _quickstart(folder: Path) -> Path:
    """Run ``xlwings quickstart --standalone`` in ``folder``; return the xlsm it wrote."""
    command = [sys.executable, "-m", "xlwings.cli", "quickstart", WORKBOOK_NAME, "--standalone"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    path = folder / WORKBOOK_NAME / f"{WORKBOOK_NAME}.xlsm"
    if done.returncode or not path.exists():
        raise JbjrFout(f"xlwings quickstart mislukte: {done.stderr.strip() or done.stdout.strip()}")
    return path


@dataclass(frozen=True)
class _Spill:
    """A formula returning a row, column or table: written as a dynamic array."""

    text: str


Waarde = str | float | int | dt.date | _Spill | None
"""What the builder writes into a cell: a constant, a formula text, or a spilling formula."""


@dataclass
class _Sheet:
    """Writes label/value rows on a sheet and defines workbook names for the value cells."""

    ws: Worksheet
    row: int = 1

    def title(self, title: str, subtitle: str) -> None:
        self.ws.cell(1, 1, title).font = TITLE_FONT
        self.ws.cell(2, 1, subtitle)
        self.ws.column_dimensions["A"].width = 42
        self.row = 4

    def line(self, label: str, *values: Waarde, name: str = "", fmt: str = "", invoer: bool = False) -> int:
        """Write ``label`` and ``values`` on the next row; name the value cells ``name``."""
        row = self.row
        self.ws.cell(row, 1, label)
        for offset, value in enumerate(values, start=2):
            cell = self.ws.cell(row, offset)
            cell.value = ArrayFormula(cell.coordinate, value.text) if isinstance(value, _Spill) else value
            if fmt:
                cell.number_format = fmt
            if invoer:
                cell.fill = INPUT_FILL
        if name:
            _define(self.ws, name, row, 2, row, max(len(values), 1) + 1)
        self.row += 1
        return row

    def header(self, *labels: str) -> int:
        for column, label in enumerate(labels, start=1):
            self.ws.cell(self.row, column, label).font = BOLD
        self.row += 1
        return self.row - 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def _column(index: int) -> str:
    return str(openpyxl.utils.get_column_letter(index))


def _columns(ws: Worksheet, widths: dict[str, float], fmt: str = "") -> None:
    """Set the width (in characters) of columns, and optionally the number format of values spilled there."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
        if fmt:
            ws.column_dimensions[letter].number_format = fmt


def _define(ws: Worksheet, name: str, row1: int, col1: int, row2: int, col2: int) -> None:
    ref = f"'{ws.title}'!${_column(col1)}${row1}"
    if (row1, col1) != (row2, col2):
        ref += f":${_column(col2)}${row2}"
    ws.parent.defined_names[name] = DefinedName(name, attr_text=ref)


def _euros(cents: int) -> float:
    return float(Decimal(cents) / 100)


def _toelichting(ws: Worksheet, version: str) -> None:
    sheet = _Sheet(ws)
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
    _columns(ws, {"A": 64, "B": 12})


def _scenario(ws: Worksheet, begroting: Begroting) -> None:
    sheet = _Sheet(ws)
    sheet.title("Scenario en periode",
                "Gele cellen zijn invoer; de bladen Volumes, Meerjarig, Reserve en Begroting rekenen ermee.")
    row = sheet.line("Scenario", "basis", name="Invoer_Scenario", invoer=True)
    choices = DataValidation(type="list", formula1=f'"{",".join(scenario_names())}"', allow_blank=True)
    choices.add(f"B{row}")
    ws.add_data_validation(choices)
    sheet.line("Regio's", *begroting.regios, name="Invoer_Regios", invoer=True)
    first = sheet.line("Eerste begrotingsjaar", begroting.jaren[0], name="Invoer_Eerste_jaar", invoer=True)
    years = [f"=B{first}", *(f"={_column(c)}{first + 1}+1" for c in range(2, YEARS + 1))]
    sheet.line("Begrotingsjaren", *years, name="Invoer_Jaren")
    sheet.line("Contract vanaf", dt.date(begroting.jaren[0], 1, 1), name="Invoer_Contractbegin", fmt=PEILDATUM_FORMAT,
               invoer=True)
    sheet.line("Contract tot en met", dt.date(begroting.jaren[-1], 12, 31), name="Invoer_Contracteinde",
               fmt=PEILDATUM_FORMAT, invoer=True)
    sheet.line("Peildatum tarieven en kostprijzen", f"=DATE(B{first},1,1)", name="Invoer_Peildatum",
               fmt=PEILDATUM_FORMAT)
    sheet.line("Alleen deze producten (leeg = alle)", *[None] * YEARS, name="Invoer_Filter_producten", invoer=True)
    sheet.line("Alleen deze gemeenten (leeg = alle)", *[None] * YEARS, name="Invoer_Filter_gemeenten", invoer=True)
    _columns(ws, {_column(c): 22 for c in range(2, YEARS + 2)})  # region keys and dates fit


PARAMETERS = (
    ("Caseloadnorm (maatregelen per fte)", "normen.caseload.gehanteerd", "Par_Caseloadnorm"),
    ("Risico-opslag op het tarief", "risico.weerstandsvermogen.risico_opslag", "Par_Risico_opslag"),
    ("Norm weerstandsvermogen (deel van de omzet)", "risico.weerstandsvermogen.norm_weerstandsvermogen",
     "Par_Norm_weerstandsvermogen"),
    ("Werkkapitaal (maanden omzet)", "risico.weerstandsvermogen.werkkapitaal_maanden", "Par_Werkkapitaal_maanden"),
    ("Disconteringsvoet", "risico.weerstandsvermogen.disconteringsvoet", "Par_Disconteringsvoet"),
    ("Investering caseloadverlaging (EUR)", "risico.weerstandsvermogen.investering_caseloadverlaging",
     "Par_Investering"),
    ("Beoogde daling aantal OTS", "doelen.beleid.ots.reductie", "Par_Reductie"),
)
"""Label, parameter path and defined name of each parameter on the Parameters sheet."""
PARAMETER_FORMATS = {
    "Par_Risico_opslag": PERCENT_FORMAT,
    "Par_Norm_weerstandsvermogen": PERCENT_FORMAT,
    "Par_Disconteringsvoet": PERCENT_FORMAT,
    "Par_Reductie": PERCENT_FORMAT,
    "Par_Investering": EURO_FORMAT,
    "Par_Spreiding_volume": PERCENT_FORMAT,
    "Par_Spreiding_kosten": PERCENT_FORMAT,
    "Par_Referentievolume": "#,##0.0",
}


def _parameter(sheet: _Sheet, label: str, name: str, value: Waarde, voorbeeld: bool, bron: str,
               in_scenario: str | None = None, fmt: str = "") -> None:
    """One parameter row: the yellow value in column B named ``name``, example flag, source, scenario value."""
    row = sheet.line(label, value, "ja" if voorbeeld else "nee", bron, in_scenario)
    cell = sheet.ws.cell(row, 2)
    cell.fill = INPUT_FILL
    cell.number_format = sheet.ws.cell(row, 5).number_format = fmt or PARAMETER_FORMATS.get(name, "General")
    _define(sheet.ws, name, row, 2, row, 2)


def _parameters(ws: Worksheet, tree: ParameterTree, on: dt.date, reference_volume: float) -> None:
    sheet = _Sheet(ws)
    sheet.title("Parameters",
                f"Meegeleverde waarden op {on:%d-%m-%Y} met hun bron. Een waarde volgt het gekozen scenario "
                "(kolom E); typ in de gele cel een getal voor een variant.")
    sheet.header("Parameter", "Waarde", "Voorbeeldwaarde", "Bron", "Waarde in het gekozen scenario")
    for label, path, name in PARAMETERS:
        entry = tree.entry(path, on)
        _parameter(sheet, label, name, f"=E{sheet.row}", entry.voorbeeld, entry.reference,
                   f'=JBJR_PARAMETER("{path}",Invoer_Peildatum,Invoer_Scenario)')
    for label, path, name in (("Startdatum doelpad", "doelen.beleid.ots.referentiedatum", "Par_Startdatum"),
                              ("Doeldatum doelpad", "doelen.beleid.ots.doeldatum", "Par_Doeldatum")):
        entry = tree.entry(path, on)
        _parameter(sheet, label, name, dt.date.fromisoformat(tree.text(path, on)), entry.voorbeeld,
                   entry.reference, fmt=PEILDATUM_FORMAT)
    _parameter(sheet, "Referentievolume OTS (gemiddeld lopend)", "Par_Referentievolume", reference_volume, True,
               "Berekend uit jeugdigen 0-17 x volume per 1.000 jeugdigen (meegeleverde parameters)")
    for label, value, name in (("Spreiding volume per jaar (Monte Carlo)", VOLUME_SD, "Par_Spreiding_volume"),
                               ("Spreiding kosten per jaar (Monte Carlo)", COST_SD, "Par_Spreiding_kosten")):
        _parameter(sheet, label, name, value, True, "Aanname jbjr_budget (begroting)")
    _columns(ws, {"A": 54, "B": 16, "C": 17, "D": 80, "E": 31})


def _volumes(ws: Worksheet, catalog: Catalog, tree: ParameterTree, on: dt.date, volumes: dict[str, float]) -> None:
    sheet = _Sheet(ws)
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
            float(tree.value(f"kostprijs.zwaarte.{code}", on)) if monthly else None,
            volumes.get(code, 0.0),
            f"=JBJR_TARIEF(A{r},Invoer_Peildatum,Invoer_Scenario)",
            f"=JBJR_KOSTPRIJS(A{r},Invoer_Peildatum,Par_Caseloadnorm,Invoer_Scenario)",
            f"=JBJR_DEKKINGSGAT(F{r},G{r})",
            f"=JBJR_FTE(E{r},Par_Caseloadnorm,D{r})" if monthly else None,
            f"=JBJR_BEGROTING(E{r},A{r},F{r},Invoer_Eerste_jaar,Invoer_Contractbegin,Invoer_Contracteinde)",
        )
        for input_column in (4, 5):
            ws.cell(r, input_column).fill = INPUT_FILL
    last = sheet.row - 1
    _define(ws, "Invoer_Productcodes", first, 1, last, 1)
    _define(ws, "Invoer_Volumes", first, 5, last, 5)
    sheet.line("Totaal", None, None, None, f"=SUM(E{first}:E{last})", None, None, None, f"=SUM(I{first}:I{last})",
               f"=SUM(J{first}:J{last})")
    ws.cell(sheet.row - 1, 1).font = BOLD
    for column in "FGHJ":
        for r in range(first, sheet.row):
            ws[f"{column}{r}"].number_format = EURO_FORMAT
    for r in range(first, sheet.row):
        ws[f"E{r}"].number_format = "#,##0.0#"
        ws[f"I{r}"].number_format = "#,##0.0"
    _columns(ws, {"A": 14, "B": 55, "C": 12, "D": 10, "E": 12, "F": 16, "G": 16, "H": 18, "I": 10, "J": 28})


def _meerjarig(ws: Worksheet) -> None:
    sheet = _Sheet(ws)
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
            *([_Spill(f"=JBJR_VOLUMEPAD(Par_Referentievolume,Par_Reductie,Par_Startdatum,Par_Doeldatum,"
                      f"A{first}:A{first + YEARS - 1})")] if k == 1 else []),
        )
    for r in range(first, sheet.row):
        ws[f"B{r}"].number_format = "0.00%"
        ws[f"C{r}"].number_format = "0.0000"
        ws[f"D{r}"].number_format = EURO_FORMAT
        ws[f"E{r}"].number_format = EURO_FORMAT
        ws[f"F{r}"].number_format = "0.00"
        ws[f"G{r}"].number_format = "#,##0.0"
    _columns(ws, {"A": 12, "B": 22, "C": 31, "D": 30, "E": 19, "F": 34, "G": 15})


def _reserve(ws: Worksheet, begroting: Begroting) -> None:
    sheet = _Sheet(ws)
    sheet.title("Weerstandsvermogen, risico-opslag en investering",
                "Omzet en kosten per jaar (standaard: de begroting, kostendekkend); de tabellen rekenen zelf door.")
    turnover = [_euros(int(c)) for c in begroting.reservepad["omzet_basis_centen"]]
    sheet.line("Jaar", *(f"=INDEX(Invoer_Jaren,1,{k})" for k in range(1, YEARS + 1)))
    sheet.line("Omzet exclusief opslag (EUR)", *turnover, name="Invoer_Omzet", fmt=EURO_FORMAT, invoer=True)
    sheet.line("Kosten (EUR)", *turnover, name="Invoer_Kosten", fmt=EURO_FORMAT, invoer=True)
    sheet.line("Reserve aan het begin (EUR)", 0.0, name="Invoer_Beginreserve", fmt=EURO_FORMAT, invoer=True)
    sheet.line("Werkkapitaal eerste jaar (EUR)", "=INDEX(Invoer_Omzet,1,1)*Par_Werkkapitaal_maanden/12",
               fmt=EURO_FORMAT)
    sheet.skip()
    path_row = sheet.line("Reservepad", _Spill(
        "=JBJR_RESERVEPAD(Invoer_Jaren,Invoer_Omzet,Invoer_Kosten,Invoer_Beginreserve,"
        "Par_Risico_opslag,Par_Norm_weerstandsvermogen)"))
    for r in range(path_row + 1, path_row + YEARS + 1):  # the years the table spills over: amounts and a share
        for column in "CEFGHI":
            ws[f"{column}{r}"].number_format = EURO_FORMAT
        ws[f"J{r}"].number_format = PERCENT_FORMAT
    sheet.skip(YEARS + 1)
    row = sheet.line("Monte Carlo (de tabel eronder rekent met de omzet en kosten van het eerste jaar)")
    ws.cell(row + 1, 1).value = ArrayFormula(  # labels in column A, where they fit
        f"A{row + 1}",
        "=JBJR_MONTECARLO(Invoer_Jaren,INDEX(Invoer_Omzet,1,1),INDEX(Invoer_Kosten,1,1),Invoer_Beginreserve,"
        "Par_Risico_opslag,Par_Norm_weerstandsvermogen,Par_Spreiding_volume,Par_Spreiding_kosten)")
    sheet.skip(YEARS + 7)
    flows = [_euros(c) for c in begroting.investering.kasstromen_centen]
    sheet.line("Kasstromen investering (EUR), eerste = investering", "=-Par_Investering", *flows[1:],
               name="Invoer_Kasstromen", fmt=EURO_FORMAT, invoer=True)
    sheet.line("Netto contante waarde (EUR)", "=JBJR_NCW(Par_Disconteringsvoet,Invoer_Kasstromen)", fmt=EURO_FORMAT)
    sheet.line("Terugverdientijd (jaren)", "=JBJR_TERUGVERDIENTIJD(Invoer_Kasstromen)", fmt="0.0")
    widths: dict[str, float] = {_column(c): 16 for c in range(2, 11)}
    _columns(ws, {"A": 50, **widths})


def _budget_columns(ws: Worksheet) -> None:
    """Widths and number formats for the budget table spilled or written from column A."""
    _columns(ws, {"A": 42, "B": 22, "C": 10, "D": 8})
    _columns(ws, {"E": 12}, "#,##0.0##")
    _columns(ws, {"F": 16, "G": 18}, EURO_FORMAT)


def _begroting(ws: Worksheet) -> None:
    sheet = _Sheet(ws)
    sheet.title("Begroting per regio, gemeente, product en jaar", "Volume x tarief; rekent door bij elke wijziging.")
    ws.cell(sheet.row, 1).value = ArrayFormula(
        f"A{sheet.row}",
        "=JBJR_BEGROTINGSTABEL(Invoer_Regios,Invoer_Jaren,Invoer_Filter_producten,Invoer_Filter_gemeenten,"
        "Invoer_Contractbegin,Invoer_Contracteinde,Invoer_Scenario)",
    )
    _budget_columns(ws)


PATH_PROMPT = "Een volledig pad, of een pad ten opzichte van de map van dit werkboek."


def _prompt(ws: Worksheet, row: int, title: str, prompt: str, formula1: str | None = None) -> None:
    """A Dutch input message for ``B{row}``; with ``formula1`` only a choice from that list is accepted."""
    validation = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt)
    if formula1:
        validation.type, validation.formula1, validation.showErrorMessage = "list", formula1, True
        validation.errorTitle, validation.error = "Ongeldige invoer", "Kies een waarde uit de lijst."
    validation.add(f"B{row}")
    ws.add_data_validation(validation)


def _monitoring(ws: Worksheet, catalog: Catalog, first_year: int) -> None:
    sheet = _Sheet(ws)
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


def _result_sheet(ws: Worksheet, title: str, subtitle: str, name: str) -> None:
    sheet = _Sheet(ws)
    sheet.title(title, subtitle)
    _define(ws, name, sheet.row, 1, sheet.row, 1)


CONF_TEXT = (
    "Instellingen voor xlwings; dit blad heet 'xlwings.conf' en is daardoor actief.",
    "UDF Modules noemt de Python-module met de JBJR-functies; laat die staan.",
    "Interpreter_Win: het pad van python.exe als Python niet op het standaardpad staat.",
    "Conda Path en Conda Env: alleen invullen als u Python uit Anaconda gebruikt.",
    "Een lege waarde valt terug op xlwings.conf naast dit bestand of in uw gebruikersmap.",
)


def _conf(ws: Worksheet) -> None:
    """Activate the quickstart's settings sheet and name the UDF module; replace its English notes."""
    ws.title = CONF_SHEET
    settings = {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value is not None
                or str(ws.cell(r, 1).value) in {"UDF Modules", "PYTHONPATH", "Conda Path", "Conda Env"}}
    ws.cell(settings["UDF Modules"], 2, UDF_MODULE)
    last_setting = max(settings.values())
    for r in range(last_setting + 1, ws.max_row + 1):
        ws.cell(r, 1).value = None
    for offset, line in enumerate(CONF_TEXT, start=last_setting + 3):
        ws.cell(offset, 1, line)


def build_controller(target: Path, regios: Sequence[str] | None = None, first_year: int = 2026) -> Path:
    """Build the controller workbook at ``target`` (an ``.xlsm``) and return its path."""
    begroting = compute_begroting(regios, range(first_year, first_year + YEARS))
    tree, on = begroting.trees[BASIS], dt.date(first_year, 1, 1)
    volumes = {code: float(v) for code, v in begroting.volumes_per_product(BASIS, first_year).items()}
    with tempfile.TemporaryDirectory() as folder:
        workbook = openpyxl.load_workbook(_quickstart(Path(folder)), keep_vba=True)
    toelichting, conf = workbook.worksheets
    toelichting.title = "Toelichting"
    _toelichting(toelichting, xlwings_version())
    _scenario(workbook.create_sheet("Scenario"), begroting)
    _parameters(workbook.create_sheet("Parameters"), tree, on, volumes.get("48A04", 0.0) + volumes.get("48A05", 0.0))
    _volumes(workbook.create_sheet("Volumes"), begroting.catalog, tree, on, volumes)
    _meerjarig(workbook.create_sheet("Meerjarig"))
    _reserve(workbook.create_sheet("Reserve"), begroting)
    _begroting(workbook.create_sheet("Begroting"))
    _monitoring(workbook.create_sheet("Monitoring"), begroting.catalog, first_year)
    _result_sheet(uitkomsten := workbook.create_sheet("Uitkomsten"), "Uitkomsten van de macro JBJR_HERBEREKEN",
                  "Alt+F8 > JBJR_HERBEREKEN schrijft hier de begrotingstabel.", "Uitkomst_Begroting")
    _budget_columns(uitkomsten)
    _result_sheet(workbook.create_sheet("Sjablonen"), "Sjablonen van de macro JBJR_SJABLONEN",
                  "Alt+F8 > JBJR_SJABLONEN zet hier de geschreven sjablonen.", "Uitkomst_Sjablonen")
    _result_sheet(workbook.create_sheet("Import"), "Uitkomst van de macro JBJR_IMPORTEER",
                  "Alt+F8 > JBJR_IMPORTEER zet hier per bestand de status en de problemen.", "Uitkomst_Import")
    _result_sheet(workbook.create_sheet("Logboek"), "Logboek van de macro's", "Meldingen van de laatste macro.",
                  "Uitkomst_Logboek")
    _conf(conf)
    workbook.move_sheet(conf, offset=len(workbook.worksheets) - 1 - workbook.index(conf))
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    mark_dynamic_arrays(target)
    return target


def embedded_xlwings_version(vba_project: bytes) -> str:
    """The xlwings version the VBA module declares (its ``'Version:`` comment line)."""
    source = vba_modules(vba_project)["xlwings"]
    for line in source.splitlines():
        if line.startswith("'Version:"):
            return line.removeprefix("'Version:").strip()
    raise JbjrFout("de xlwings-VBA-module noemt geen versie")
