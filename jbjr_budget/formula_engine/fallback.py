"""Cells herbereken cannot compute, computed by LibreOffice headless; every other cell stays herbereken's.

LibreOffice gets a copy of the workbook with the cells that call the caller's functions (JBJR) as values,
recalculates it fully, and its values for the cells herbereken could not compute, and for the cells that
read them, are pinned for a second evaluation (so JBJR cells downstream see them too).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from jbjr_budget.formula_engine.book import Book, area_of
from jbjr_budget.formula_engine.evaluator import Evaluator, FunctionRegistry, Issue
from jbjr_budget.formula_engine.libreoffice import recalculate_with_libreoffice
from jbjr_budget.formula_engine.ordering import position_of
from jbjr_budget.formula_engine.values import NAME, Array, Scalar
from jbjr_budget.formula_engine.xlsx_reader import read_book
from jbjr_budget.formula_engine.xlsx_writer import write_book

__all__ = ["REPAIRABLE", "repair_with_libreoffice"]

REPAIRABLE = frozenset({"onbekende functie", "functie niet ondersteund", "formule niet te lezen", "niet ondersteund",
                        "formule niet te berekenen", "onbekende naam"})
"""Issues LibreOffice may not have: a function, syntax or feature herbereken does not know."""


def _pins(first: Evaluator, computed: Book, keys: set[int]) -> dict[int, Scalar | Array]:
    """LibreOffice's results for ``keys``: one value, or the values of an array formula's stored area."""
    pins: dict[int, Scalar | Array] = {}
    for key in keys:
        sheet, row, col = position_of(key)
        values = computed.sheets[sheet].values
        spec = first.cells[key].spec
        if spec.kind == "array" and spec.ref:
            area = area_of(sheet, spec.ref)
            pins[key] = [[values.get((r, c)) for c in range(area.c1, area.c2 + 1)] for r in range(area.r1, area.r2 + 1)]
        else:
            pins[key] = values.get((row, col))
    return pins


def _annotated(second: Evaluator, first: Evaluator, unresolved: set[int]) -> None:
    """Replace the issues of the cells LibreOffice computed: a note, or a failure where it did not know either."""
    for key in unresolved:
        before = [issue for issue in first.cells[key].issues if issue.fatal]
        detail = "; ".join(f"{issue.kind}: {issue.detail}" if issue.detail else issue.kind for issue in before)
        sheet, address = second.describe(key)
        if second.results.get(key) == NAME:
            found = Issue(sheet, address, "ook LibreOffice kan dit niet berekenen", detail)
        else:
            found = Issue(sheet, address, "berekend door LibreOffice", detail, fatal=False)
        second.cells[key].issues = [found]
    second.issues = [issue for cell in second.cells.values() for issue in cell.issues]


def repair_with_libreoffice(first: Evaluator, functions: FunctionRegistry | None) -> Evaluator:
    """``first`` again with what it could not compute taken from LibreOffice; ``first`` itself if nothing is missing."""
    unresolved = {key for key, cell in first.cells.items() if not cell.custom
                  and any(issue.fatal and issue.kind in REPAIRABLE for issue in cell.issues)}
    if not unresolved:
        return first
    tainted = first.downstream(unresolved.__contains__)
    with tempfile.TemporaryDirectory(prefix="herbereken-lo-") as folder:
        copy = Path(folder) / f"invoer{first.book.path.suffix}"
        write_book(first.book, first.updates(custom_as_values=True), copy)
        computed = read_book(recalculate_with_libreoffice([copy], Path(folder) / "uit")[0])
    pinned: Mapping[int, Scalar | Array] = _pins(first, computed,
                                                 {key for key in tainted if not first.cells[key].custom})
    second = Evaluator(first.book, functions, pinned)
    second.run()
    _annotated(second, first, unresolved)
    return second
