"""Circles in the dependency graph: Excel's iterative calculation, or the cells that really are circular.

The evaluator inherits these methods. The graph comes from the ranges formulas name, but Excel meets a circle
only when computing a cell reads a cell of the circle that is not computed yet (itself included): a LOOKUP that
finds nothing in a range holding its own cell gives #N/A, not a circular reference. Without iteration, the cells
of a circle that read no such cell are computed, round after round, and only the rest are circular.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from jbjr_budget.formula_engine.book import Iteration
from jbjr_budget.formula_engine.ordering import position_of
from jbjr_budget.formula_engine.values import Array, ExcelError, Ref, Scalar

__all__ = ["CIRCULAR", "Circles"]

CIRCULAR = ExcelError("#VALUE!", "kringverwijzing")


class Circles:
    """The circle part of the evaluator."""

    store: dict[int, Scalar]
    current: int
    _arrays: dict[Ref, Array]
    _waiting: set[int]  # cells of a circle not computed yet, while one is worked through
    _read_waiting: bool  # whether the cell being computed read one of them

    if TYPE_CHECKING:  # the evaluator's
        def _compute(self, key: int) -> None: ...
        def _result(self, key: int) -> Scalar | Array: ...
        def _store(self, key: int, result: Scalar | Array) -> None: ...
        def note(self, kind: str, detail: str = "", *, fatal: bool = True) -> None:
            """Record an issue for the cell being evaluated."""

    def _iterate(self, keys: list[int], iteration: Iteration) -> None:
        """Excel's iterative calculation: recompute the circle from its stored values until it settles."""
        for _ in range(max(iteration.count, 1)):
            change = 0.0
            for key in keys:
                before = self.store.get(key)
                self._arrays.clear()  # values inside the circle change from pass to pass
                self._compute(key)
                change = max(change, _change(before, self.store.get(key)))
            if change < iteration.delta:
                break

    def _circle(self, keys: list[int]) -> None:
        """A circle without iteration: compute what reads no uncomputed cell of it; the rest is circular."""
        self._waiting = set(keys)
        progress = True
        while self._waiting and progress:
            progress = False
            for key in [key for key in keys if key in self._waiting]:
                self._read_waiting = False
                self._arrays.clear()
                result = self._result(key)
                if not self._read_waiting:
                    self._waiting.discard(key)
                    self._store(key, result)
                    progress = True
        waiting, self._waiting = self._waiting, set()
        for key in keys:
            if key in waiting:
                self.current = key
                self.note("kringverwijzing")
                self._store(key, CIRCULAR)
        self._arrays.clear()

    def _watch(self, ref: Ref) -> None:
        """Note whether ``ref``, about to be read, holds a cell of the circle not computed yet."""
        for key in self._waiting:
            sheet, row, col = position_of(key)
            if ref.sheet == sheet and ref.r1 <= row <= ref.r2 and ref.c1 <= col <= ref.c2:
                self._read_waiting = True
                return


def _change(before: Scalar, after: Scalar) -> float:
    if isinstance(before, float) and isinstance(after, float):
        return abs(after - before)
    return 0.0 if before == after else math.inf
