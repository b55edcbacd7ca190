"""Reference functions: INDEX, ROW, COLUMN, ROWS, COLUMNS and CHOOSE; they see ranges as references."""

from __future__ import annotations

from jbjr_budget.formula_engine.functions.coerce import grid, integer, scalar
from jbjr_budget.formula_engine.functions.registry import Context, Failure, Thunk, register, resolve
from jbjr_budget.formula_engine.values import REF, VALUE, Ref, Scalar, Value

__all__: list[str] = []


def _shape(context: Context, source: Value) -> tuple[int, int]:
    if isinstance(source, Ref):
        return source.shape
    array = grid(resolve(context, source))
    return len(array), len(array[0])


@register("INDEX", references=True)
def index(context: Context, source: Value, row: Value = None, column: Value = None) -> Value:
    """INDEX: a reference into a range (so ``A1:INDEX(...)`` works), or an element of an array."""
    rows, cols = _shape(context, source)
    r = integer(scalar(resolve(context, row))) if row is not None else 0
    c = integer(scalar(resolve(context, column))) if column is not None else 0
    if column is None and rows == 1 and cols > 1:
        r, c = 1, r
    if r < 0 or c < 0 or r > rows or c > cols:
        raise Failure(REF)
    if isinstance(source, Ref):
        return Ref(source.sheet, source.r1 + r - 1 if r else source.r1, source.c1 + c - 1 if c else source.c1,
                   source.r1 + r - 1 if r else source.r2, source.c1 + c - 1 if c else source.c2)
    array = grid(resolve(context, source))
    picked = [line for i, line in enumerate(array) if not r or i == r - 1]
    picked = [[item for j, item in enumerate(line) if not c or j == c - 1] for line in picked]
    return picked[0][0] if len(picked) == 1 and len(picked[0]) == 1 else picked


@register("ROW", references=True)
def row_(context: Context, ref: Value = None) -> Value:
    """ROW: of the formula's cell, or of each row of a range."""
    if ref is None:
        return float(context.position[1])
    if not isinstance(ref, Ref):
        raise Failure(VALUE)
    return float(ref.r1) if ref.r1 == ref.r2 else [[float(r)] for r in range(ref.r1, ref.r2 + 1)]


@register("COLUMN", references=True)
def column_(context: Context, ref: Value = None) -> Value:
    """COLUMN: of the formula's cell, or of each column of a range."""
    if ref is None:
        return float(context.position[2])
    if not isinstance(ref, Ref):
        raise Failure(VALUE)
    return float(ref.c1) if ref.c1 == ref.c2 else [[float(c) for c in range(ref.c1, ref.c2 + 1)]]


@register("ROWS", references=True)
def rows_(context: Context, source: Value) -> Scalar:
    """ROWS."""
    return float(_shape(context, source)[0])


@register("COLUMNS", references=True)
def columns_(context: Context, source: Value) -> Scalar:
    """COLUMNS."""
    return float(_shape(context, source)[1])


@register("CHOOSE", lazy=True)
def choose(position: Thunk, *options: Thunk) -> Thunk:
    """CHOOSE: the chosen argument itself (a reference stays one)."""
    chosen = integer(scalar(position()))
    if not 1 <= chosen <= len(options):
        raise Failure(VALUE)
    return options[chosen - 1]
