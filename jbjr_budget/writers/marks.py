"""Marks where a figure rests on an example value or a provisional figure, the same in every workbook.

The models flag each row (``voorbeeld``, ``voorlopig``); the writers show the
flags where the number is read: a column *Let op* beside the figures, a red
note under the sheet's title, and a fill on input cells that hold an example value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.writers.mark_texts import MARK_HEADER, mark_text
from jbjr_budget.writers.styles import WARNING_FONT

__all__ = ["EXAMPLE_FILL", "mark_cells", "mark_column", "mark_input", "marks_note", "row_marks"]

EXAMPLE_FILL = PatternFill("solid", fgColor="F8CBAD")
"""Input cells holding an example value: orange, unlike the yellow of other input."""


def row_marks(rows: Iterable[Any], by: Sequence[str]) -> dict[tuple[object, ...], str]:
    """The mark of each group of ``by`` among flagged rows (named tuples, e.g. a frame's ``itertuples()``).

    A group is marked when any of its rows is; groups keep the order in which they first appear.
    """
    found: dict[tuple[object, ...], tuple[bool, bool]] = {}
    for row in rows:
        key = tuple(getattr(row, name) for name in by)
        example, provisional = found.get(key, (False, False))
        found[key] = (example or bool(row.voorbeeld), provisional or bool(row.voorlopig))
    return {key: mark_text(*flags) for key, flags in found.items()}


def mark_column(ws: Worksheet, column: int, first_row: int, last_row: int) -> None:
    """Show the non-empty marks of a table column in red."""
    for row in range(first_row, last_row + 1):
        cell = ws.cell(row=row, column=column)
        if cell.value:
            cell.font = WARNING_FONT


def mark_cells(ws: Worksheet, cells: Iterable[tuple[int, int]]) -> None:
    """Show the given cells (row, column) in red: figures that rest on an example or provisional value."""
    for row, column in cells:
        ws.cell(row=row, column=column).font = WARNING_FONT


def marks_note(ws: Worksheet, voorbeeld: bool, voorlopig: bool, row: int = 3) -> None:
    """A red note (under a sheet's title) on what the marks mean, when a figure on the sheet is marked."""
    parts = []
    if voorbeeld:
        parts.append("'voorbeeldwaarde': het cijfer rust op een voorbeeldwaarde, geen gepubliceerd cijfer; vervang "
                     "die met jbjr-budget parameters importeer of een eigen parameterbestand")
    if voorlopig:
        parts.append("'voorlopig cijfer': het rust op een voorlopig cijfer dat later wordt nagecalculeerd")
    if parts:
        cell = ws.cell(row=row, column=1, value=f"LET OP ({MARK_HEADER}): " + ". ".join(parts) + ".")
        cell.font = WARNING_FONT


def mark_input(ws: Worksheet, row: int, column: int, reference: str) -> None:
    """Mark an input cell that holds an example value: orange fill and a note with its (example) source."""
    cell = ws.cell(row=row, column=column)
    cell.fill = EXAMPLE_FILL
    cell.comment = Comment(f"Voorbeeldwaarde, geen gepubliceerd cijfer. {reference}", "jbjr_budget")
