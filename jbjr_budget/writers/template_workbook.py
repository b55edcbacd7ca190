"""Write a monitoring template (.xlsx) from its layout: protected, validated, with live checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.monitoring.layout import (
    META_SHEET,
    Check,
    Field,
    Label,
    Layout,
    SheetLayout,
    build_layout,
    template_name,
)
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.styles import (
    FAIL_FILL,
    FAIL_FONT,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_BORDER,
    INPUT_FILL,
    LINE_HEIGHT,
    TITLE_FONT,
    print_setup,
    wrapped_lines,
)
from jbjr_budget.writers.tables import atomic_save

__all__ = ["CellValues", "GeschrevenSjabloon", "contract_pairs", "opening_stock", "write_template", "write_templates"]

CellValues = Mapping[tuple[str, str], object]

UNLOCKED = Protection(locked=False)
NUMBER_FORMATS = {"geheel": "0", "decimaal": "0.0##", "percentage": "0.0##", "bedrag": "#,##0.00"}
TEXT_FIELD_LINES = 4


def write_template(layout: Layout, path: Path, values: CellValues | None = None) -> Path:
    """Write the template for ``layout`` to ``path`` atomically; ``values`` prefill input cells.

    Returns:
        The path written.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in layout.sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet, values or {})
    _write_meta(workbook.create_sheet(META_SHEET), layout.meta())
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    atomic_save(workbook, path)
    return path


@dataclass(frozen=True)
class GeschrevenSjabloon:
    """One template written: for which GI and region, where, and how many opening-stock cells were prefilled."""

    gi: str
    regio: str
    pad: Path
    voorgevuld: int


def contract_pairs(catalog: Catalog, contract: str) -> list[tuple[str, str]]:
    """Every (GI, region) pair of ``contract``, region by region in catalogue order."""
    return [(gi, regio.key) for regio in catalog.contract_regios(contract) for gi in regio.gis]


def write_templates(
    periode: Periode,
    folder: Path,
    pairs: Sequence[tuple[str, str]],
    ledger_path: Path,
    catalog: Catalog,
    on_written: Callable[[GeschrevenSjabloon], None] | None = None,
) -> list[GeschrevenSjabloon]:
    """Write one template per (GI, region) pair into ``folder``, prefilled from the ledger when it exists.

    The ledger is only read, and never created: without it the templates start empty.

    Returns:
        One :class:`GeschrevenSjabloon` per pair, in order.
    """
    ledger = Ledger(ledger_path) if ledger_path.exists() else None
    written: list[GeschrevenSjabloon] = []
    try:
        for gi, regio in pairs:
            layout = build_layout(catalog, gi, regio, periode)
            prefill = opening_stock(layout, ledger) if ledger else {}
            path = write_template(layout, folder / template_name(gi, regio, periode), prefill)
            written.append(GeschrevenSjabloon(gi, regio, path, len(prefill)))
            if on_written:
                on_written(written[-1])
    finally:
        if ledger:
            ledger.close()
    return written


def opening_stock(layout: Layout, ledger: Ledger) -> dict[tuple[str, str], object]:
    """Prefill for ``stand_begin``: the previous period's imported stock at end, where the ledger has it."""
    previous = ledger.previous_stock(layout.gi, layout.regio, layout.periode)
    keyed = {(f.sheet, f.cell): (dict(f.keys)["product"], dict(f.keys)["gemeente"])
             for f in layout.fields() if f.table == "volume" and f.column == "stand_begin"}
    return {cell: previous[key] for cell, key in keyed.items() if key in previous}


def _write_sheet(ws: Worksheet, sheet: SheetLayout, values: CellValues) -> None:
    for label in sheet.labels:
        _write_label(ws, label)
    for field in sheet.fields:
        cell = ws[field.cell]
        cell.value = values.get((sheet.name, field.cell))
        cell.fill, cell.border, cell.protection = INPUT_FILL, INPUT_BORDER, UNLOCKED
        cell.number_format = NUMBER_FORMATS.get(field.kind, "@")
        if field.kind == "tekst":
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for coordinate, formula, number_format in sheet.formulas:
        ws[coordinate].value, ws[coordinate].number_format = formula, number_format
    for check in sheet.checks:
        ws[check.cell].value = check.formula
    for validation in _validations(sheet.fields):
        ws.add_data_validation(validation)
    _format_failures(ws, sheet.checks)
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if sheet.fields and sheet.fields[0].table in ("volume", "inspectie"):
        ws.freeze_panes = "D5" if sheet.fields[0].table == "volume" else "B5"
        ws.print_title_rows = "4:4"
    _fit_rows(ws, sheet)
    print_setup(ws)
    ws.protection.sheet = True


def _fit_rows(ws: Worksheet, sheet: SheetLayout) -> None:
    """Row heights for wrapped labels (headers, instructions) and room for several lines in text fields."""
    lines: dict[int, int] = defaultdict(lambda: 1)
    for label in sheet.labels:
        if label.style in ("kop", "tekst"):
            column, row = coordinate_from_string(label.cell)
            width = _width(sheet, column)
            factor = 1.2 if label.style == "kop" else 0.9  # bold headers are wider than running text
            lines[row] = max(lines[row], wrapped_lines(label.text, width, factor))
    for field in sheet.fields:
        if field.kind == "tekst":
            lines[coordinate_from_string(field.cell)[1]] = TEXT_FIELD_LINES
    for row, count in lines.items():
        if count > 1:
            ws.row_dimensions[row].height = count * LINE_HEIGHT


def _width(sheet: SheetLayout, column: str) -> float:
    index = column_index_from_string(column)
    return sheet.widths[index - 1] if index <= len(sheet.widths) else 8.43


def _write_label(ws: Worksheet, label: Label) -> None:
    cell = ws[label.cell]
    cell.value = label.text
    if label.style == "titel":
        cell.font = TITLE_FONT
    elif label.style == "kop":
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif label.style == "tekst":
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _bound(value: Decimal | None) -> str:
    return format(value, "f") if value is not None else ""


def _validation_for(field: Field) -> DataValidation:
    """A data validation with Dutch prompt and error message for a field's kind and range."""
    low, high = field.bounds
    texts = {
        "geheel": ("Geheel getal", "Vul een geheel getal van 0 of meer in.",
                   "Alleen hele getallen van 0 of meer zijn toegestaan."),
        "decimaal": ("Getal", "Vul een getal van 0 of meer in; decimalen mogen.",
                     "Alleen getallen van 0 of meer zijn toegestaan."),
        "percentage": ("Percentage", f"Vul een percentage in als getal van {_bound(low)} tot en met {_bound(high)}.",
                       f"Een percentage moet tussen {_bound(low)} en {_bound(high)} liggen."),
        "bedrag": ("Bedrag in euro", f"Vul een bedrag in euro's in, minimaal {_bound(low)}.",
                   f"Alleen bedragen vanaf {_bound(low)} euro zijn toegestaan."),
        "keuze": ("Keuze", "Kies een waarde uit de lijst: " + ", ".join(field.choices) + ".",
                  "Kies een waarde uit de lijst: " + ", ".join(field.choices) + "."),
        "tekst": ("Toelichting", f"Vrije tekst, maximaal {_bound(high)} tekens.",
                  f"De toelichting mag maximaal {_bound(high)} tekens lang zijn."),
    }
    title, prompt, error = texts[field.kind]
    if field.kind == "keuze":
        validation = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"')
    elif field.kind == "tekst":
        validation = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=_bound(high))
    elif high is None:
        kind = "whole" if field.kind == "geheel" else "decimal"
        validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_bound(low))
    else:
        validation = DataValidation(type="decimal", operator="between", formula1=_bound(low), formula2=_bound(high))
    validation.allow_blank = field.empty != "verplicht"
    validation.showErrorMessage = validation.showInputMessage = True
    validation.errorStyle = "stop"
    validation.promptTitle, validation.prompt = title, prompt
    validation.errorTitle, validation.error = "Ongeldige invoer", error
    return validation


def _validations(fields: Iterable[Field]) -> list[DataValidation]:
    """One data validation per distinct rule, covering every cell with that rule."""
    groups: dict[tuple[object, ...], list[Field]] = defaultdict(list)
    for field in fields:
        groups[(field.kind, field.bounds, field.choices, field.empty)].append(field)
    validations = []
    for members in groups.values():
        validation = _validation_for(members[0])
        for field in members:
            validation.add(field.cell)
        validations.append(validation)
    return validations


def _format_failures(ws: Worksheet, checks: Iterable[Check]) -> None:
    """Conditional formatting: a failing check colours its own cell and the cell it reports on."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for check in checks:
        check_col, row = coordinate_from_string(check.cell)
        target_col, _ = coordinate_from_string(check.target)
        groups[(check_col, target_col)].append(row)
    for (check_col, target_col), rows in groups.items():
        first, last = min(rows), max(rows)
        condition = f'LEFT(${check_col}{first},4)="FOUT"'
        for column in sorted({check_col, target_col}):
            ws.conditional_formatting.add(
                f"{column}{first}:{column}{last}", FormulaRule(formula=[condition], fill=FAIL_FILL, font=FAIL_FONT)
            )


def _write_meta(ws: Worksheet, meta: Mapping[str, str]) -> None:
    ws["A1"], ws["B1"] = "sleutel", "waarde"
    for row, (key, value) in enumerate(meta.items(), start=2):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
