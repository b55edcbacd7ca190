"""Small openpyxl helpers shared by every workbook jbjr_budget writes: tables, formats, atomic save."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.atomic_write import atomic_path

__all__ = [
    "EURO",
    "LINE_HEIGHT",
    "PERCENT",
    "atomic_save",
    "euro",
    "fit_to_page_width",
    "wrapped_lines",
    "write_rows",
    "write_title",
    "write_workbook",
]

Context = TypeVar("Context")

EURO = '"€" #,##0.00'
EURO_WHOLE = '"€" #,##0'
PERCENT = "0.00%"
DECIMAL = "#,##0.000"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=14)
LINE_HEIGHT = 15.0  # points per line of 11 pt text


def wrapped_lines(text: str, width: float, factor: float = 0.9) -> int:
    """Lines a wrapped ``text`` takes in a column ``width`` characters wide.

    Neither Excel nor LibreOffice grows a row for wrapped text when it opens a
    generated file, so writers set the height themselves. ``factor`` is the
    width of a character relative to the column unit: about 0.9 for running
    text, 1.2 for bold headers.

    Examples:
        >>> wrapped_lines("kort", 20)
        1
        >>> wrapped_lines("x" * 150, 100)
        2
    """
    return max(1, math.ceil(len(text) * factor / width))


def write_title(ws: Worksheet, title: str, subtitle: str = "") -> int:
    """Write a sheet title (and optional subtitle); return the next free row."""
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    if subtitle:
        ws.cell(row=2, column=1, value=subtitle).alignment = Alignment(wrap_text=False)
    return 4


def write_rows(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    start_row: int,
    formats: Mapping[int, str] | None = None,
    freeze: bool = True,
) -> int:
    """Write a header row and data rows with number formats per column index (0-based).

    Freezes the panes below the header (when ``freeze``) and widens columns to
    fit; returns the row after the table.
    """
    formats = formats or {}
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1, value=value)
            if c in formats:
                cell.number_format = formats[c]
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    _fit_columns(ws, headers, rows)
    return start_row + len(rows) + 2


def _fit_columns(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for c, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [_shown_length(row[c - 1]) for row in rows[:200]])
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(longest + 3, 60))


def fit_to_page_width(ws: Worksheet) -> None:
    """Print landscape, all columns on one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _shown_length(value: object) -> int:
    """Approximate characters Excel shows: formatted amounts get a currency sign and separators."""
    return len(f"€ {value:,.2f}") if isinstance(value, float) else len(str(value))


def euro(cents: float) -> float:
    """Cents as euros for a cell value (the cell's number format shows the currency).

    Examples:
        >>> euro(123457)
        1234.57
    """
    return float(cents) / 100


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Callable[[Worksheet, Context], None]]], context: Context
) -> Path:
    """Create one sheet per ``(title, fill)``, fill it from ``context``, fit it to the page; save atomically."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, fill in sheets:
        sheet = workbook.create_sheet(title)
        fill(sheet, context)
        fit_to_page_width(sheet)
    atomic_save(workbook, path)
    return path


def atomic_save(workbook: Workbook, path: Path) -> None:
    """Save ``workbook`` to ``path`` via a temporary file and rename: never a half-written file."""
    with atomic_path(path) as temporary:
        workbook.save(temporary)
