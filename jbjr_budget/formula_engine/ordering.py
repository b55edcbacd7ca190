"""Which formula reads which: cell keys, the owners of cells (a formula owns the area it fills) and the order.

The dependency graph comes from the ranges each formula names; Tarjan's algorithm orders it in
strongly connected components, so a circular reference is one component of several cells (or one
cell reading itself).
"""

from __future__ import annotations

import bisect
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import NamedTuple

from jbjr_budget.formula_engine.values import Ref

__all__ = ["Component", "Owners", "area_keys", "column_keys", "components", "key_of", "position_of", "row_keys"]

_ROW_STEP = 1 << 15  # the column is the lowest part of a key: a row's cells have consecutive keys


def key_of(sheet: int, row: int, col: int) -> int:
    """One integer per cell, for fast dictionaries."""
    return (sheet << 36) | (row * _ROW_STEP) | col


def row_keys(sheet: int, row: int, first: int, last: int) -> range:
    """The keys of the cells in columns ``first`` to ``last`` of one row."""
    return range(key_of(sheet, row, first), key_of(sheet, row, last) + 1)


def column_keys(sheet: int, col: int, first: int, last: int) -> range:
    """The keys of the cells in rows ``first`` to ``last`` of one column."""
    return range(key_of(sheet, first, col), key_of(sheet, last, col) + 1, _ROW_STEP)


def area_keys(area: Ref) -> list[int]:
    """The keys of every cell of ``area``, row by row (as a spilled array lists its values)."""
    return [key for row in range(area.r1, area.r2 + 1) for key in row_keys(area.sheet, row, area.c1, area.c2)]


def position_of(key: int) -> tuple[int, int, int]:
    """Inverse of :func:`key_of`."""
    return key >> 36, (key >> 15) & 0x1FFFFF, key & 0x7FFF


class Owners:
    """For every cell a formula fills (its own cell, an array area, a spill range), the formula that fills it."""

    def __init__(self) -> None:
        """No owners yet."""
        self.owner: dict[int, int] = {}
        self._columns: dict[int, dict[int, list[tuple[int, int]]]] = {}

    def add(self, key: int, owner: int) -> None:
        """Record that formula ``owner`` fills cell ``key``."""
        sheet, row, col = position_of(key)
        self.owner[key] = owner
        bisect.insort(self._columns.setdefault(sheet, {}).setdefault(col, []), (row, owner))

    def fill(self, area: Ref, owner: int, skip: Container[int]) -> list[int]:
        """Record that formula ``owner`` fills every cell of ``area`` but those in ``skip``; returns their keys.

        One call per area: a spilled table has thousands of cells.
        """
        columns = self._columns.setdefault(area.sheet, {})
        filled: list[int] = []
        for col in range(area.c1, area.c2 + 1):
            kept = [(row, key) for row, key in zip(range(area.r1, area.r2 + 1),
                                                   column_keys(area.sheet, col, area.r1, area.r2), strict=True)
                    if key not in skip]
            filled.extend(key for _, key in kept)
            entries = columns.setdefault(col, [])
            entries.extend((row, owner) for row, _ in kept)
            entries.sort()
        self.owner.update(dict.fromkeys(filled, owner))
        return filled

    def within(self, ref: Ref) -> set[int]:
        """The formulas that fill any cell of ``ref``."""
        if ref.r1 == ref.r2 and ref.c1 == ref.c2:
            owner = self.owner.get(key_of(ref.sheet, ref.r1, ref.c1))
            return set() if owner is None else {owner}
        found: set[int] = set()
        for col, rows in self._columns.get(ref.sheet, {}).items():
            if ref.c1 <= col <= ref.c2:
                low = bisect.bisect_left(rows, (ref.r1, -1))
                high = bisect.bisect_right(rows, (ref.r2, 1 << 62))
                found.update(owner for _, owner in rows[low:high])
        return found

    def dependencies(self, key: int, refs: Sequence[Ref]) -> list[int]:
        """The formulas that cell ``key`` reads through ``refs`` (not itself when it only fills what it reads)."""
        found: set[int] = set()
        for ref in refs:
            found |= self.within(ref)
        sheet, row, col = position_of(key)
        if not any(r.sheet == sheet and r.r1 <= row <= r.r2 and r.c1 <= col <= r.c2 for r in refs):
            found.discard(key)  # reading its own spill area is no circular reference
        return list(found)


class Component(NamedTuple):
    """Cells to evaluate together: one cell, or the cells of a circular reference (``cyclic``)."""

    keys: list[int]
    cyclic: bool


def components(deps: Mapping[int, Iterable[int]]) -> list[Component]:
    """The cells in dependency order, grouped in strongly connected components (Tarjan, iterative)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[Component] = []
    for root in deps:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(deps[root]))]
        while work:
            node, pending = work[-1]
            for dep in pending:
                if dep not in index:
                    index[dep] = low[dep] = len(index)
                    stack.append(dep)
                    on_stack.add(dep)
                    work.append((dep, iter(deps[dep])))
                    break
                if dep in on_stack:
                    low[node] = min(low[node], index[dep])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component: list[int] = []
                    while not component or component[-1] != node:
                        component.append(stack.pop())
                        on_stack.discard(component[-1])
                    component.reverse()
                    found.append(Component(component, len(component) > 1 or node in deps[node]))
    return found
