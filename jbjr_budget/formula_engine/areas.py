"""Ranges and arrays as Excel's file format shapes them.

Implicit intersection (a plain formula reading a range takes the cell in its own row or column),
the range and intersection operators, structured references into tables, and how a legacy array
formula fills its stored area.
"""

from __future__ import annotations

from collections.abc import Mapping

from jbjr_budget.formula_engine.book import Table
from jbjr_budget.formula_engine.values import NA, VALUE, Array, ExcelError, Ref, Scalar, Value

__all__ = [
    "NULL", "find_table", "fit", "intersect", "intersect_range", "intersection", "range_between", "table_area",
    "top_left",
]

NULL = ExcelError("#NULL!", "de bereiken snijden elkaar niet")


def intersect(value: Value, row: int, col: int) -> Value:
    """Implicit intersection of a value read where one value is expected: see :func:`intersect_range`."""
    return intersect_range(value, row, col) if isinstance(value, Ref) else value


def intersect_range(value: Ref, row: int, col: int) -> Ref | ExcelError:
    """Implicit intersection: a range read where one value is expected gives the cell in row ``row`` or column ``col``.

    A one-column range gives its cell in that row, a one-row range its cell in that column, a block the
    cell at both; outside the range the answer is #VALUE!.

    Examples:
        >>> intersect_range(Ref(0, 1, 4, 9, 4), 5, 1)
        Ref(sheet=0, r1=5, c1=4, r2=5, c2=4)
        >>> intersect_range(Ref(0, 1, 4, 3, 4), 5, 1).code
        '#VALUE!'
    """
    if value.r1 == value.r2 and value.c1 == value.c2:
        return value
    if value.r1 != value.r2:
        if not value.r1 <= row <= value.r2:
            return VALUE
    else:
        row = value.r1
    if value.c1 != value.c2:
        if not value.c1 <= col <= value.c2:
            return VALUE
    else:
        col = value.c1
    return Ref(value.sheet, row, col, row, col)


def range_between(left: Value, right: Value) -> Value:
    """The range operator ``:``: the smallest range holding both references."""
    if isinstance(left, ExcelError):
        return left
    if isinstance(right, ExcelError):
        return right
    if not isinstance(left, Ref) or not isinstance(right, Ref) or left.sheet != right.sheet:
        return VALUE
    return Ref(left.sheet, min(left.r1, right.r1), min(left.c1, right.c1), max(left.r2, right.r2),
               max(left.c2, right.c2))


def intersection(left: Value, right: Value) -> Value:
    """The intersection operator (a space): the cells both references cover, or #NULL!."""
    if isinstance(left, ExcelError):
        return left
    if isinstance(right, ExcelError):
        return right
    if not isinstance(left, Ref) or not isinstance(right, Ref):
        return VALUE
    r1, c1, r2, c2 = max(left.r1, right.r1), max(left.c1, right.c1), min(left.r2, right.r2), min(left.c2, right.c2)
    if left.sheet != right.sheet or r1 > r2 or c1 > c2:
        return NULL
    return Ref(left.sheet, r1, c1, r2, c2)


def find_table(tables: Mapping[str, Table], name: str | None, sheet: int, row: int, col: int) -> Table | None:
    """The table called ``name`` (any case), or for None the table around the cell (``[@Kolom]`` inside it)."""
    if name is not None:
        return tables.get(name.upper())
    return next((table for table in tables.values() if table.area.sheet == sheet
                 and table.area.r1 <= row <= table.area.r2 and table.area.c1 <= col <= table.area.c2), None)


def _rows(table: Table, items: tuple[str, ...], row: int) -> tuple[int, int] | None:
    """First and last row that the items select, or None when the table lacks them (no header, no totals)."""
    area = table.area
    first_data, last_data = area.r1 + table.header_rows, area.r2 - table.totals_rows
    spans = {"ALL": (area.r1, area.r2), "DATA": (first_data, last_data),
             "HEADERS": (area.r1, area.r1) if table.header_rows else None,
             "TOTALS": (area.r2, area.r2) if table.totals_rows else None}
    if "THIS ROW" in items:
        return (row, row) if first_data <= row <= last_data else None
    chosen = [spans[item] for item in items or ("DATA",)]
    if any(span is None for span in chosen):
        return None
    return min(span[0] for span in chosen if span), max(span[1] for span in chosen if span)


def table_area(table: Table, items: tuple[str, ...], first: str | None, last: str | None, row: int) -> Ref | str:
    """The range a structured reference selects, or a Dutch reason why there is none.

    ``row`` is the row of the formula (for ``[#This Row]``, Excel's ``@``).
    """
    rows = _rows(table, items, row)
    if rows is None:
        return "rij buiten de tabel" if "THIS ROW" in items else "tabel heeft dat deel niet"
    upper = [name.upper() for name in table.columns]
    columns = []
    for name in (first, last):
        if name is not None and name.upper() not in upper:
            return f"onbekende kolom '{name}'"
        columns.append(upper.index(name.upper()) if name is not None else None)
    start = columns[0] if columns[0] is not None else 0
    end = columns[1] if columns[1] is not None else len(upper) - 1
    c1 = table.area.c1
    return Ref(table.area.sheet, rows[0], c1 + min(start, end), rows[1], c1 + max(start, end))


def top_left(value: Scalar | Array) -> Scalar:
    """What a plain formula shows of an array: its first element."""
    return value[0][0] if isinstance(value, list) else value


def fit(value: Scalar | Array, rows: int, cols: int) -> Array:
    """A legacy array formula's result fitted to its stored area of ``rows`` x ``cols`` cells.

    A single value fills the area, a single row or column repeats across it, and cells beyond a
    larger result get #N/A; a result larger than the area is cut off.

    Examples:
        >>> fit([[1.0, 2.0]], 2, 3)
        [[1.0, 2.0, ExcelError(code='#N/A', reason='')], [1.0, 2.0, ExcelError(code='#N/A', reason='')]]
    """
    array = value if isinstance(value, list) else [[value]]
    height, width = len(array), len(array[0])
    return [[array[0 if height == 1 else i][0 if width == 1 else j] if (height == 1 or i < height)
             and (width == 1 or j < width) else NA for j in range(cols)] for i in range(rows)]

