"""Reference functions: INDEX, ROW, COLUMN, ROWS, COLUMNS, CHOOSE, OFFSET, INDIRECT; they see ranges as references.

OFFSET and INDIRECT are volatile in Excel, but their values depend only on the workbook: they are
not flagged volatile here (``--controleer`` checks them); the ranges they compute become dependencies.
"""

from __future__ import annotations

import re

from jbjr_budget.formula_engine.functions.coerce import grid, integer, logical, scalar, text
from jbjr_budget.formula_engine.functions.registry import Context, Failure, Thunk, register, resolve
from jbjr_budget.formula_engine.syntax import MAX_COL, MAX_ROW
from jbjr_budget.formula_engine.values import NA, REF, VALUE, ExcelError, Ref, Scalar, Value

__all__: list[str] = []


def _shape(context: Context, source: Value) -> tuple[int, int]:
    if isinstance(source, Ref):
        return source.shape
    array = grid(resolve(context, source))
    return len(array), len(array[0])


@register("INDEX", references=True)
def index(context: Context, source: Value, row: Value = None, column: Value = None) -> Value:
    """INDEX: a reference into a range (so ``A1:INDEX(...)`` works), or an element of an array."""
    if isinstance(source, ExcelError):
        return source
    rows, cols = _shape(context, source)
    r = integer(scalar(resolve(context, row))) if row is not None else 0
    c = integer(scalar(resolve(context, column))) if column is not None else 0
    if column is None and rows == 1 and cols > 1:
        r, c = 1, r
    if r < 0 or c < 0:
        raise Failure(VALUE)
    if r > rows or c > cols:
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


def _area(context: Context, ref: Ref) -> Ref:
    """``ref`` if it lies on the sheet, else #REF!; the formula now depends on it."""
    if ref.r1 < 1 or ref.c1 < 1 or ref.r2 > MAX_ROW or ref.c2 > MAX_COL:
        raise Failure(REF)
    context.track(ref)
    return ref


@register("OFFSET", references=True)
def offset(context: Context, base: Value, rows: Value, cols: Value, height: Value = None,
           width: Value = None) -> Ref:
    """OFFSET: a range moved by rows and columns, optionally resized."""
    if not isinstance(base, Ref):
        raise Failure(VALUE)
    down, right = integer(scalar(resolve(context, rows))), integer(scalar(resolve(context, cols)))
    tall = integer(scalar(resolve(context, height))) if height is not None else base.shape[0]
    wide = integer(scalar(resolve(context, width))) if width is not None else base.shape[1]
    if tall == 0 or wide == 0:
        raise Failure(REF)
    r1, c1 = base.r1 + down, base.c1 + right
    r2, c2 = r1 + tall - (1 if tall > 0 else -1), c1 + wide - (1 if wide > 0 else -1)
    return _area(context, Ref(base.sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))


_R1C1 = re.compile(r"R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?", re.IGNORECASE)


def _r1c1(part: str, here: tuple[int, int]) -> tuple[int, int]:
    """Row and column of one R1C1 cell such as ``R2C3`` or ``R[-1]C`` (relative to ``here``)."""
    match = _R1C1.fullmatch(part)
    if match is None:
        raise Failure(REF)
    found = []
    for given, origin in zip(match.groups(), here, strict=True):
        if given is None:
            found.append(origin)
        elif given.startswith("["):
            found.append(origin + int(given[1:-1]))
        else:
            found.append(int(given))
    return found[0], found[1]


@register("INDIRECT", references=True)
def indirect(context: Context, address: Value, a1: Value = True) -> Ref:
    """INDIRECT: the range a text names, in A1 style or (``a1`` FALSE) R1C1 style."""
    spelled = text(scalar(resolve(context, address))).strip()
    if a1 is None or logical(scalar(resolve(context, a1))):
        found = context.reference(spelled)
        if isinstance(found, ExcelError):
            raise Failure(found)
        return _area(context, found)
    sheet_name, _, cells = spelled.rpartition("!")
    sheet = context.position[0]
    if sheet_name:
        named = context.reference(f"{sheet_name}!A1")
        if isinstance(named, ExcelError):
            raise Failure(named)
        sheet = named.sheet
    here = context.position[1:]
    first, _, last = cells.partition(":")
    (r1, c1), (r2, c2) = _r1c1(first, here), _r1c1(last or first, here)
    return _area(context, Ref(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))


@register("FORMULATEXT", references=True)
def formulatext(context: Context, ref: Value) -> Scalar:
    """FORMULATEXT: the formula of the referenced cell as text; a cell without one is #N/A."""
    if not isinstance(ref, Ref):
        raise Failure(VALUE if not isinstance(ref, ExcelError) else ref)
    shown = context.formula_text(ref.sheet, ref.r1, ref.c1)
    if shown is None:
        raise Failure(NA)
    return shown
