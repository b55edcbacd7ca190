"""A workbook as the engine sees it: sheets of values and formulas, defined names, tables and calculation settings."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jbjr_budget.a1 import column_letters, column_number
from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.values import Ref, Scalar

__all__ = ["Book", "FormulaSpec", "Iteration", "Sheet", "Table", "area_of", "cell_address", "split_address"]

_ADDRESS = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class FormulaSpec(NamedTuple):
    """A cell's formula: the (master) text and its offset from the master cell, kind and area.

    ``kind`` is ``""`` for a plain formula (evaluated with implicit intersection), ``"array"`` for an
    array formula over ``ref`` and ``"dataTable"`` for a what-if table over ``ref``, whose ``inputs`` are its
    row and column input cells (a one-variable table has one; None when Excel marks one deleted); ``dynamic``
    marks an array formula that Excel stored as a dynamic (spilling) array.
    """

    text: str
    offset: tuple[int, int] = (0, 0)
    kind: str = ""
    ref: str | None = None
    dynamic: bool = False
    inputs: tuple[str | None, str | None] | None = None


@dataclass(slots=True)
class Sheet:
    """One sheet: stored values (constants and cached results) and formulas, keyed by (row, column)."""

    name: str
    member: str | None
    values: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    formulas: dict[tuple[int, int], FormulaSpec] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # hidden by hand or by a filter


class Table(NamedTuple):
    """An Excel table: its area (header and totals rows included) and column names, left to right."""

    name: str
    area: Ref
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Iteration:
    """Iterative calculation as the workbook enables it: at most ``count`` passes, until no change exceeds ``delta``."""

    count: int = 100
    delta: float = 0.001


@dataclass(slots=True)
class Book:
    """A workbook as the evaluator needs it; ``tables`` are keyed by upper-case name."""

    path: Path
    sheets: list[Sheet]
    names: dict[tuple[int | None, str], str]
    tables: dict[str, Table] = field(default_factory=dict)
    date1904: bool = False
    iteration: Iteration | None = None
    locale: str = "en-US"  # the regional settings of the Excel that calculates (see :mod:`.locales`)


def split_address(address: str) -> tuple[int, int]:
    """``B3`` (or ``$B$3``) -> (3, 2)."""
    digits = address.lstrip(string.ascii_uppercase)  # the common case without $, fast: a sheet has many cells
    if digits.isdecimal() and 0 < len(address) - len(digits) <= 3:
        return int(digits), column_number(address[:len(address) - len(digits)])
    match = _ADDRESS.fullmatch(address)
    if not match:
        raise JbjrFout(f"ongeldig celadres '{address}'")
    return int(match.group(2)), column_number(match.group(1))


def cell_address(row: int, col: int) -> str:
    """(3, 2) -> ``B3``."""
    return f"{column_letters(col)}{row}"


def area_of(sheet: int, ref: str) -> Ref:
    """The range ``A1:C3`` (or one cell ``A1``) on sheet number ``sheet``."""
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = split_address(first), split_address(last or first)
    return Ref(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
