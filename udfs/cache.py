"""Results of the worksheet functions, kept per argument tuple: the functions are pure.

Excel recalculates a cell whenever anything it depends on might have changed, so
the same call comes back often. A result is kept under the function, its
arguments (with their types: ``1``, ``1.0`` and ``True`` are different cells), the
*generation* of the parameter trees and catalogue the functions read
(:func:`new_generation` starts a new one when those are reloaded) and the stamp of
the files they are read from (:func:`watch`), so a kept result is never stale.
Tables are stored frozen and handed out as fresh lists, so a caller that changes a
result cannot change what the next caller gets. Errors are not kept.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["MAX_RESULTS", "cached", "new_generation", "watch"]

MAX_RESULTS = 1024
"""Results kept at most (least recently used go first)."""
MAX_CELLS = 100_000
"""A table with more cells than this is not kept."""
F = TypeVar("F", bound=Callable[..., Any])

_results: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
_generation = 0
_stamp: Callable[[], Hashable] = tuple


def new_generation() -> None:
    """Forget every kept result: the parameter trees or the catalogue were (re)loaded."""
    global _generation  # noqa: PLW0603 - one generation for the whole Excel session
    with _lock:
        _generation += 1
        _results.clear()


def watch(stamp: Callable[[], Hashable]) -> None:
    """Key every result also on ``stamp()``: what the parameter files look like now (names, times, sizes)."""
    global _stamp  # noqa: PLW0603 - one source of parameter files for the whole Excel session
    _stamp = stamp


def _key(value: object) -> Hashable:
    """A cell or range as a key that tells types apart (``True`` is not ``1``, ``-0.0`` is not ``0.0``)."""
    if isinstance(value, list | tuple):
        return tuple(_key(item) for item in value)
    if isinstance(value, float):
        return ("float", value.hex())
    hash(value)  # an unhashable cell raises TypeError: then the call is not kept
    return (type(value).__name__, value)


def _frozen(value: object) -> object:
    """A result as kept: a table (a list of row lists, as every JBJR table is) as a tuple of tuples."""
    return tuple([tuple(row) for row in value]) if isinstance(value, list) else value


def _thawed(value: object) -> object:
    """A kept result as handed out: a table as fresh lists."""
    return [list(row) for row in value] if isinstance(value, tuple) else value


def _cells(value: object) -> int:
    return sum(map(len, value)) if isinstance(value, list) else 1


def cached(function: F) -> F:
    """``function`` with its results kept per arguments and generation (see the module docstring)."""

    @functools.wraps(function)
    def keep(*args: object) -> object:
        try:
            key: Hashable = (function.__name__, _generation, _stamp(), _key(args))
        except TypeError:
            return function(*args)
        with _lock:
            if key in _results:
                _results.move_to_end(key)
                return _thawed(_results[key])
        result = function(*args)
        if _cells(result) <= MAX_CELLS:
            with _lock:
                _results[key] = _frozen(result)
                while len(_results) > MAX_RESULTS:
                    _results.popitem(last=False)
        return result

    return keep  # type: ignore[return-value]
