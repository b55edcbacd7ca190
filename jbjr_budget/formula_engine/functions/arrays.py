"""Dynamic arrays: SEQUENCE, RANDARRAY, TRANSPOSE, FILTER, SORT, SORTBY, UNIQUE and the shaping functions.

Their results spill. Blank cells they pass on come out as 0, as Excel shows them; an empty result is
#CALC! unless the function has a value for it.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from jbjr_budget.formula_engine.functions.coerce import grid, integer, logical, num, scalar
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NA, VALUE, Array, ExcelError, Scalar, to_bool

__all__: list[str] = []

CALC = ExcelError("#CALC!")


def _filled(array: Array) -> Array:
    if not array or not array[0]:
        raise Failure(CALC)
    return [[0.0 if item is None else item for item in row] for row in array]


def _flag(value: Scalar | Array, default: bool = False) -> bool:
    return default if value is None else logical(scalar(value))


def _count(value: Scalar | Array, default: int = 1) -> int:
    return default if value is None else integer(scalar(value))


@register("SEQUENCE", arrays=True)
def sequence(rows: Scalar | Array, columns: Scalar | Array = 1.0, start: Scalar | Array = 1.0,
             step: Scalar | Array = 1.0) -> Array:
    """SEQUENCE: numbers from ``start`` by ``step``, row by row."""
    height, width = _count(rows), _count(columns)
    first = 1.0 if start is None else num(scalar(start))
    increment = 1.0 if step is None else num(scalar(step))
    if height < 1 or width < 1:
        raise Failure(CALC)
    return [[first + (i * width + j) * increment for j in range(width)] for i in range(height)]


@register("RANDARRAY", arrays=True, volatile=True)
def randarray(rows: Scalar | Array = 1.0, columns: Scalar | Array = 1.0, low: Scalar | Array = 0.0,
              high: Scalar | Array = 1.0, whole: Scalar | Array = False) -> Array:
    """RANDARRAY: random numbers from ``low`` to ``high``, whole numbers if asked."""
    height, width = _count(rows), _count(columns)
    bottom = 0.0 if low is None else num(scalar(low))
    top = 1.0 if high is None else num(scalar(high))
    if height < 1 or width < 1 or bottom > top:
        raise Failure(VALUE)
    if _flag(whole):
        return [[float(random.randint(int(bottom), int(top))) for _ in range(width)] for _ in range(height)]
    return [[bottom + random.random() * (top - bottom) for _ in range(width)] for _ in range(height)]


@register("TRANSPOSE", arrays=True)
def transpose(values: Scalar | Array) -> Array:
    """TRANSPOSE: rows become columns."""
    return _filled([list(column) for column in zip(*grid(values), strict=True)])


@register("FILTER", arrays=True)
def filter_(values: Scalar | Array, include: Scalar | Array, if_empty: Scalar | Array = None) -> Scalar | Array:
    """FILTER: the rows (or columns) where ``include`` is TRUE; none is ``if_empty`` or #CALC!."""
    array, mask = grid(values), grid(include)
    if len(mask[0]) == 1 and len(mask) == len(array):
        flags, by_row = [row[0] for row in mask], True
    elif len(mask) == 1 and len(mask[0]) == len(array[0]):
        flags, by_row = mask[0], False
    else:
        raise Failure(VALUE)
    chosen = []
    for flag in flags:
        kept = to_bool(flag)
        if isinstance(kept, ExcelError):
            raise Failure(kept)
        chosen.append(kept)
    picked = [row for row, keep in zip(array, chosen, strict=True) if keep] if by_row else \
        [[item for item, keep in zip(row, chosen, strict=True) if keep] for row in array]
    if not picked or not picked[0]:
        if if_empty is None:
            raise Failure(CALC)
        return if_empty
    return _filled(picked)


def _order_key(value: Scalar) -> tuple[int, float | str]:
    """Ascending order: numbers, text (without case), logicals, errors, blanks (last in either order)."""
    if value is None:
        return (4, 0.0)
    if isinstance(value, bool):
        return (2, float(value))
    if isinstance(value, float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.lower())
    return (3, 0.0)


def _sorted(array: Array, keys: list[tuple[list[Scalar], bool]]) -> Array:
    """The rows of ``array`` stably sorted by each (key column, descending) in turn, the first key first."""
    order = list(range(len(array)))
    for key, descending in reversed(keys):
        order.sort(key=lambda i, key=key: _order_key(key[i]), reverse=descending)  # type: ignore[misc]
        order.sort(key=lambda i, key=key: key[i] is None)  # type: ignore[misc]  # blanks last either way
    return [array[i] for i in order]


def _direction(value: Scalar | Array) -> bool:
    order = _count(value)
    if order not in (1, -1):
        raise Failure(VALUE)
    return order == -1


@register("SORT", arrays=True)
def sort(values: Scalar | Array, index: Scalar | Array = 1.0, order: Scalar | Array = 1.0,
         by_col: Scalar | Array = False) -> Array:
    """SORT: by the ``index``-th column (or row), ascending or (order -1) descending."""
    array = grid(values)
    across = _flag(by_col)
    rows = [list(column) for column in zip(*array, strict=True)] if across else array
    position = _count(index)
    if not 1 <= position <= len(rows[0]):
        raise Failure(VALUE)
    result = _sorted(rows, [([row[position - 1] for row in rows], _direction(order))])
    return _filled([list(column) for column in zip(*result, strict=True)] if across else result)


@register("SORTBY", arrays=True)
def sortby(values: Scalar | Array, *keys: Scalar | Array) -> Array:
    """SORTBY: by other rows or columns of the same length, each with an order."""
    array = grid(values)
    pairs: list[tuple[list[Scalar], bool]] = []
    across = False
    for index in range(0, len(keys), 2):
        key = grid(keys[index])
        across = len(key) == 1 and len(key[0]) == len(array[0]) and len(array[0]) > 1
        flat = key[0] if across else [row[0] for row in key]
        if len(flat) != (len(array[0]) if across else len(array)) or (len(key) > 1 and len(key[0]) > 1):
            raise Failure(VALUE)
        pairs.append((flat, _direction(keys[index + 1]) if index + 1 < len(keys) else False))
    rows = [list(column) for column in zip(*array, strict=True)] if across else array
    result = _sorted(rows, pairs)
    return _filled([list(column) for column in zip(*result, strict=True)] if across else result)


@register("UNIQUE", arrays=True)
def unique(values: Scalar | Array, by_col: Scalar | Array = False, exactly_once: Scalar | Array = False) -> Array:
    """UNIQUE: each distinct row (or column) once, text without case; or only those occurring once."""
    array = grid(values)
    across = _flag(by_col)
    rows = [list(column) for column in zip(*array, strict=True)] if across else array
    counts: dict[tuple[object, ...], int] = {}
    first: dict[tuple[object, ...], list[Scalar]] = {}
    for row in rows:
        key = tuple(_order_key(item) for item in row)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, row)
    once = _flag(exactly_once)
    result = [row for key, row in first.items() if not once or counts[key] == 1]
    if not result:
        raise Failure(CALC)
    return _filled([list(column) for column in zip(*result, strict=True)] if across else result)


# -- shaping -------------------------------------------------------------------------------------------

def _stack(arrays: tuple[Scalar | Array, ...], *, vertical: bool) -> Array:
    grids = [grid(array) if vertical else [list(c) for c in zip(*grid(array), strict=True)] for array in arrays]
    width = max(len(g[0]) for g in grids)
    stacked = [row + [NA] * (width - len(row)) for g in grids for row in g]
    return _filled(stacked if vertical else [list(column) for column in zip(*stacked, strict=True)])


@register("VSTACK", arrays=True)
def vstack(*arrays: Scalar | Array) -> Array:
    """VSTACK: arrays one below the other, short rows padded with #N/A."""
    return _stack(arrays, vertical=True)


@register("HSTACK", arrays=True)
def hstack(*arrays: Scalar | Array) -> Array:
    """HSTACK: arrays side by side, short columns padded with #N/A."""
    return _stack(arrays, vertical=False)


def _line(values: Scalar | Array, ignore: Scalar | Array, by_col: Scalar | Array) -> list[Scalar]:
    array = grid(values)
    if _flag(by_col):
        array = [list(column) for column in zip(*array, strict=True)]
    skip = _count(ignore, 0)
    if not 0 <= skip <= 3:
        raise Failure(VALUE)
    return [item for row in array for item in row
            if not (skip in (1, 3) and item is None) and not (skip in (2, 3) and isinstance(item, ExcelError))]


@register("TOCOL", arrays=True)
def tocol(values: Scalar | Array, ignore: Scalar | Array = 0.0, by_col: Scalar | Array = False) -> Array:
    """TOCOL: every element in one column (ignore 1 blanks, 2 errors, 3 both)."""
    return _filled([[item] for item in _line(values, ignore, by_col)])


@register("TOROW", arrays=True)
def torow(values: Scalar | Array, ignore: Scalar | Array = 0.0, by_col: Scalar | Array = False) -> Array:
    """TOROW: every element in one row (ignore 1 blanks, 2 errors, 3 both)."""
    return _filled([_line(values, ignore, by_col)])


def _part(items: list[Scalar] | Array, count: Scalar | Array, take: bool) -> slice:
    if count is None:
        return slice(None)
    n = integer(scalar(count))
    if take:
        return slice(None, n) if n >= 0 else slice(max(len(items) + n, 0), None)
    return slice(n, None) if n >= 0 else slice(None, max(len(items) + n, 0))


def _cut(values: Scalar | Array, rows: Scalar | Array, columns: Scalar | Array, *, take: bool) -> Array:
    array = grid(values)
    chosen = array[_part(array, rows, take)]
    cut = _part(array[0], columns, take)
    return _filled([row[cut] for row in chosen])


@register("TAKE", arrays=True)
def take(values: Scalar | Array, rows: Scalar | Array, columns: Scalar | Array = None) -> Array:
    """TAKE: the first rows and columns (negative: the last)."""
    return _cut(values, rows, columns, take=True)


@register("DROP", arrays=True)
def drop(values: Scalar | Array, rows: Scalar | Array, columns: Scalar | Array = None) -> Array:
    """DROP: without the first rows and columns (negative: the last)."""
    return _cut(values, rows, columns, take=False)


def _choose(values: Scalar | Array, indexes: tuple[Scalar | Array, ...],
            pick: Callable[[Array, int], list[Scalar]], size: Callable[[Array], int]) -> list[list[Scalar]]:
    array = grid(values)
    chosen = []
    for item in (value for index in indexes for row in grid(index) for value in row):
        position = integer(item)
        if not 1 <= abs(position) <= size(array):
            raise Failure(VALUE)
        chosen.append(pick(array, position - 1 if position > 0 else size(array) + position))
    return chosen


@register("CHOOSEROWS", arrays=True)
def chooserows(values: Scalar | Array, *rows: Scalar | Array) -> Array:
    """CHOOSEROWS: the given rows (negative counts from the end)."""
    return _filled(_choose(values, rows, lambda array, i: array[i], len))


@register("CHOOSECOLS", arrays=True)
def choosecols(values: Scalar | Array, *columns: Scalar | Array) -> Array:
    """CHOOSECOLS: the given columns (negative counts from the end)."""
    picked = _choose(values, columns, lambda array, i: [row[i] for row in array], lambda array: len(array[0]))
    return _filled([list(row) for row in zip(*picked, strict=True)])
