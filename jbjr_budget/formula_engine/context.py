"""What functions that take references may ask of the workbook being recalculated (``functions.Context``).

The evaluator inherits these methods; they read its state: the book, the cell being evaluated, the
compiled cells and their results.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jbjr_budget.formula_engine.areas import find_table, table_area
from jbjr_budget.formula_engine.book import Book
from jbjr_budget.formula_engine.ordering import Owners, position_of
from jbjr_budget.formula_engine.parser import parse
from jbjr_budget.formula_engine.syntax import FormulaSyntaxError, Name, Reference, TableRef
from jbjr_budget.formula_engine.values import REF, ExcelError, Ref, Scalar

if TYPE_CHECKING:
    from jbjr_budget.formula_engine.evaluator import _Cell

__all__ = ["WorkbookContext"]

_PREFIXES = re.compile(r"_xlfn\.(?:_xlws\.)?|_xludf\.", re.IGNORECASE)
_SUBTOTAL = re.compile(r"\b(?:_xlfn\.)?(?:SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)


class WorkbookContext:
    """The context part of the evaluator."""

    book: Book
    current: int
    sheet_ids: dict[str, int]
    cells: dict[int, _Cell]
    results: dict[int, Scalar]
    owners: Owners
    _read_ahead: bool

    @property
    def position(self) -> tuple[int, int, int]:
        """Sheet index, row and column of the formula being evaluated."""
        return position_of(self.current)

    def reference(self, text: str) -> Ref | ExcelError:
        """The range an A1-style text names (``Blad!B2:C3``, a defined name, a table column), as INDIRECT reads it."""
        try:
            node = parse(text)
        except FormulaSyntaxError:
            return REF
        if isinstance(node, Name):
            scope = self.position[0] if node.sheet is None else self.sheet_ids.get(node.sheet.upper())
            target = self.book.names.get((scope, node.name.upper())) or self.book.names.get((None, node.name.upper()))
            return self.reference(target) if target else REF
        sheet, row, col = self.position
        if isinstance(node, TableRef):
            table = find_table(self.book.tables, node.table, sheet, row, col)
            found = table_area(table, node.items, node.first, node.last, row) if table else None
            return found if isinstance(found, Ref) else REF
        if not isinstance(node, Reference) or node.last_sheet is not None:
            return REF
        index = sheet if node.sheet is None else self.sheet_ids.get(node.sheet.upper())
        return REF if index is None else Ref(index, node.r1, node.c1, node.r2, node.c2)

    def track(self, ref: Ref) -> None:
        """Add a range the formula computed (OFFSET, INDIRECT) to its dependencies.

        When a formula in that range has not been evaluated yet, :meth:`run` orders and evaluates again.
        """
        cell = self.cells.get(self.current)
        if cell is None or ref in cell.refs:
            return
        cell.refs.append(ref)
        self._read_ahead = self._read_ahead or any(owner not in self.results for owner in self.owners.within(ref))

    def is_subtotal(self, sheet: int, row: int, col: int) -> bool:
        """Whether the cell holds a SUBTOTAL or AGGREGATE formula (SUBTOTAL skips those)."""
        spec = self.book.sheets[sheet].formulas.get((row, col))
        return spec is not None and _SUBTOTAL.search(spec.text) is not None

    def is_hidden_row(self, sheet: int, row: int) -> bool:
        """Whether the row is hidden, by hand or by a filter (SUBTOTAL 101-111 and AGGREGATE can skip it)."""
        return row in self.book.sheets[sheet].hidden_rows

    def formula_text(self, sheet: int, row: int, col: int) -> str | None:
        """The formula of a cell as Excel shows it (``=SUM(A1:A3)``), None for a cell without one (FORMULATEXT).

        A copy of a shared formula is shown as its master's text when its references would move: None then.
        """
        spec = self.book.sheets[sheet].formulas.get((row, col))
        if spec is None or spec.offset != (0, 0) or spec.kind == "dataTable":
            return None
        return "=" + _PREFIXES.sub("", spec.text)
