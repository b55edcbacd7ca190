"""Compile one cell's syntax tree into nested Python closures, with Excel's file-format semantics.

A plain formula is evaluated as Excel evaluates a formula stored without array markup: where an
argument or operator wants one value, a range is implicitly intersected with the formula's row or
column (Excel 365 shows this as ``=@A:A``). Array formulas (legacy and dynamic) and array-class
arguments (``SUMPRODUCT``, ``INDEX``) keep ranges whole. While compiling, the compiler collects the
ranges a formula reads, for the dependency graph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from jbjr_budget.formula_engine import lambdas
from jbjr_budget.formula_engine import syntax as s
from jbjr_budget.formula_engine.areas import (
    find_table,
    intersect,
    intersect_range,
    intersection,
    range_between,
    table_area,
    top_left,
)
from jbjr_budget.formula_engine.functions import NOT_SUPPORTED, REGISTRY, bind, bind_custom
from jbjr_budget.formula_engine.operators import BINARY, LAST, broadcast, negate, percent
from jbjr_budget.formula_engine.parameter_classes import AGGREGATES, parameter_class
from jbjr_budget.formula_engine.parser import parse_at
from jbjr_budget.formula_engine.values import NAME, REF, VALUE, Array, ExcelError, Ref, Value

if TYPE_CHECKING:
    from jbjr_budget.formula_engine.evaluator import Evaluator

__all__ = ["Compiler", "Thunk"]

Thunk: TypeAlias = Callable[[], Value]


def _missing() -> Value:
    return None


def _constant(value: Value) -> Thunk:
    return lambda: value


class Compiler:
    """Turns a syntax tree into closures for the cell at (``row``, ``col``) of sheet number ``sheet``."""

    def __init__(self, evaluator: Evaluator, position: tuple[int, int, int], offset: tuple[int, int], *,
                 array: bool) -> None:
        """``offset`` moves relative references (a shared formula's copy); ``array`` marks an array formula."""
        self.ev = evaluator
        self.sheet, self.row, self.col = position
        self.offset = offset
        self.array = array
        self.refs: list[Ref] = []
        self.volatile = False
        self.custom = False  # calls a function the caller handed in (JBJR)
        self._wrap = False  # inside a defined name: relative references wrap around the sheet
        self.scope: dict[str, lambdas.Slot | lambdas.Lambda] = {}  # names bound by LET and LAMBDA
        self.lambdas: dict[str, lambdas.Lambda] = {}  # defined names holding a LAMBDA, compiled once
        self._names: set[tuple[int | None, str]] = set()

    def formula(self, node: s.Node) -> Thunk:
        """The closure for a whole formula: a plain formula computes one value."""
        return self.compile(node) if self.array else self.value(node)

    def compile(self, node: s.Node) -> Thunk:  # noqa: PLR0911 - one branch per node type
        """A closure computing ``node`` (a range stays a reference)."""
        if isinstance(node, s.Constant):
            return _constant(node.value)
        if isinstance(node, s.Reference | s.TableRef):
            return self._static(self._resolve(node))
        if isinstance(node, s.Name):
            return self._name(node, self.compile)
        if isinstance(node, s.Call):
            return self._call(node)
        if isinstance(node, s.Binary):
            return self._binary(node)
        if isinstance(node, s.Unary):
            return self._unary(node)
        if isinstance(node, s.ConstantArray):
            return _constant([list(row) for row in node.rows])
        return _missing

    def value(self, node: s.Node) -> Thunk:
        """A closure for an argument that takes one value: in a plain formula a range is intersected."""
        if self.array:
            return self.compile(node)
        if isinstance(node, s.Name):
            return self._name(node, self.value)
        if isinstance(node, s.Reference | s.TableRef):
            found = self._resolve(node)
            return self._static(intersect_range(found, self.row, self.col) if isinstance(found, Ref) else found)
        thunk = self.compile(node)
        if isinstance(node, s.Call) or (isinstance(node, s.Binary) and node.op in (":", " ")):
            row, col = self.row, self.col
            return lambda: intersect(thunk(), row, col)
        return thunk

    def _forced(self, node: s.Node) -> Thunk:
        """A closure for an array-class argument: evaluated as an array formula."""
        outer, self.array = self.array, True
        try:
            return self.compile(node)
        finally:
            self.array = outer

    # -- references ------------------------------------------------------------------------------

    def _static(self, found: Ref | ExcelError) -> Thunk:
        if isinstance(found, Ref):
            self.refs.append(found)
        return _constant(found)

    def _sheet(self, name: str | None) -> int | None:
        if name is None:
            return self.sheet
        found = self.ev.sheet_ids.get(name.upper())
        if found is None and name.startswith("["):
            self.ev.note("verwijzing naar een ander werkboek zonder bewaarde waarden", name)
        elif found is None:
            self.ev.note("verwijzing naar onbekend blad", name)
        return found

    def _resolve(self, node: s.Reference | s.TableRef) -> Ref | ExcelError:
        if isinstance(node, s.TableRef):
            return self._table(node)
        if node.last_sheet is not None:
            self.ev.note("3D-verwijzing alleen in SOM, AANTAL en dergelijke ondersteund", node.last_sheet)
            return VALUE
        sheet = self._sheet(node.sheet)
        return REF if sheet is None else self._moved(sheet, node)

    def _moved(self, sheet: int, node: s.Reference) -> Ref | ExcelError:
        dr, dc = self.offset
        r1_abs, c1_abs, r2_abs, c2_abs = node.absolute
        r1, c1 = node.r1 + (0 if r1_abs else dr), node.c1 + (0 if c1_abs else dc)
        r2, c2 = node.r2 + (0 if r2_abs else dr), node.c2 + (0 if c2_abs else dc)
        if self._wrap:
            r1, r2 = sorted(((r1 - 1) % s.MAX_ROW + 1, (r2 - 1) % s.MAX_ROW + 1))
            c1, c2 = sorted(((c1 - 1) % s.MAX_COL + 1, (c2 - 1) % s.MAX_COL + 1))
        if r1 < 1 or c1 < 1 or r2 > s.MAX_ROW or c2 > s.MAX_COL:
            return REF
        return Ref(sheet, r1, c1, r2, c2)

    def _table(self, node: s.TableRef) -> Ref | ExcelError:
        table = find_table(self.ev.book.tables, node.table, self.sheet, self.row, self.col)
        if table is None:
            self.ev.note("onbekende tabel", node.table or "(formule buiten een tabel)")
            return REF
        found = table_area(table, node.items, node.first, node.last, self.row)
        if isinstance(found, str):
            self.ev.note("tabelverwijzing", f"{table.name}: {found}", fatal=False)
            return VALUE if "THIS ROW" in node.items else REF
        return found

    def _areas(self, node: s.Node) -> list[Thunk] | None:
        """The parts of a union ``(A1:B2,D4)`` or 3D reference ``Jan:Mrt!B2``; None for anything else."""
        if isinstance(node, s.Binary) and node.op == ",":
            return (self._areas(node.left) or [self.compile(node.left)]) + \
                   (self._areas(node.right) or [self.compile(node.right)])
        if not isinstance(node, s.Reference) or node.last_sheet is None:
            return None
        first, last = self._sheet(node.sheet), self._sheet(node.last_sheet)
        if first is None or last is None:
            return [_constant(REF)]
        return [self._static(self._moved(sheet, node)) for sheet in range(min(first, last), max(first, last) + 1)]

    def _joined(self, areas: list[Thunk]) -> Thunk:
        """The values of several areas as one row (for LARGE((A1,C1,E1),2) and the like)."""
        ev = self.ev

        def values() -> Value:
            found: Array = []
            for area in areas:
                value = ev.value(area())
                found.extend(value if isinstance(value, list) else [[value]])
            return [[item for row in found for item in row]]

        return values

    def _name(self, node: s.Name, how: Callable[[s.Node], Thunk]) -> Thunk:
        bound = lambdas.local(self, node)
        if bound is not None:
            return bound
        upper = node.name.upper()
        names = self.ev.book.names
        if node.sheet is not None and node.sheet.startswith("["):  # [1]!Naam: a name in another workbook
            key: tuple[int | None, str] = (None, f"{node.sheet}!{upper}")
        else:
            scope = self._sheet(node.sheet) if node.sheet is not None else self.sheet
            key = (scope, upper) if (scope, upper) in names else (None, upper)
        if key not in names and upper in self.ev.book.tables:
            return how(s.TableRef(upper, (), None, None))
        if key not in names or key in self._names:
            self.ev.note("onbekende naam", node.name)
            return _constant(NAME)
        try:
            tree = parse_at(names[key])[0]
        except s.FormulaSyntaxError:
            self.ev.note("naam niet te lezen", f"{node.name} = {names[key]}")
            return _constant(VALUE)
        self._names.add(key)
        # A name's relative parts are stored as seen from A1 and wrap around the sheet (Sheet1!XFD1 used
        # in B1 is A1): relative to the cell that uses the name.
        outer, self.offset, self._wrap = (self.offset, self._wrap), (self.row - 1, self.col - 1), True
        try:
            return how(tree)
        finally:
            self.offset, self._wrap = outer
            self._names.discard(key)

    # -- calls and operators -----------------------------------------------------------------------

    def _arguments(self, name: str, given: list[s.Node], *, custom: bool) -> list[Thunk]:
        args: list[Thunk] = []
        for index, arg in enumerate(given):
            kind = parameter_class(name, index, custom=custom)
            areas = self._areas(arg)
            if isinstance(arg, s.Missing):
                args.append(_missing)
            elif areas is not None:
                if name in AGGREGATES:
                    args.extend(areas)
                elif kind == "R":
                    args.append(self._joined(areas))
                else:
                    self.ev.note("functie niet ondersteund", f"{name} met meervoudig bereik")
                    args.append(_constant(VALUE))
            elif kind == "V":
                args.append(self.value(arg))
            else:
                args.append(self._forced(arg) if kind == "A" else self.compile(arg))
        return args

    def _call(self, node: s.Call) -> Thunk:
        if node.name == "SINGLE" and len(node.args) == 1:
            return self._single(node.args[0])
        if node.name == "ANCHORARRAY" and len(node.args) == 1:
            target = self.compile(node.args[0])
            ev = self.ev
            return lambda: _anchor(ev, target())
        special = lambdas.compile_call(self, node)
        if special is not None:
            return special
        spec = REGISTRY.get(node.name)
        custom = None if spec else self.ev.custom_function(node.name)
        given = list(node.args)
        while given and isinstance(given[-1], s.Missing) and spec is None:
            given.pop()  # custom functions use their own defaults for omitted trailing arguments
        args = self._arguments(node.name, given, custom=custom is not None)
        if spec is not None:
            self.volatile = self.volatile or spec.volatile
            return bind(spec, self.ev, args)
        if custom is not None:
            self.custom = True
            return bind_custom(self.ev, node.name, custom, args)
        self.ev.note("functie niet ondersteund" if node.name in NOT_SUPPORTED else "onbekende functie", node.name)
        return _constant(NAME)

    def _single(self, node: s.Node) -> Thunk:
        """Excel's ``@`` (stored as ``_xlfn.SINGLE``): implicit intersection, even in an array formula."""
        outer, self.array = self.array, False
        try:
            thunk = self.value(node)
        finally:
            self.array = outer
        ev = self.ev
        return lambda: top_left(ev.value(thunk()))

    def _binary(self, node: s.Binary) -> Thunk:
        if node.op == ",":
            self.ev.note("functie niet ondersteund", "unie van bereiken buiten een functie")
            return _constant(VALUE)
        if node.op in (":", " "):
            start = len(self.refs)
            left, right = self.compile(node.left), self.compile(node.right)
            if node.op == " ":
                return lambda: intersection(left(), right())
            self._bounding(self.refs[start:])
            return lambda: range_between(left(), right())
        left, right = self.value(node.left), self.value(node.right)
        op = LAST[node.op] if node.last else BINARY[node.op]
        ev = self.ev

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

    def _unary(self, node: s.Unary) -> Thunk:
        operand = self.value(node.operand)
        ev = self.ev
        if node.op == "+":
            return operand
        function = negate if node.op == "-" else percent

        def apply() -> Value:
            value = ev.value(operand())
            if isinstance(value, list):
                result: Array = [[function(item) for item in row] for row in value]
                return result
            return function(value)

        return apply


def _anchor(ev: Evaluator, target: Value) -> Value:
    return ev.spill_range(target) if isinstance(target, Ref) else REF
