"""Lookups: MATCH, VLOOKUP, HLOOKUP and XLOOKUP."""

from __future__ import annotations

from collections.abc import Sequence

from jbjr_budget.formula_engine.functions.coerce import grid, integer, logical, num, scalar, vector
from jbjr_budget.formula_engine.functions.criteria import wildcard
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NA, REF, VALUE, Array, ExcelError, Scalar, compare

__all__: list[str] = []


def _order(a: Scalar, b: Scalar) -> int:
    """Excel's ordering of two values; an error fails."""
    result = compare(a, b)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def _same_kind(a: Scalar, b: Scalar) -> bool:
    return (isinstance(a, str) == isinstance(b, str)) and (isinstance(a, bool) == isinstance(b, bool))


def find(target: Scalar, items: Sequence[Scalar], mode: int) -> int | None:
    """Position (0-based) of ``target`` in ``items``, as MATCH finds it.

    Mode 0 is an exact match (wildcards in text), 1 the largest item <= target in ascending data,
    -1 the smallest item >= target in descending data.
    """
    if isinstance(target, ExcelError):
        raise Failure(target)
    if mode == 0:
        if isinstance(target, str) and any(c in target for c in "*?~"):
            pattern = wildcard(target)
            return next((i for i, item in enumerate(items) if isinstance(item, str) and pattern.fullmatch(item)),
                        None)
        return next((i for i, item in enumerate(items)
                     if item is not None and _same_kind(item, target) and compare(item, target) == 0), None)
    found = None
    for index, item in enumerate(items):
        if item is None or isinstance(item, ExcelError) or not _same_kind(item, target):
            continue
        order = _order(item, target)
        if (mode > 0 and order > 0) or (mode < 0 and order < 0):
            break
        found = index
        if order == 0 and mode < 0:
            break
    return found


@register("MATCH", arrays=True)
def match(target: Scalar | Array, where: Scalar | Array, mode: Scalar | Array = 1.0) -> Scalar:
    """MATCH."""
    kind = num(scalar(mode))
    position = find(scalar(target), vector(where), (kind > 0) - (kind < 0))
    if position is None:
        raise Failure(NA)
    return float(position + 1)


def _table_lookup(target: Scalar | Array, table: Scalar | Array, index: Scalar | Array,
                  approximate: Scalar | Array, *, by_row: bool) -> Scalar:
    array = grid(table)
    if not by_row:
        array = [list(column) for column in zip(*array, strict=True)]
    position = integer(scalar(index))
    if position < 1:
        raise Failure(VALUE)
    if position > len(array):
        raise Failure(REF)
    exact = approximate is not None and not logical(scalar(approximate))
    found = find(scalar(target), array[0], 0 if exact else 1)
    if found is None:
        raise Failure(NA)
    result = array[position - 1][found]
    return 0.0 if result is None else result


@register("VLOOKUP", arrays=True)
def vlookup(target: Scalar | Array, table: Scalar | Array, column: Scalar | Array,
            approximate: Scalar | Array = True) -> Scalar:
    """VLOOKUP."""
    return _table_lookup(target, table, column, approximate, by_row=False)


@register("HLOOKUP", arrays=True)
def hlookup(target: Scalar | Array, table: Scalar | Array, row: Scalar | Array,
            approximate: Scalar | Array = True) -> Scalar:
    """HLOOKUP."""
    return _table_lookup(target, table, row, approximate, by_row=True)


@register("XLOOKUP", arrays=True)
def xlookup(target: Scalar | Array, where: Scalar | Array, results: Scalar | Array, missing: Scalar | Array = None,
            match_mode: Scalar | Array = 0.0, search_mode: Scalar | Array = 1.0) -> Scalar | Array:
    """XLOOKUP: the matching row (or column) of ``results``."""
    items = vector(where)
    mode, search = integer(scalar(match_mode) or 0.0), integer(scalar(search_mode) or 1.0)
    order = list(range(len(items)))[:: -1 if search < 0 else 1]
    position = _xfind(scalar(target), items, order, mode)
    if position is None:
        if missing is None:
            raise Failure(NA)
        return missing
    array = grid(results)
    vertical = len(grid(where)) > 1 or len(array) == len(items) != 1
    picked = [array[position]] if vertical else [[row[position]] for row in array]
    return picked[0][0] if len(picked) == 1 and len(picked[0]) == 1 else picked


def _xfind(target: Scalar, items: Sequence[Scalar], order: list[int], mode: int) -> int | None:
    if mode == 2 and isinstance(target, str):
        pattern = wildcard(target)
        return next((i for i in order if isinstance(items[i], str) and pattern.fullmatch(items[i])), None)  # type: ignore[arg-type]
    best: int | None = None
    for index in order:
        item = items[index]
        if item is None or not _same_kind(item, target):
            continue
        difference = _order(item, target)
        if difference == 0:
            return index
        if mode == -1 and difference < 0 and (best is None or _order(item, items[best]) == 1):
            best = index
        if mode == 1 and difference > 0 and (best is None or _order(item, items[best]) == -1):
            best = index
    return best
