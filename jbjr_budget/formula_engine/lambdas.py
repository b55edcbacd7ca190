"""LET and LAMBDA: names bound inside a formula, and functions written in the formula language.

Both are compiled, not called: a bound name becomes a :class:`Slot` the closures read, a LAMBDA a
:class:`Lambda` whose parameters are slots. A slot's value is set when its LET or LAMBDA runs and
restored afterwards, so a recursive LAMBDA (a defined name calling itself) sees its own arguments.
A LAMBDA can be called where it is bound (``LET(f, LAMBDA(x, x*2), f(3))``), through a defined name
(``Verdubbel = LAMBDA(x, x*2)``, then ``=Verdubbel(3)``), or by MAP, REDUCE, SCAN, BYROW, BYCOL and
MAKEARRAY. A LAMBDA left as a cell's value is #CALC!, as in Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from jbjr_budget.formula_engine import syntax as s
from jbjr_budget.formula_engine.functions import REGISTRY
from jbjr_budget.formula_engine.parser import parse_at
from jbjr_budget.formula_engine.values import VALUE, Array, ExcelError, Ref, Scalar, Value

if TYPE_CHECKING:
    from jbjr_budget.formula_engine.compiler import Compiler, Thunk

__all__ = ["Lambda", "Slot", "compile_call", "local"]

CALC = ExcelError("#CALC!")
_HELPERS = ("MAP", "REDUCE", "SCAN", "BYROW", "BYCOL", "MAKEARRAY")


class Slot:
    """The current value of a name bound by LET or of a LAMBDA parameter."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        """An unbound slot."""
        self.value: Value = None


class Lambda:
    """A compiled LAMBDA: parameter slots and the body (set after compiling, so it may call itself)."""

    __slots__ = ("body", "parameters")

    def __init__(self, parameters: list[Slot]) -> None:
        """A LAMBDA with these parameters; its body follows."""
        self.parameters = parameters
        self.body: Thunk = lambda: CALC

    def __call__(self, *args: Value) -> Value:
        """The body's value with the parameters bound to ``args`` (missing ones blank); too many is #VALUE!."""
        if len(args) > len(self.parameters):
            return VALUE
        saved = [slot.value for slot in self.parameters]
        try:
            for index, slot in enumerate(self.parameters):
                slot.value = args[index] if index < len(args) else None
            return self.body()
        finally:
            for slot, value in zip(self.parameters, saved, strict=True):
                slot.value = value


def _key(node: s.Node) -> str | None:
    """The name a LET or LAMBDA binds (Excel writes them as ``_xlpm.x``), upper case."""
    if isinstance(node, s.Name) and node.sheet is None:
        return node.name.upper().removeprefix("_XLPM.")
    return None


def local(compiler: Compiler, node: s.Name) -> Thunk | None:
    """The closure for a name bound in the formula; None when the name is not bound here."""
    bound = compiler.scope.get(_key(node) or "")
    if bound is None:
        return None
    if isinstance(bound, Lambda):
        return lambda: CALC
    return lambda: bound.value


def compile_call(compiler: Compiler, node: s.Call) -> Thunk | None:
    """LET, LAMBDA, a call of a bound or named LAMBDA, or a LAMBDA helper; None for any other call."""
    if node.name == "LET":
        return _let(compiler, node.args)
    if node.name == "LAMBDA":
        _lambda(compiler, node.args)
        return lambda: CALC
    if node.name in _HELPERS:
        return _helper(compiler, node)
    function = compiler.scope.get(node.name.removeprefix("_XLPM."))
    if function is None and node.name not in REGISTRY:  # a defined name cannot be called like a built-in
        function = _named(compiler, node.name)
    if not isinstance(function, Lambda):
        return None
    args = [compiler.compile(arg) for arg in node.args]
    return lambda: function(*[arg() for arg in args])


def _let(compiler: Compiler, args: Sequence[s.Node]) -> Thunk:
    names = [_key(node) for node in args[:-1:2]]
    if len(args) < 3 or len(args) % 2 == 0 or None in names:
        compiler.ev.note("formule niet te berekenen", "LET met verkeerde argumenten")
        return lambda: VALUE
    outer = dict(compiler.scope)
    slots: list[Slot] = []
    values: list[Thunk] = []
    try:
        for name, node in zip(names, args[1::2], strict=False):
            function = _lambda(compiler, node.args) if isinstance(node, s.Call) and node.name == "LAMBDA" else None
            values.append(compiler.compile(node) if function is None else (lambda: CALC))
            slots.append(Slot())
            compiler.scope[name or ""] = function or slots[-1]
        body = compiler.compile(args[-1])
    finally:
        compiler.scope = outer

    def run() -> Value:
        saved = [slot.value for slot in slots]
        try:
            for slot, compute in zip(slots, values, strict=True):
                slot.value = compute()
            return body()
        finally:
            for slot, value in zip(slots, saved, strict=True):
                slot.value = value

    return run


def _lambda(compiler: Compiler, args: Sequence[s.Node], function: Lambda | None = None) -> Lambda:
    """Compile ``LAMBDA(parameters..., body)``; ``function`` is filled in when given (a named LAMBDA)."""
    names = [_key(node) for node in args[:-1]]
    compiled = function or Lambda([Slot() for _ in names])
    if not args or None in names:
        compiler.ev.note("formule niet te berekenen", "LAMBDA met verkeerde argumenten")
        return compiled
    outer = dict(compiler.scope)
    try:
        compiler.scope.update({name or "": slot for name, slot in zip(names, compiled.parameters, strict=True)})
        compiled.body = compiler.compile(args[-1])
    finally:
        compiler.scope = outer
    return compiled


def _named(compiler: Compiler, name: str) -> Lambda | None:
    """A defined name holding a LAMBDA, compiled once per formula (and so callable from its own body)."""
    cached = compiler.lambdas.get(name)
    if cached is not None:
        return cached
    text = compiler.ev.book.names.get((compiler.sheet, name)) or compiler.ev.book.names.get((None, name))
    if text is None:
        return None
    try:
        tree = parse_at(text)[0]
    except s.FormulaSyntaxError:
        return None
    if not isinstance(tree, s.Call) or tree.name != "LAMBDA":
        return None
    function = Lambda([Slot() for _ in tree.args[:-1]])
    compiler.lambdas[name] = function
    outer_scope, compiler.scope = compiler.scope, {}
    try:
        _lambda(compiler, tree.args, function)
    finally:
        compiler.scope = outer_scope
    return function


def _helper(compiler: Compiler, node: s.Call) -> Thunk:
    """MAP, REDUCE, SCAN, BYROW, BYCOL and MAKEARRAY: the last argument is the LAMBDA they call."""
    *given, last = node.args or (s.Missing(),)
    function = _lambda(compiler, last.args) if isinstance(last, s.Call) and last.name == "LAMBDA" else None
    if function is None and isinstance(last, s.Name):
        bound = compiler.scope.get(_key(last) or "") or _named(compiler, last.name.upper())
        function = bound if isinstance(bound, Lambda) else None
    if function is None:
        compiler.ev.note("formule niet te berekenen", f"{node.name} zonder LAMBDA")
        return lambda: VALUE
    args = [compiler.compile(arg) for arg in given]
    ev = compiler.ev
    helper = _HELPER_FUNCTIONS[node.name]
    return lambda: helper(function, [ev.value(arg()) for arg in args])


def _grid(value: Scalar | Array) -> Array:
    return value if isinstance(value, list) else [[value]]


def _one(value: Value) -> Scalar:
    """A LAMBDA's answer for one element: an array there is #CALC!, as in Excel."""
    if isinstance(value, list):
        return value[0][0] if len(value) == 1 and len(value[0]) == 1 else CALC
    return CALC if isinstance(value, Ref) else value


def _map(function: Lambda, values: list[Scalar | Array]) -> Value:
    grids = [_grid(value) for value in values]
    if not grids:
        return VALUE
    return [[_one(function(*[g[i][j] if i < len(g) and j < len(g[i]) else None for g in grids]))
             for j in range(len(grids[0][0]))] for i in range(len(grids[0]))]


def _reduce(function: Lambda, values: list[Scalar | Array], *, every: bool) -> Value:
    if len(values) != 2:
        return VALUE
    total: Value = values[0]
    grid = _grid(values[1])
    steps: Array = []
    for row in grid:
        steps.append([])
        for item in row:
            total = _one(function(total, item))
            steps[-1].append(total)
    return steps if every else total


def _by(function: Lambda, values: list[Scalar | Array], *, rows: bool) -> Value:
    if not values:
        return VALUE
    grid = _grid(values[0])
    if rows:
        return [[_one(function([row]))] for row in grid]
    return [[_one(function([[row[j]] for row in grid])) for j in range(len(grid[0]))]]


def _makearray(function: Lambda, values: list[Scalar | Array]) -> Value:
    sizes = [_one(value) for value in values[:2]]
    if len(sizes) < 2 or not all(isinstance(size, float) and size >= 1 for size in sizes):
        return VALUE
    height, width = int(sizes[0]), int(sizes[1])  # type: ignore[arg-type]
    return [[_one(function(float(i), float(j))) for j in range(1, width + 1)] for i in range(1, height + 1)]


_HELPER_FUNCTIONS: dict[str, Callable[[Lambda, list[Scalar | Array]], Value]] = {
    "MAP": _map,
    "REDUCE": lambda function, values: _reduce(function, values, every=False),
    "SCAN": lambda function, values: _reduce(function, values, every=True),
    "BYROW": lambda function, values: _by(function, values, rows=True),
    "BYCOL": lambda function, values: _by(function, values, rows=False),
    "MAKEARRAY": _makearray,
}
