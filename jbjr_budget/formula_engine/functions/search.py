"""Searching one row or column as Excel does: exact matches by hash, approximate ones by binary search.

A lookup table is read by many formulas (2,000 VLOOKUPs into one 5,000-row table), and the evaluator
hands each of them the same 2D list for the same range in one recalculation. :func:`line` keeps the
row or column taken from such a list, keyed by the list's identity (the list is kept alive with it,
so the identity cannot be reused), and builds a hash index on its second use: exact lookups then cost
O(1) instead of a scan. Approximate lookups use Excel's binary search, O(log n), which on unsorted
data gives Excel's answers rather than a scan's.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence
from typing import TypeAlias, cast

from jbjr_budget.formula_engine.functions.criteria import wildcard
from jbjr_budget.formula_engine.values import Array, ExcelError, Scalar, compare

__all__ = ["Line", "line"]

Key: TypeAlias = tuple[int, float | str | bool]
_CACHED = 256
_cache: OrderedDict[tuple[int, bool, int], tuple[Array, Line]] = OrderedDict()


def _key(value: Scalar) -> Key | None:
    """The hash key of a value in an exact lookup: text without case, numbers, logicals; None for the rest."""
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, str):
        return (1, value.lower())
    if isinstance(value, float):
        return (0, value)
    return None


def _order(a: Scalar, b: Scalar) -> int:
    """Excel's order of two values that are not errors."""
    return cast(int, compare(a, b))


def _kind(value: Scalar) -> int:
    return 2 if isinstance(value, bool) else 1 if isinstance(value, str) else 0


def _is_pattern(text: str) -> bool:
    """Whether a text holds Excel wildcards (``*``, ``?``, ``~``)."""
    return any(char in text for char in "*?~")


class Line:
    """The items of one row or column, with an index built on demand."""

    __slots__ = ("_index", "_sorted", "items", "uses")

    def __init__(self, items: Sequence[Scalar]) -> None:
        """Search ``items``."""
        self.items = items
        self.uses = 0
        self._index: dict[Key, tuple[int, int]] | None = None
        self._sorted: dict[int, list[float | str | bool]] | None = None

    def _build(self) -> None:
        index: dict[Key, tuple[int, int]] = {}
        for position, item in enumerate(self.items):
            key = _key(item)
            if key is not None:
                first = index.get(key)
                index[key] = (position, position) if first is None else (first[0], position)
        self._index = index
        by_kind: dict[int, list[float | str | bool]] = {0: [], 1: [], 2: []}
        for kind, value in index:
            by_kind[kind].append(value)
        self._sorted = {kind: sorted(values) for kind, values in by_kind.items()}

    def exact(self, target: Scalar, *, last: bool = False) -> int | None:
        """The first (or last) position equal to ``target``; text ignores case and may hold wildcards."""
        if isinstance(target, str) and _is_pattern(target):
            pattern = wildcard(target)
            order = range(len(self.items) - 1, -1, -1) if last else range(len(self.items))
            return next((i for i in order if isinstance(item := self.items[i], str)
                         and pattern.fullmatch(item) is not None), None)
        return self.nearest(target, 0, last=last)

    def nearest(self, target: Scalar, mode: int, *, last: bool = False) -> int | None:
        """Equal to ``target``, else (mode -1) the next smaller or (mode 1) the next larger item of its kind."""
        self.uses += 1
        if self._index is None and self.uses < 2 and mode == 0:
            return self._scan(target, last=last)
        if self._index is None:
            self._build()
        assert self._sorted is not None
        key = _key(0.0 if target is None else target)
        if key is None:
            return None
        kind, value = key
        values = self._sorted[kind]
        at = bisect.bisect_left(values, value)
        for candidate in (at, at - 1):  # numbers within 2^-48 of each other count as equal
            if 0 <= candidate < len(values) and _order(values[candidate], value) == 0:
                return self._position(kind, values[candidate], last=last)
        chosen = at - 1 if mode < 0 else at if mode > 0 else -1
        return self._position(kind, values[chosen], last=last) if 0 <= chosen < len(values) else None

    def _position(self, kind: int, value: float | str | bool, *, last: bool) -> int:
        assert self._index is not None
        first, final = self._index[(kind, value)]
        return final if last else first

    def _scan(self, target: Scalar, *, last: bool) -> int | None:
        target = 0.0 if target is None else target
        kind = _kind(target)
        order = range(len(self.items) - 1, -1, -1) if last else range(len(self.items))
        return next((i for i in order if self.items[i] is not None and not isinstance(self.items[i], ExcelError)
                     and _kind(self.items[i]) == kind and compare(self.items[i], target) == 0), None)

    def binary(self, target: Scalar, *, descending: bool = False) -> int | None:
        """Excel's approximate search: the last item <= ``target`` (or >= it in descending data).

        Bounds start outside the line; an item of another kind than the target (text, number, logical)
        is stepped over toward the high bound; an equal item is followed to the end of its run.
        """
        target = 0.0 if target is None else target
        kind = _kind(target)
        low, high = -1, len(self.items)
        while high - low > 1:
            mid = low + (high - low) // 2
            probe = mid
            while probe < high and (self.items[probe] is None or isinstance(self.items[probe], ExcelError)
                                    or _kind(self.items[probe]) != kind):
                probe += 1
            if probe == high:
                high = mid
                continue
            order = _order(target, self.items[probe])
            if order == 0:
                while probe + 1 < high and _order(target, self.items[probe + 1]) == 0:
                    probe += 1
                return probe
            if (order < 0) != descending:
                high = mid if mid < probe == high - 1 else probe
            else:
                low = probe
        return low if low >= 0 else None


def line(array: Array, *, row: bool, index: int) -> Line:
    """Row (or column) ``index`` of ``array`` as a searchable :class:`Line`, reused for the same list."""
    key = (id(array), row, index)
    cached = _cache.get(key)
    if cached is not None and cached[0] is array:
        _cache.move_to_end(key)
        return cached[1]
    found = Line(array[index] if row else [items[index] for items in array])
    _cache[key] = (array, found)
    if len(_cache) > _CACHED:
        _cache.popitem(last=False)
    return found
