"""Tables on sheets, shared by every workbook jbjr_budget writes: titles, header rows, atomic save."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.writers.styles import HEADER_FILL, HEADER_FONT, TITLE_FONT, fit_to_page_width

__all__ = ["atomic_save", "cell_value", "write_rows", "write_title", "write_workbook"]

Context = TypeVar("Context")
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


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
            cell = ws.cell(row=r, column=c + 1, value=cell_value(value))
            if c in formats:
                cell.number_format = formats[c]
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    _fit_columns(ws, headers, rows)
    return start_row + len(rows) + 2


def cell_value(value: object) -> object:
    """A value as openpyxl can write it and a Dutch reader expects it.

    pandas' missing markers (NaN, NaT) become an empty cell; a moment with a time
    zone is shown in Dutch local time (Excel cells hold no time zone).

    Examples:
        >>> cell_value(float("nan")) is None, cell_value(pd.NaT) is None, cell_value(3)
        (True, True, 3)
        >>> cell_value(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC))
        datetime.datetime(2026, 7, 1, 12, 0)
    """
    if value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(DUTCH_TIME).replace(tzinfo=None)
    return value


def _fit_columns(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
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
