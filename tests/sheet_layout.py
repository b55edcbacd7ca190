"""Where things are on a sheet as Excel and LibreOffice draw it: cells under a chart, cells a text runs over."""

from __future__ import annotations

import math

from openpyxl.chart._chart import ChartBase
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CM_PER_PX = 0.02646
ROW_PX = 20  # a default row; taller rows only make a chart cover fewer rows than counted here


def _column_px(ws: Worksheet, column: int) -> float:
    return (ws.column_dimensions[get_column_letter(column)].width or 8.43) * 7 + 5


def covered_cells(ws: Worksheet, chart: ChartBase) -> set[tuple[int, int]]:
    """Cells under a chart, from its anchor and size (column width w is w * 7 + 5 px)."""
    first_col, first_row = chart.anchor._from.col + 1, chart.anchor._from.row + 1
    cols, width = [], 0.0
    while width < chart.width:
        width += _column_px(ws, first_col + len(cols)) * CM_PER_PX
        cols.append(first_col + len(cols))
    rows = range(first_row, first_row + math.ceil(chart.height / (ROW_PX * CM_PER_PX)))
    return {(r, c) for r in rows for c in cols}


def occupied_cells(ws: Worksheet) -> set[tuple[int, int]]:
    """Cells showing something: filled cells, merged areas, and the empty cells an unwrapped text runs over."""
    occupied = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None}
    for area in ws.merged_cells.ranges:
        occupied |= {(r, c) for r in range(area.min_row, area.max_row + 1)
                     for c in range(area.min_col, area.max_col + 1)}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.alignment.wrap_text:
                continue
            needed, column = len(cell.value) * 7.0, cell.column  # about 7 px a character
            needed -= _column_px(ws, column)
            while needed > 0 and ws.cell(cell.row, column + 1).value is None:
                column += 1
                occupied.add((cell.row, column))
                needed -= _column_px(ws, column)
    return occupied
