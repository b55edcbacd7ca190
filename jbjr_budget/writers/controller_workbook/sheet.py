"""Writing label/value rows on a controller sheet, with workbook names for the value cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.writers.styles import BOLD, INPUT_FILL, TITLE_FONT, repeat_rows

__all__ = ["Sheet", "Spill", "Waarde", "column", "define", "format_cells", "set_columns", "table_header"]


@dataclass(frozen=True)
class Spill:
    """A formula returning a row, column or table: written as a dynamic array."""

    text: str


Waarde = str | float | int | Decimal | dt.date | Spill | None
"""What the builder writes into a cell: a constant, a formula text, or a spilling formula."""


@dataclass
class Sheet:
    """Writes label/value rows on a sheet and defines workbook names for the value cells."""

    ws: Worksheet
    row: int = 1

    def title(self, title: str, subtitle: str) -> None:
        """Write the sheet's title and subtitle; the first line follows below them."""
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
            cell.value = ArrayFormula(cell.coordinate, value.text) if isinstance(value, Spill) else value
            if fmt:
                cell.number_format = fmt
            if invoer:
                cell.fill = INPUT_FILL
        if name:
            define(self.ws, name, row, 2, row, max(len(values), 1) + 1)
        self.row += 1
        return row

    def header(self, *labels: str) -> int:
        """Write a bold header row, kept in view and printed on every page; returns its row number."""
        for column, label in enumerate(labels, start=1):
            self.ws.cell(self.row, column, label).font = BOLD
        table_header(self.ws, self.row)
        self.row += 1
        return self.row - 1

    def skip(self, rows: int = 1) -> None:
        """Leave ``rows`` rows empty."""
        self.row += rows


def table_header(ws: Worksheet, row: int) -> None:
    """Row ``row`` heads the sheet's table: freeze the panes below it and print it on every page."""
    ws.freeze_panes = f"A{row + 1}"
    repeat_rows(ws, row)


def format_cells(ws: Worksheet, rows: range, formats: dict[str, str]) -> None:
    """Number formats for the cells a table will spill into (cells herbereken fills keep their style)."""
    for r in rows:
        for letter, number_format in formats.items():
            ws[f"{letter}{r}"].number_format = number_format


def column(index: int) -> str:
    """The letters of column ``index`` (1 is ``A``)."""
    return str(get_column_letter(index))


def set_columns(ws: Worksheet, widths: dict[str, float], fmt: str = "") -> None:
    """Set the width (in characters) of columns, and optionally the number format of values spilled there."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
        if fmt:
            ws.column_dimensions[letter].number_format = fmt


def define(ws: Worksheet, name: str, row1: int, col1: int, row2: int, col2: int) -> None:
    """Define the workbook-scope name ``name`` for a cell or range of ``ws``."""
    ref = f"'{ws.title}'!${column(col1)}${row1}"
    if (row1, col1) != (row2, col2):
        ref += f":${column(col2)}${row2}"
    ws.parent.defined_names[name] = DefinedName(name, attr_text=ref)
