"""Headless recalculation of Excel workbooks, JBJR functions included, with no Excel.

``recalculate_file`` evaluates every formula and stores the results as the cells' cached
values (formulas kept); ``check_file`` compares stored values with recalculated ones.
"""

from jbjr_budget.formula_engine.batch import Job, collect_workbooks, run_jobs
from jbjr_budget.formula_engine.evaluator import Evaluator, FunctionRegistry, Issue
from jbjr_budget.formula_engine.recalculate import Difference, Outcome, check_file, evaluate, recalculate_file
from jbjr_budget.formula_engine.xlsx_package import read_book

__all__ = [
    "Difference", "Evaluator", "FunctionRegistry", "Issue", "Job", "Outcome", "check_file", "collect_workbooks",
    "evaluate", "read_book", "recalculate_file", "run_jobs",
]
