"""Headless recalculation of Excel workbooks, with extra (e.g. JBJR) functions handed in by the caller.

``recalculate_file`` evaluates every formula and stores the results as the cells' cached values
(formulas kept); ``check_file`` compares stored values with recalculated ones. Names resolve on first
use, so importing the package costs nothing until a part is needed (no process pool for one file).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jbjr_budget.formula_engine.batch import Job, collect_workbooks, run_jobs
    from jbjr_budget.formula_engine.evaluator import Evaluator, FunctionRegistry, Issue
    from jbjr_budget.formula_engine.recalculate import Difference, Outcome, check_file, evaluate, recalculate_file
    from jbjr_budget.formula_engine.xlsx_reader import read_book

__all__ = [
    "Difference", "Evaluator", "FunctionRegistry", "Issue", "Job", "Outcome", "check_file", "collect_workbooks",
    "evaluate", "read_book", "recalculate_file", "run_jobs",
]

_HOMES = {
    "Job": "batch", "collect_workbooks": "batch", "run_jobs": "batch",
    "Evaluator": "evaluator", "FunctionRegistry": "evaluator", "Issue": "evaluator",
    "Difference": "recalculate", "Outcome": "recalculate", "check_file": "recalculate", "evaluate": "recalculate",
    "recalculate_file": "recalculate", "read_book": "xlsx_reader",
}


def __getattr__(name: str) -> object:
    """Import the module that defines ``name`` on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
