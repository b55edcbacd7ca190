"""Evaluate every formula of a workbook in dependency order.

Formulas are parsed once into a syntax tree and compiled into nested Python closures. The
dependency graph comes from the references each formula names (ranges, defined names);
Tarjan's algorithm orders it and finds circular references. A formula that spills a dynamic
array into cells other formulas read is ordered before them on a second pass.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from jbjr_budget.formula_engine import parser as p
from jbjr_budget.formula_engine.functions import NOT_SUPPORTED, REGISTRY, bind, bind_custom
from jbjr_budget.formula_engine.operators import BINARY, broadcast, negate, percent
from jbjr_budget.formula_engine.values import NAME, REF, VALUE, Array, ExcelError, Ref, Scalar, Value
from jbjr_budget.formula_engine.xlsx_package import Book, FormulaSpec, cell_address, split_address

__all__ = ["Evaluator", "FunctionRegistry", "Issue"]

FunctionRegistry: TypeAlias = Mapping[str, Callable[..., object]]
Thunk: TypeAlias = Callable[[], Value]

CIRCULAR = ExcelError("#VALUE!", "kringverwijzing")
SPILL = ExcelError("#SPILL!", "overloopbereik is niet leeg")
Parsed: TypeAlias = tuple[p.Node | p.FormulaSyntaxError, int, int]
# Per process, shared by every workbook it evaluates: copies of one formula are parsed once.
_AT: dict[tuple[str, int, int], Parsed] = {}
_RELATIVE: dict[tuple[object, ...], Parsed] = {}
_SUBTOTAL = re.compile(r"\b(?:_xlfn\.)?(?:SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)


def key_of(sheet: int, row: int, col: int) -> int:
    """One integer per cell, for fast dictionaries."""
    return (sheet << 36) | (row << 15) | col


def position_of(key: int) -> tuple[int, int, int]:
    """Inverse of :func:`key_of`."""
    return key >> 36, (key >> 15) & 0x1FFFFF, key & 0x7FFF


@dataclass(frozen=True, slots=True)
class Issue:
    """Something wrong with one cell; ``fatal`` issues mean the value could not be computed faithfully."""

    sheet: str
    address: str
    kind: str
    detail: str = ""
    fatal: bool = True

    def __str__(self) -> str:
        """The Dutch report line, e.g. ``Blad 'Begroting', cel C7: kringverwijzing``."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"Blad '{self.sheet}', cel {self.address}: {self.kind}{detail}"


@dataclass(slots=True)
class _Cell:
    key: int
    fn: Thunk
    refs: list[Ref]
    spills: bool
    issues: list[Issue] = field(default_factory=list)
    volatile: bool = False


def _parse(text: str, row: int = 0, col: int = 0) -> tuple[p.Node, tuple[int, int]]:
    """The syntax tree of a formula in cell (row, col), and the offset to compile it with.

    The tree may come from a copy of the formula elsewhere; the offset moves its relative references.
    """
    parsed = _AT.get((text, row, col))
    if parsed is None:
        try:
            tokens = p.tokenize(text)
        except p.FormulaSyntaxError as exc:
            parsed = (exc, row, col)
        else:
            key = p.relative_key(tokens, row, col)
            parsed = _RELATIVE.get(key)
            if parsed is None:
                try:
                    parsed = (p.parse_tokens(tokens), row, col)
                except p.FormulaSyntaxError as exc:
                    parsed = (exc, row, col)
                _RELATIVE[key] = parsed
        _AT[(text, row, col)] = parsed
    node, home_row, home_col = parsed
    if isinstance(node, p.FormulaSyntaxError):
        raise node
    return node, (row - home_row, col - home_col)


class Evaluator:
    """Recalculates one workbook; ``functions`` maps extra function names (JBJR_...) to Python callables."""

    def __init__(self, book: Book, functions: FunctionRegistry | None = None) -> None:
        """Prepare ``book``; ``functions`` None means ``udfs.EXCEL_FUNCTIONS`` (imported when first needed)."""
        self.book = book
        self._functions = functions
        self.sheet_ids = {sheet.name.upper(): index for index, sheet in enumerate(book.sheets)}
        self.initial: dict[int, Scalar] = {}
        self.store: dict[int, Scalar] = {}
        self.cells: dict[int, _Cell] = {}
        self.results: dict[int, Scalar] = {}
        self.spills: dict[int, Ref] = {}
        self.spilled: dict[int, Scalar] = {}
        self.issues: list[Issue] = []
        self.current = 0
        self.max_row = self.max_col = 1
        self.stale: set[int] = set()
        self._arrays: dict[Ref, Array] = {}
        self._owners: dict[int, int] = {}
        self._columns: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self._read_ahead = False

    # -- public ------------------------------------------------------------------------------------

    def run(self) -> None:
        """Compile and evaluate every formula; results land in ``results`` and ``spilled``."""
        self._load()
        for _ in range(3):
            order, cyclic = self._order()
            self._evaluate(order, cyclic)
            if not self._misordered_spills(order) and not self._read_ahead:
                break
        for cell in self.cells.values():
            self.issues.extend(cell.issues)

    def custom_function(self, name: str) -> Callable[..., object] | None:
        """An extra (JBJR) function; by default from ``udfs.EXCEL_FUNCTIONS``, imported on first JBJR_ name."""
        if self._functions is None:
            if not name.startswith("JBJR_"):
                return None
            try:
                self._functions = importlib.import_module("udfs").EXCEL_FUNCTIONS
            except (ImportError, AttributeError):
                self._functions = {}
        return self._functions.get(name)

    def release(self) -> None:
        """Drop the compiled closures (they refer back to the evaluator), so memory frees without a GC pass."""
        self.cells.clear()
        self._arrays.clear()

    def describe(self, key: int) -> tuple[str, str]:
        """Sheet name and address of a cell key."""
        sheet, row, col = position_of(key)
        return self.book.sheets[sheet].name, cell_address(row, col)

    def note(self, kind: str, detail: str = "", *, fatal: bool = True) -> None:
        """Record an issue for the cell being evaluated."""
        cell = self.cells.get(self.current)
        if cell is not None and not any(i.kind == kind and i.detail == detail for i in cell.issues):
            cell.issues.append(Issue(*self.describe(self.current), kind, detail, fatal))

    # -- values for functions ----------------------------------------------------------------------

    def cell(self, sheet: int, row: int, col: int) -> Scalar:
        """The current value of one cell (``None`` when blank)."""
        return self.store.get(key_of(sheet, row, col))

    def array(self, ref: Ref) -> Array:
        """The values of a range; whole columns and rows are trimmed to the used area of the workbook."""
        cached = self._arrays.get(ref)
        if cached is not None:
            return cached
        r2 = min(ref.r2, max(self.max_row, ref.r1)) if ref.r2 == p.MAX_ROW else ref.r2
        c2 = min(ref.c2, max(self.max_col, ref.c1)) if ref.c2 == p.MAX_COL else ref.c2
        get = self.store.get
        base = ref.sheet << 36
        cached = [[get(base | (row << 15) | col) for col in range(ref.c1, c2 + 1)] for row in range(ref.r1, r2 + 1)]
        self._arrays[ref] = cached
        return cached

    def value(self, value: Value) -> Scalar | Array:
        """A reference turned into its value (one cell) or array (a range)."""
        if isinstance(value, Ref):
            if value.r1 == value.r2 and value.c1 == value.c2:
                return self.store.get(key_of(value.sheet, value.r1, value.c1))
            return self.array(value)
        return value

    def spill_range(self, ref: Ref) -> Ref:
        """The range a dynamic-array formula spilled into (``A1#``)."""
        return self.spills.get(key_of(ref.sheet, ref.r1, ref.c1), Ref(ref.sheet, ref.r1, ref.c1, ref.r1, ref.c1))

    # -- the context reference-taking functions see (functions.Context) ----------------------------------

    @property
    def position(self) -> tuple[int, int, int]:
        """Sheet index, row and column of the formula being evaluated."""
        return position_of(self.current)

    def reference(self, text: str) -> Ref | ExcelError:
        """The range an A1-style text names (``Blad!B2:C3`` or a defined name), as INDIRECT reads it."""
        try:
            node = p.parse(text)
        except p.FormulaSyntaxError:
            return REF
        if isinstance(node, p.Name):
            scope = self.position[0] if node.sheet is None else self.sheet_ids.get(node.sheet.upper())
            target = self.book.names.get((scope, node.name.upper())) or self.book.names.get((None, node.name.upper()))
            return self.reference(target) if target else REF
        if not isinstance(node, p.Reference):
            return REF
        sheet = self.position[0] if node.sheet is None else self.sheet_ids.get(node.sheet.upper())
        return REF if sheet is None else Ref(sheet, node.r1, node.c1, node.r2, node.c2)

    def track(self, ref: Ref) -> None:
        """Add a range the formula computed (OFFSET, INDIRECT) to its dependencies.

        When a formula in that range has not been evaluated yet, :meth:`run` orders and evaluates again.
        """
        cell = self.cells.get(self.current)
        if cell is None or ref in cell.refs:
            return
        cell.refs.append(ref)
        self._read_ahead = self._read_ahead or any(owner not in self.results for owner in self._owners_in(ref))

    def is_subtotal(self, sheet: int, row: int, col: int) -> bool:
        """Whether the cell holds a SUBTOTAL or AGGREGATE formula (SUBTOTAL skips those)."""
        spec = self.book.sheets[sheet].formulas.get((row, col))
        return spec is not None and _SUBTOTAL.search(spec.text) is not None

    # -- loading and compiling ---------------------------------------------------------------------

    def _load(self) -> None:
        areas: list[tuple[int, Ref]] = []
        for index, sheet in enumerate(self.book.sheets):
            for (row, col), value in sheet.values.items():
                self.initial[key_of(index, row, col)] = value
            for (row, col), spec in sheet.formulas.items():
                key = key_of(index, row, col)
                self.cells[key] = self._compile_cell(key, index, row, col, spec)
                if spec.kind == "array" and spec.ref and ":" in spec.ref:
                    (r1, c1), (r2, c2) = (split_address(part) for part in spec.ref.split(":"))
                    areas.append((key, Ref(index, r1, c1, r2, c2)))
        for anchor, area in areas:
            self._own(anchor, area)
        for key in self.cells:
            self._add_owner(key, key)
        keys = [*self.initial, *self.cells]
        self.max_row = max((position_of(k)[1] for k in keys), default=1)
        self.max_col = max((position_of(k)[2] for k in keys), default=1)

    def _own(self, anchor: int, area: Ref) -> None:
        """Make ``anchor`` the owner of every cell of its spill area, removing stale spilled values."""
        for row in range(area.r1, area.r2 + 1):
            for col in range(area.c1, area.c2 + 1):
                key = key_of(area.sheet, row, col)
                if key != anchor and key not in self.cells:
                    if self.initial.pop(key, None) is not None:
                        self.stale.add(key)
                    self._add_owner(key, anchor)

    def _add_owner(self, key: int, owner: int) -> None:
        sheet, row, col = position_of(key)
        self._owners[key] = owner
        bisect.insort(self._columns.setdefault(sheet, {}).setdefault(col, []), (row, owner))

    def _compile_cell(self, key: int, sheet: int, row: int, col: int, spec: FormulaSpec) -> _Cell:
        cell = _Cell(key, lambda: VALUE, [], spec.kind == "array")
        self.cells[key] = cell
        self.current = key
        if spec.kind == "dataTable":
            self.note("niet ondersteund", "gegevenstabel (wat-als-analyse)")
            return cell
        try:
            node, offset = _parse(spec.text, row - spec.offset[0], col - spec.offset[1])
        except p.FormulaSyntaxError as exc:
            self.note("formule niet te lezen", f"{spec.text}: {exc}")
            return cell
        compiler = _Compiler(self, sheet, (offset[0] + spec.offset[0], offset[1] + spec.offset[1]))
        cell.fn = compiler.compile(node)
        cell.refs = compiler.refs
        cell.volatile = compiler.volatile
        return cell

    # -- ordering ----------------------------------------------------------------------------------

    def _owners_in(self, ref: Ref) -> set[int]:
        """The formulas whose cells (their own or spilled) lie in ``ref``."""
        if ref.r1 == ref.r2 and ref.c1 == ref.c2:
            owner = self._owners.get(key_of(ref.sheet, ref.r1, ref.c1))
            return set() if owner is None else {owner}
        found: set[int] = set()
        for col, rows in self._columns.get(ref.sheet, {}).items():
            if ref.c1 <= col <= ref.c2:
                low = bisect.bisect_left(rows, (ref.r1, -1))
                high = bisect.bisect_right(rows, (ref.r2, 1 << 62))
                found.update(owner for _, owner in rows[low:high])
        return found

    def _dependencies(self, cell: _Cell) -> list[int]:
        found: set[int] = set()
        for ref in cell.refs:
            found.update(self._owners_in(ref))
        sheet, row, col = position_of(cell.key)
        if not any(r.sheet == sheet and r.r1 <= row <= r.r2 and r.c1 <= col <= r.c2 for r in cell.refs):
            found.discard(cell.key)  # reading its own spill area is no circular reference
        return list(found)

    def _order(self) -> tuple[list[int], set[int]]:
        """Cells in dependency order (Tarjan, iterative) and the cells on a circular path."""
        deps = {key: self._dependencies(cell) for key, cell in self.cells.items()}
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        stack: list[int] = []
        on_stack: set[int] = set()
        order: list[int] = []
        cyclic: set[int] = set()
        for root, root_deps in deps.items():
            if root in index:
                continue
            index[root] = low[root] = len(index)
            stack.append(root)
            on_stack.add(root)
            work = [(root, iter(root_deps))]
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
                        if len(component) > 1 or node in deps[node]:
                            cyclic.update(component)
                        order.extend(component)
        return order, cyclic

    # -- evaluation --------------------------------------------------------------------------------

    def _evaluate(self, order: list[int], cyclic: set[int]) -> None:
        self._read_ahead = False
        self.store = dict(self.initial)
        self.results.clear()
        self.spills.clear()
        self.spilled.clear()
        self._arrays.clear()
        for cell in self.cells.values():
            cell.issues = [issue for issue in cell.issues if issue.kind != "kringverwijzing"]
        for key in order:
            self.current = key
            if key in cyclic:
                self.note("kringverwijzing")
                self._store(key, CIRCULAR)
                continue
            try:
                result = self.value(self.cells[key].fn())
            except RecursionError:
                self.note("formule te diep genest")
                result = VALUE
            except Exception as exc:  # one bad formula must not stop the workbook
                self.note("formule niet te berekenen", f"{type(exc).__name__}: {exc}")
                result = VALUE
            self._store(key, result)

    def _store(self, key: int, result: Scalar | Array) -> None:
        if isinstance(result, list):
            result = result[0][0] if len(result) == 1 and len(result[0]) == 1 else self._spill(key, result)
        value = 0.0 if result is None else result
        self.store[key] = self.results[key] = value

    def _spill(self, key: int, array: Array) -> Scalar:
        sheet, row, col = position_of(key)
        targets = [(key_of(sheet, row + i, col + j), item)
                   for i, line in enumerate(array) for j, item in enumerate(line) if i or j]
        if any(t in self.cells or self.initial.get(t) is not None or t in self.spilled for t, _ in targets):
            return SPILL
        for target, item in targets:
            self.store[target] = self.spilled[target] = item
        self.spills[key] = Ref(sheet, row, col, row + len(array) - 1, col + len(array[0]) - 1)
        self.max_row = max(self.max_row, row + len(array) - 1)
        self.max_col = max(self.max_col, col + len(array[0]) - 1)
        return array[0][0]

    def _misordered_spills(self, order: list[int]) -> bool:
        """Register new spill areas; whether a formula read one of them before it was filled."""
        position = {key: index for index, key in enumerate(order)}
        misordered = False
        for anchor, area in self.spills.items():
            if all(self._owners.get(key_of(area.sheet, r, c)) == anchor
                   for r in range(area.r1, area.r2 + 1) for c in range(area.c1, area.c2 + 1)
                   if key_of(area.sheet, r, c) != anchor):
                continue
            self._own(anchor, area)
            misordered = misordered or any(
                position[cell.key] < position[anchor] and any(_overlaps(ref, area) for ref in cell.refs)
                for cell in self.cells.values())
        return misordered


def _overlaps(a: Ref, b: Ref) -> bool:
    return a.sheet == b.sheet and a.r1 <= b.r2 and b.r1 <= a.r2 and a.c1 <= b.c2 and b.c1 <= a.c2


class _Compiler:
    """Turns a syntax tree into closures for one cell, collecting the ranges it reads."""

    def __init__(self, evaluator: Evaluator, sheet: int, offset: tuple[int, int]) -> None:
        self.ev = evaluator
        self.sheet = sheet
        self.offset = offset
        self.refs: list[Ref] = []
        self.volatile = False
        self._names: set[tuple[int | None, str]] = set()

    def compile(self, node: p.Node) -> Thunk:  # noqa: PLR0911 - one branch per node type
        """A closure computing ``node``."""
        if isinstance(node, p.Constant):
            constant = node.value
            return lambda: constant
        if isinstance(node, p.Reference):
            return self._reference(node)
        if isinstance(node, p.Name):
            return self._name(node)
        if isinstance(node, p.Call):
            return self._call(node)
        if isinstance(node, p.Binary):
            return self._binary(node)
        if isinstance(node, p.Unary):
            return self._unary(node)
        if isinstance(node, p.ConstantArray):
            array: Array = [list(row) for row in node.rows]
            return lambda: array
        return lambda: None

    def _reference(self, node: p.Reference) -> Thunk:
        sheet = self.sheet if node.sheet is None else self.ev.sheet_ids.get(node.sheet.upper())
        if sheet is None:
            self.ev.note("verwijzing naar onbekend blad", str(node.sheet))
            return lambda: REF
        dr, dc = self.offset
        r1_abs, c1_abs, r2_abs, c2_abs = node.absolute
        ref = Ref(sheet, node.r1 + (0 if r1_abs else dr), node.c1 + (0 if c1_abs else dc),
                  node.r2 + (0 if r2_abs else dr), node.c2 + (0 if c2_abs else dc))
        if ref.r1 < 1 or ref.c1 < 1 or ref.r2 > p.MAX_ROW or ref.c2 > p.MAX_COL:
            return lambda: REF
        self.refs.append(ref)
        return lambda: ref

    def _name(self, node: p.Name) -> Thunk:
        scope = self.sheet if node.sheet is None else self.ev.sheet_ids.get(node.sheet.upper())
        upper = node.name.upper()
        names = self.ev.book.names
        key = (scope, upper) if (scope, upper) in names else (None, upper)
        if key not in names or key in self._names:
            self.ev.note("onbekende naam", node.name)
            return lambda: NAME
        try:
            tree = _parse(names[key])[0]
        except p.FormulaSyntaxError:
            self.ev.note("naam niet te lezen", f"{node.name} = {names[key]}")
            return lambda: VALUE
        self._names.add(key)
        outer = self.offset
        self.offset = (0, 0)
        try:
            return self.compile(tree)
        finally:
            self.offset = outer
            self._names.discard(key)

    def _call(self, node: p.Call) -> Thunk:
        spec = REGISTRY.get(node.name)
        given = list(node.args)
        while given and isinstance(given[-1], p.Missing) and spec is None:
            given.pop()  # custom functions use their own defaults for omitted trailing arguments
        args = [self.compile(arg) if not isinstance(arg, p.Missing) else _missing for arg in given]
        ev = self.ev
        if node.name == "ANCHORARRAY" and len(args) == 1:
            target = args[0]
            return lambda: _anchor(ev, target())
        if spec is not None:
            self.volatile = self.volatile or spec.volatile
            return bind(spec, ev, args)
        custom = self.ev.custom_function(node.name)
        if custom is not None:
            return bind_custom(ev, node.name, custom, args)
        if node.name in NOT_SUPPORTED:
            self.ev.note("functie niet ondersteund", node.name)
        else:
            self.ev.note("onbekende functie", node.name)
        return lambda: NAME

    def _binary(self, node: p.Binary) -> Thunk:
        start = len(self.refs)
        left, right = self.compile(node.left), self.compile(node.right)
        ev = self.ev
        if node.op == ":":
            self._bounding(self.refs[start:])
            return lambda: _range(left(), right())
        op = BINARY[node.op]

        def apply() -> Value:
            a, b = ev.value(left()), ev.value(right())
            if isinstance(a, list) or isinstance(b, list):
                return broadcast(op, a, b)
            return op(a, b)

        return apply

    def _bounding(self, refs: list[Ref]) -> None:
        """For ``A1:INDEX(A:A, n)`` the formula depends on the box around both sides' references."""
        if refs and all(ref.sheet == refs[0].sheet for ref in refs):
            self.refs.append(Ref(refs[0].sheet, min(r.r1 for r in refs), min(r.c1 for r in refs),
                                 max(r.r2 for r in refs), max(r.c2 for r in refs)))

    def _unary(self, node: p.Unary) -> Thunk:
        operand = self.compile(node.operand)
        ev = self.ev
        if node.op == "+":
            return operand
        function = negate if node.op == "-" else percent

        def apply() -> Value:
            value = ev.value(operand())
            if isinstance(value, list):
                return [[function(item) for item in row] for row in value]
            return function(value)

        return apply


def _missing() -> Value:
    return None


def _anchor(ev: Evaluator, target: Value) -> Value:
    return ev.spill_range(target) if isinstance(target, Ref) else REF


def _range(left: Value, right: Value) -> Value:
    if isinstance(left, ExcelError):
        return left
    if isinstance(right, ExcelError):
        return right
    if not isinstance(left, Ref) or not isinstance(right, Ref) or left.sheet != right.sheet:
        return VALUE
    return Ref(left.sheet, min(left.r1, right.r1), min(left.c1, right.c1), max(left.r2, right.r2),
               max(left.c2, right.c2))
