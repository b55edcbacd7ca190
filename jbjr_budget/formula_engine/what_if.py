"""What-if data tables (Data > What-If Analysis > Data Table, stored as ``<f t="dataTable">`` over the table).

Excel fills each cell of a data table with a formula recomputed while an input cell holds a value from beside the
table. A one-variable table with its values in the column to its left has a formula per column in the row above
it; one with its values in the row above has a formula per row in the column to its left. A two-variable table
has one formula, in the corner above and left of it: its row input cell takes the values of the row above the
table, its column input cell those of the column to the left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NamedTuple

from jbjr_budget.formula_engine.book import FormulaSpec, area_of, split_address
from jbjr_budget.formula_engine.ordering import Component, key_of, position_of
from jbjr_budget.formula_engine.values import Array, Ref, Scalar

__all__ = ["DataTable", "Recalculation", "data_table"]


class DataTable(NamedTuple):
    """A data table: its area and input cells (keys); a one-variable table has one of the two."""

    area: Ref
    row_input: int | None
    column_input: int | None

    @property
    def inputs(self) -> list[int]:
        """The input cells the table sets."""
        return [key for key in (self.row_input, self.column_input) if key is not None]

    def reads(self) -> list[Ref]:
        """The formulas and values beside the table: the row above it and the column to its left."""
        sheet, area = self.area.sheet, self.area
        return [Ref(sheet, area.r1 - 1, area.c1 - 1, area.r1 - 1, area.c2),
                Ref(sheet, area.r1, area.c1 - 1, area.r2, area.c1 - 1)]

    def cells(self) -> Iterator[tuple[int, int, int, dict[int, int]]]:
        """Per cell of the table, row by row: its row, column, formula and the cell each input takes its value from."""
        sheet, area = self.area.sheet, self.area
        for row in range(area.r1, area.r2 + 1):
            for col in range(area.c1, area.c2 + 1):
                sources: dict[int, int] = {}
                if self.row_input is not None:
                    sources[self.row_input] = key_of(sheet, area.r1 - 1, col)
                if self.column_input is not None:
                    sources[self.column_input] = key_of(sheet, row, area.c1 - 1)
                formula = key_of(sheet, row if self.column_input is None else area.r1 - 1,
                                 col if self.row_input is None else area.c1 - 1)
                yield row, col, formula, sources


def data_table(sheet: int, spec: FormulaSpec) -> DataTable | None:
    """The data table a ``dataTable`` formula describes, or None when Excel marks an input cell deleted."""
    if spec.inputs is None or spec.ref is None:
        return None
    row_input, column_input = (None if cell is None else key_of(sheet, *split_address(cell)) for cell in spec.inputs)
    return DataTable(area_of(sheet, spec.ref), row_input, column_input)


class Recalculation(NamedTuple):
    """What the evaluator lends a data table: its order and dependencies, cell values and recomputing."""

    order: Sequence[Component]
    deps: Mapping[int, Sequence[int]]
    refs: Callable[[int], Sequence[Ref]]
    value: Callable[[int], Scalar]
    recompute: Callable[[Mapping[int, Scalar], list[int]], None]  # set cells, then recompute these formulas

    def fill(self, table: DataTable) -> Array:
        """The table's values; afterwards the formulas it recomputed hold their own values again."""
        original = {key: self.value(key) for key in table.inputs}
        chains: dict[int, list[int]] = {}
        lines: Array = []
        for row, col, formula, sources in table.cells():
            if formula not in chains:
                chains[formula] = self.chain([formula], table.inputs)
            self.recompute({key: self.value(source) for key, source in sources.items()}, chains[formula])
            if col == table.area.c1:
                lines.append([])
            lines[row - table.area.r1].append(self.value(formula))
        self.recompute(original, self.chain(list(chains), table.inputs))
        return lines

    def chain(self, formulas: Sequence[int], inputs: Sequence[int]) -> list[int]:
        """The formulas to recompute, in order, for ``formulas`` to see new values in ``inputs``.

        Those are the formulas they depend on (themselves included) that read an input, directly or through
        each other.
        """
        upstream: set[int] = set()
        stack = list(formulas)
        while stack:
            key = stack.pop()
            if key not in upstream:
                upstream.add(key)
                stack.extend(self.deps.get(key, ()))
        affected: dict[int, None] = {}
        for component in self.order:
            for key in component.keys:
                if key in upstream and key not in inputs and (
                        any(dep in affected for dep in self.deps[key]) or self._reads(key, inputs)):
                    affected[key] = None
        return list(affected)

    def _reads(self, formula: int, cells: Sequence[int]) -> bool:
        for ref in self.refs(formula):
            for cell in cells:
                sheet, row, col = position_of(cell)
                if ref.sheet == sheet and ref.r1 <= row <= ref.r2 and ref.c1 <= col <= ref.c2:
                    return True
        return False
