"""The registry of built-in functions and the calling convention between the evaluator and them.

Every function is registered under its Excel name with flags that say how it is called:

- plain (the default): scalars in, scalar out; an array argument applies it element by element;
- ``arrays``: each argument whole, a range as a 2D list (a one-cell range too), a direct value as a scalar;
- ``references``: a :class:`Context` first, then the arguments with references left as :class:`Ref`;
- ``lazy``: :class:`Thunk` objects, evaluated only when (and if) the function needs them; a lazy
  function may return one of its thunks to hand back that argument unevaluated (a reference stays one);
- ``volatile``: a new value at every recalculation (TODAY, RAND); ``herbereken --controleer`` skips it.

Values are what :mod:`values` defines: ``float``, ``str``, ``bool``, :class:`ExcelError`, ``None`` for a
blank cell and 2D lists for ranges and arrays. Inside a function a :class:`Failure` carries an error out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol, TypeVar

from jbjr_budget.formula_engine.values import NA, Array, ExcelError, Ref, Scalar, Value

__all__ = ["REGISTRY", "Context", "Failure", "RawThunk", "Spec", "Thunk", "bind", "element", "lifted", "register",
           "resolve", "whole"]

RawThunk = Callable[[], Value]
Function = TypeVar("Function", bound=Callable[..., object])


class Failure(Exception):
    """Carries an Excel error value out of a function body."""

    def __init__(self, error: ExcelError) -> None:
        """Fail with ``error``."""
        super().__init__(error.code)
        self.error = error


class Context(Protocol):
    """What the few reference-taking functions may ask of the workbook being recalculated."""

    @property
    def position(self) -> tuple[int, int, int]:
        """Sheet index, row and column of the formula being evaluated."""

    def value(self, ref: Ref) -> Scalar | Array:
        """The value of a one-cell range, the 2D list of a larger one."""

    def array(self, ref: Ref) -> Array:
        """The 2D list of a range (whole columns trimmed to the used area)."""

    def reference(self, text: str) -> Ref | ExcelError:
        """The range an A1-style text names (``Blad!B2:C3``, a defined name), as INDIRECT reads it."""

    def track(self, ref: Ref) -> None:
        """Declare a range the formula reads that is computed, not written in it (OFFSET, INDIRECT)."""

    def is_subtotal(self, sheet: int, row: int, col: int) -> bool:
        """Whether the cell holds a SUBTOTAL or AGGREGATE formula (SUBTOTAL skips those)."""

    def is_hidden_row(self, sheet: int, row: int) -> bool:
        """Whether the row is hidden, by hand or by a filter (SUBTOTAL 101-111 and AGGREGATE can skip it)."""

    def formula_text(self, sheet: int, row: int, col: int) -> str | None:
        """The formula of a cell as Excel shows it, None for a cell without one (FORMULATEXT)."""

    def note(self, kind: str, detail: str = "", *, fatal: bool = True) -> None:
        """Report something about the formula being evaluated (Dutch ``kind`` and ``detail``)."""


class Thunk:
    """An argument of a lazy function: calling it evaluates the argument to a plain value."""

    __slots__ = ("_context", "raw")

    def __init__(self, raw: RawThunk, context: Context) -> None:
        """Wrap the evaluator's closure ``raw``; ``raw()`` gives the value with references unresolved."""
        self.raw = raw
        self._context = context

    def __call__(self) -> Scalar | Array:
        """The argument's value; a range becomes its value or 2D list."""
        value = self.raw()
        return self._context.value(value) if isinstance(value, Ref) else value


class Spec(NamedTuple):
    """A registered function and how it is called."""

    name: str
    function: Callable[..., object]
    lazy: bool = False
    references: bool = False
    arrays: bool = False
    volatile: bool = False


REGISTRY: dict[str, Spec] = {}


def register(*names: str, lazy: bool = False, references: bool = False, arrays: bool = False,
             volatile: bool = False) -> Callable[[Function], Function]:
    """Register a function under one or more Excel names, with the flags that say how to call it."""
    def decorate(function: Function) -> Function:
        for name in names:
            REGISTRY[name] = Spec(name, function, lazy=lazy, references=references, arrays=arrays,
                                  volatile=volatile)
        return function

    return decorate


def bind(spec: Spec, context: Context, args: list[RawThunk]) -> RawThunk:
    """A closure that calls ``spec`` with the values of the compiled arguments ``args``."""
    function = spec.function
    if spec.lazy:
        thunks = [Thunk(arg, context) for arg in args]
        lead: tuple[object, ...] = (context,) if spec.references else ()

        def lazy() -> Value:
            try:
                result = function(*lead, *thunks)
            except Failure as failure:
                return failure.error
            return result.raw() if isinstance(result, Thunk) else result  # type: ignore[return-value]

        return lazy
    if spec.references:
        return lambda: _guarded(function, context, *[arg() for arg in args])
    if spec.arrays:
        return lambda: _guarded(function, *[whole(context, arg()) for arg in args])
    return lambda: lifted(function, [resolve(context, arg()) for arg in args])


def _guarded(function: Callable[..., object], *args: object) -> Value:
    try:
        return function(*args)  # type: ignore[return-value]
    except Failure as failure:
        return failure.error


def whole(context: Context, value: Value) -> Scalar | Array:
    """An argument as array-aware functions see it: a range, even of one cell, as a 2D list."""
    return context.array(value) if isinstance(value, Ref) else value


def resolve(context: Context, value: Value) -> Scalar | Array:
    """An argument as plain functions see it: a one-cell range as its value, a larger one as a 2D list."""
    return context.value(value) if isinstance(value, Ref) else value


def lifted(function: Callable[..., object], values: list[Scalar | Array]) -> Value:
    """Call a scalar function, element by element when an argument is an array (as dynamic arrays do)."""
    if not any(isinstance(value, list) for value in values):
        return _guarded(function, *values)
    rows = max(len(v) if isinstance(v, list) else 1 for v in values)
    cols = max(len(v[0]) if isinstance(v, list) else 1 for v in values)
    return [[_guarded(function, *[element(v, i, j) for v in values]) for j in range(cols)]  # type: ignore[misc]
            for i in range(rows)]


def element(value: Scalar | Array, i: int, j: int) -> Scalar:
    """Element (i, j) of an array broadcast to a larger shape: a single row or column stretches, else #N/A."""
    if not isinstance(value, list):
        return value
    row = value[0] if len(value) == 1 else (value[i] if i < len(value) else None)
    if row is None:
        return NA
    return row[0] if len(row) == 1 else (row[j] if j < len(row) else NA)
