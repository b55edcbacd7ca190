"""The registry: one entry per Excel name with the flags that say how the evaluator calls it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.functions import NOT_SUPPORTED, REGISTRY
from jbjr_budget.formula_engine.values import serial_date


def test_flags_of_well_known_functions() -> None:
    assert [REGISTRY[name].lazy for name in ("IF", "CHOOSE", "SUM")] == [True, True, False]
    assert [REGISTRY[name].references for name in ("OFFSET", "INDEX", "VLOOKUP")] == [True, True, False]
    assert [REGISTRY[name].arrays for name in ("SUM", "ROUND")] == [True, False]
    assert {name for name, spec in REGISTRY.items() if spec.volatile} == {"TODAY", "NOW", "RAND", "RANDBETWEEN",
                                                                           "RANDARRAY"}


def test_names_are_excel_names() -> None:
    assert all(name == name.upper() and spec.name == name for name, spec in REGISTRY.items())
    assert not NOT_SUPPORTED & REGISTRY.keys()


def test_volatile_functions_are_computed_and_their_cells_marked(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "=TODAY()", "=NOW()-TODAY()", "=RANDBETWEEN(3,3.5)", "=1+1"
    ws["A5"] = "=RAND()"
    path = tmp_path / "vluchtig.xlsx"
    wb.save(path)
    before = serial_date(dt.datetime.now(dt.UTC).astimezone().date())
    evaluator = evaluate(read_book(path), {})
    values = {evaluator.describe(key)[1]: value for key, value in evaluator.results.items()}
    assert values["A1"] in (before, before + 1)  # the date may turn over during the test
    assert 0 <= values["A2"] < 1
    assert values["A3"] == 3.0
    assert 0 <= values["A5"] < 1
    volatile = {evaluator.describe(key)[1] for key, cell in evaluator.cells.items() if cell.volatile}
    assert volatile == {"A1", "A2", "A3", "A5"}
