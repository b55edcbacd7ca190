"""Tables on sheets, shared by every workbook jbjr_budget writes: titles, header rows, atomic save."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.writers.styles import (
    BOLD,
    DEFAULT_WIDTH,
    HEADER_FILL,
    HEADER_FONT,
    LINE_HEIGHT,
    TITLE_FONT,
    WARNING_FONT,
    print_setup,
    repeat_rows,
    wrapped_lines,
)

__all__ = ["EXPLANATION_WIDTH", "atomic_save", "cell_value", "wrap_column", "write_lines", "write_note", "write_rows",
           "write_title", "write_workbook"]

Context = TypeVar("Context")
EXPLANATION_WIDTH = 110  # characters of the text column on an explanation sheet
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def write_title(ws: Worksheet, title: str, subtitle: str = "") -> int:
    """Write a sheet title (and optional subtitle); return the next free row."""
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    if subtitle:
        ws.cell(row=2, column=1, value=subtitle).alignment = Alignment(wrap_text=False)
    return 4


def write_lines(ws: Worksheet, lines: Sequence[tuple[str, str]], row: int, warning: bool = False) -> int:
    """Write label/text lines (label in A, wrapped text in B) with the row heights they need; return the next row.

    Neither Excel nor LibreOffice grows a row for wrapped text when it opens a
    generated file, so without a height the lines would overlap. A ``warning`` is red.
    """
    font, factor = (WARNING_FONT, 1.2) if warning else (BOLD, 0.9)
    for label, text in lines:
        label_cell, text_cell = ws.cell(row=row, column=1, value=label), ws.cell(row=row, column=2, value=text)
        label_cell.font, label_cell.alignment = font, Alignment(vertical="top")
        text_cell.alignment = Alignment(wrap_text=True, vertical="top")
        if warning:
            text_cell.font = WARNING_FONT
        ws.row_dimensions[row].height = wrapped_lines(text, EXPLANATION_WIDTH, factor) * LINE_HEIGHT
        row += 1
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 24)
    ws.column_dimensions["B"].width = EXPLANATION_WIDTH
    return row


def write_note(ws: Worksheet, row: int, text: str, first_column: int, last_column: int) -> None:
    """One explanatory line over columns ``first_column`` to ``last_column``, wrapped there, never running on."""
    ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)
    cell = ws.cell(row=row, column=first_column, value=text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
                for c in range(first_column, last_column + 1))
    ws.row_dimensions[row].height = wrapped_lines(text, width) * LINE_HEIGHT


def wrap_column(ws: Worksheet, column: int, width: float, first_row: int) -> None:
    """Wrap the long texts of ``column`` from ``first_row`` on in ``width`` characters, rows as high as needed."""
    ws.column_dimensions[get_column_letter(column)].width = width
    for r in range(first_row, ws.max_row + 1):
        cell = ws.cell(row=r, column=column)
        if isinstance(cell.value, str) and len(cell.value) * 0.9 > width:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            height = wrapped_lines(cell.value, width) * LINE_HEIGHT
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, height)


def write_rows(
    ws: Worksheet,
    headers: Sequence[str | int],
    rows: Sequence[Sequence[Any]],
    start_row: int,
    formats: Mapping[int, str] | None = None,
    freeze: bool = True,
    repeat: bool | None = None,
) -> int:
    """Write a header row and data rows with number formats per column index (0-based).

    Freezes the panes below the header (when ``freeze``), prints the header on every
    page (when ``repeat``, by default as ``freeze``) and widens columns to fit; returns
    the row after the table. A number as header (a year) is right-aligned over its numbers.
    """
    formats = formats or {}
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="right" if isinstance(header, int) else None)
    for r, row in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1, value=cell_value(value))
            if c in formats:
                cell.number_format = formats[c]
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    if freeze if repeat is None else repeat:
        repeat_rows(ws, start_row)
    _fit_columns(ws, headers, rows)
    return start_row + len(rows) + 2


def cell_value(value: object) -> object:
    """A value as openpyxl can write it and a Dutch reader expects it.

    pandas' missing markers (NaN, NaT) become an empty cell; a moment with a time
    zone is shown in Dutch local time (Excel cells hold no time zone). pandas is not
    imported for this: a pandas value exists only when pandas is loaded already.

    Examples:
        >>> import pandas as pd
        >>> cell_value(float("nan")) is None, cell_value(pd.NaT) is None, cell_value(3)
        (True, True, 3)
        >>> cell_value(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC))
        datetime.datetime(2026, 7, 1, 12, 0)
    """
    if isinstance(value, float) and math.isnan(value):
        return None
    pandas = sys.modules.get("pandas")
    if pandas is not None and value is pandas.NaT:
        return None
    if pandas is not None and isinstance(value, pandas.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(DUTCH_TIME).replace(tzinfo=None)
    return value


def _fit_columns(ws: Worksheet, headers: Sequence[str | int], rows: Sequence[Sequence[Any]]) -> None:
    for c, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [_shown_length(row[c - 1]) for row in rows[:200]])
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(longest + 3, 60))


def _shown_length(value: object) -> int:
    """Approximate characters Excel shows: formatted amounts get a currency sign and separators."""
    return len(f"€ {value:,.2f}") if isinstance(value, float | Decimal) else len(str(value))


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Callable[[Worksheet, Context], None]]], context: Context
) -> Path:
    """Create one sheet per ``(title, fill)``, fill it from ``context``, set it up for print; save atomically."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, fill in sheets:
        sheet = workbook.create_sheet(title)
        fill(sheet, context)
        print_setup(sheet)
    atomic_save(workbook, path)
    return path


def atomic_save(workbook: Workbook, path: Path) -> None:
    """Save ``workbook`` to ``path`` via a temporary file and rename: never a half-written file."""
    with atomic_path(path) as temporary:
        workbook.save(temporary)
