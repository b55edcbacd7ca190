"""Build a workbook from cell values and formulas, evaluate it, and look results up by sheet and address."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from jbjr_budget.formula_engine import Evaluator, evaluate, read_book
from jbjr_budget.writers.controller_workbook.dynamic_arrays import mark_dynamic_arrays

Cells = Mapping[str, object]


def save(path: Path, cells: Cells, build: Callable[[Workbook], None] | None = None,
         dynamic: tuple[str, ...] = ()) -> Path:
    """A one-sheet workbook ``Blad``; cells named in ``dynamic`` hold dynamic arrays, stored as Excel 365 does."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    for address, value in cells.items():
        ws[address] = ArrayFormula(address, value) if address in dynamic else value
    if build:
        build(wb)
    wb.save(path)
    if dynamic:
        mark_dynamic_arrays(path)
    return path


def evaluated(tmp_path: Path, cells: Cells, functions: Mapping[str, Callable[..., object]] | None = None,
              build: Callable[[Workbook], None] | None = None, dynamic: tuple[str, ...] = ()) -> Evaluator:
    """The evaluator after recalculating the workbook :func:`save` builds."""
    return evaluate(read_book(save(tmp_path / "t.xlsx", cells, build, dynamic)), functions or {})


def results(evaluator: Evaluator) -> dict[tuple[str, str], object]:
    """Every computed value (formula results and spilled or filled cells) by (sheet, address)."""
    return {evaluator.describe(key): value for key, value in {**evaluator.results, **evaluator.spilled}.items()}


def value_at(evaluator: Evaluator, address: str, sheet: str = "Blad") -> object:
    """One computed value."""
    return results(evaluator)[(sheet, address)]
