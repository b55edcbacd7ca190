"""Calls of the functions the caller adds (the JBJR ones): Excel-shaped arguments in, Python values back."""

from __future__ import annotations

from collections.abc import Callable

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.functions.registry import Context, RawThunk, resolve
from jbjr_budget.formula_engine.values import VALUE, ExcelError, Value, from_python

__all__ = ["ERROR_TEXT", "bind_custom"]

ERROR_TEXT = "#JBJR!"  # JBJR functions answer bad input with this text instead of raising


def _argument(context: Context, value: Value) -> object:
    resolved = resolve(context, value)
    return [list(row) for row in resolved] if isinstance(resolved, list) else resolved


def call_custom(context: Context, name: str, function: Callable[..., object], args: list[Value]) -> Value:
    """Call a custom function; its exceptions become #VALUE! and a reported issue."""
    converted = [_argument(context, arg) for arg in args]
    for item in converted:
        if isinstance(item, ExcelError):
            return item
    try:
        result = function(*converted)
    except JbjrFout as exc:
        context.note("fout in functie", f"{name}: {exc}")
        return VALUE
    except Exception as exc:
        context.note("fout in functie", f"{name}: {type(exc).__name__}: {exc}")
        return VALUE
    if isinstance(result, str) and result.startswith(ERROR_TEXT):
        context.note("fout in functie", f"{name}: {result.removeprefix(ERROR_TEXT).strip()}")
    return from_python(result)


def bind_custom(context: Context, name: str, function: Callable[..., object], args: list[RawThunk]) -> RawThunk:
    """A closure calling ``function`` with the values of the compiled arguments ``args``."""
    return lambda: call_custom(context, name, function, [arg() for arg in args])
