"""Lookups: MATCH, XMATCH, VLOOKUP, HLOOKUP, LOOKUP and XLOOKUP, searching through :mod:`.search`."""

from __future__ import annotations

from collections.abc import Callable

from jbjr_budget.formula_engine.functions.coerce import grid, integer, logical, num, scalar
from jbjr_budget.formula_engine.functions.registry import Context, Failure, lifted, register, whole
from jbjr_budget.formula_engine.functions.search import Line, line
from jbjr_budget.formula_engine.values import NA, REF, VALUE, Array, ExcelError, Ref, Scalar, Value

__all__: list[str] = []


def _vector(values: Scalar | Array) -> Line:
    """A one-row or one-column argument as a searchable line; a larger area is #N/A."""
    array = grid(values)
    if len(array) == 1:
        return line(array, row=True, index=0)
    if len(array[0]) == 1:
        return line(array, row=False, index=0)
    raise Failure(NA)


def _target(value: Scalar) -> Scalar:
    if isinstance(value, ExcelError):
        raise Failure(value)
    return value


def _approximate(found: Line, target: Scalar, mode: int) -> int | None:
    """MATCH's search: 0 exact (wildcards allowed), 1 Excel's ascending binary search, -1 descending."""
    if mode == 0:
        return found.exact(_target(target))
    return found.binary(_target(target), descending=mode < 0)


def _each(target: Scalar | Array, search: object) -> Value:
    """``search`` applied to the lookup value, or to each of its elements when it is an array."""
    return lifted(search, [target])  # type: ignore[arg-type]


@register("MATCH", arrays=True)
def match(target: Scalar | Array, where: Scalar | Array, mode: Scalar | Array = 1.0) -> Value:
    """MATCH: the 1-based position of the lookup value."""
    kind = num(scalar(mode)) if mode is not None else 0.0
    found = _vector(where)

    def position(value: Scalar) -> Scalar:
        at = _approximate(found, value, (kind > 0) - (kind < 0))
        if at is None:
            raise Failure(NA)
        return float(at + 1)

    return _each(target, position)


def _table_lookup(target: Scalar | Array, table: Scalar | Array, index: Scalar | Array,
                  approximate: Scalar | Array, *, by_row: bool) -> Value:
    array = grid(table)
    position = integer(scalar(index))
    if position < 1:
        raise Failure(VALUE)
    if position > (len(array) if by_row else len(array[0])):
        raise Failure(REF)
    exact = approximate is None or not logical(scalar(approximate))  # VLOOKUP(x,t,2,) is an exact lookup
    found = line(array, row=by_row, index=0)

    def result(value: Scalar) -> Scalar:
        at = _approximate(found, value, 0 if exact else 1)
        if at is None:
            raise Failure(NA)
        return array[position - 1][at] if by_row else array[at][position - 1]  # an empty cell stays empty

    return _each(target, result)


@register("VLOOKUP", arrays=True)
def vlookup(target: Scalar | Array, table: Scalar | Array, column: Scalar | Array,
            approximate: Scalar | Array = True) -> Value:
    """VLOOKUP: search the first column, take the value from another."""
    return _table_lookup(target, table, column, approximate, by_row=False)


@register("HLOOKUP", arrays=True)
def hlookup(target: Scalar | Array, table: Scalar | Array, row: Scalar | Array,
            approximate: Scalar | Array = True) -> Value:
    """HLOOKUP: search the first row, take the value from another."""
    return _table_lookup(target, table, row, approximate, by_row=True)


@register("LOOKUP", references=True)
def lookup(context: Context, target: Value, where: Value, results: Value = None) -> Value:
    """LOOKUP: approximate search of a vector (or an array's first row or column), the matching result.

    Of a result range only the cell found is read, as in Excel: a LOOKUP that finds nothing in a range holding
    its own cell is no circular reference.
    """
    array = grid(whole(context, where))
    if results is None and len(array) > 1 and len(array[0]) > 1:
        wide = len(array[0]) > len(array)
        found = line(array, row=wide, index=0)
        results = [array[-1]] if wide else [[row[-1]] for row in array]
    else:
        found = _vector(array)
    pick = _item(context, array if results is None else results)

    def result(value: Scalar) -> Scalar:
        at = found.binary(_target(value))
        if at is None:
            raise Failure(NA)
        return pick(at)

    return _each(whole(context, target), result)


def _item(context: Context, results: Value) -> Callable[[int], Scalar]:
    """The n-th item of a result vector, row by row; of a range only that cell is read; #N/A beyond its end."""
    get: Callable[[int], Scalar | Array]
    if isinstance(results, Ref):
        width = results.c2 - results.c1 + 1
        count = width * (results.r2 - results.r1 + 1)

        def get(at: int) -> Scalar | Array:
            row, col = results.r1 + at // width, results.c1 + at % width
            return context.value(Ref(results.sheet, row, col, row, col))
    else:
        items = [item for row in grid(results) for item in row]
        count, get = len(items), items.__getitem__

    def item(at: int) -> Scalar:
        if at >= count:
            raise Failure(NA)
        value = get(at)
        return value[0][0] if isinstance(value, list) else value

    return item


def _xsearch(found: Line, target: Scalar, match_mode: int, search_mode: int) -> int | None:
    """XMATCH's search: match mode 0 exact, -1 or 1 the next smaller or larger, 2 wildcards.

    The binary search modes (2, -2) give the answer of a search from the first item: the same on the
    sorted data they require.
    """
    target = _target(target)
    if match_mode not in (-1, 0, 1, 2) or search_mode not in (-2, -1, 1, 2):
        raise Failure(VALUE)
    last = search_mode == -1
    if match_mode == 2:
        return found.exact(target, last=last)
    return found.nearest(target, match_mode, last=last)


def _modes(match_mode: Scalar | Array, search_mode: Scalar | Array) -> tuple[int, int]:
    return (integer(scalar(match_mode)) if match_mode is not None else 0,
            integer(scalar(search_mode)) if search_mode is not None else 1)


@register("XMATCH", arrays=True)
def xmatch(target: Scalar | Array, where: Scalar | Array, match_mode: Scalar | Array = 0.0,
           search_mode: Scalar | Array = 1.0) -> Value:
    """XMATCH: the 1-based position, with XLOOKUP's match and search modes."""
    found = _vector(where)
    modes = _modes(match_mode, search_mode)

    def position(value: Scalar) -> Scalar:
        at = _xsearch(found, value, *modes)
        if at is None:
            raise Failure(NA)
        return float(at + 1)

    return _each(target, position)


@register("XLOOKUP", arrays=True)
def xlookup(target: Scalar | Array, where: Scalar | Array, results: Scalar | Array, missing: Scalar | Array = None,
            match_mode: Scalar | Array = 0.0, search_mode: Scalar | Array = 1.0) -> Value:
    """XLOOKUP: the row (or column) of ``results`` where the lookup value is found, else ``missing`` or #N/A."""
    where_array, array = grid(where), grid(results)
    found = _vector(where)
    vertical = len(where_array) > 1 or (len(array) == len(found.items) != 1)
    if (len(array) if vertical else len(array[0])) != len(found.items):
        raise Failure(VALUE)
    at = _xsearch(found, scalar(target) if isinstance(target, list) else target, *_modes(match_mode, search_mode))
    if at is None:
        if missing is None:
            raise Failure(NA)
        return missing
    picked = [array[at]] if vertical else [[row[at]] for row in array]
    return picked[0][0] if len(picked) == 1 and len(picked[0]) == 1 else picked
