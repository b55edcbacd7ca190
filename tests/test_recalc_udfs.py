"""JBJR cells recalculated headless equal direct calls of the UDFs (the very functions Excel calls)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jbjr_budget.formula_engine import Evaluator, evaluate, read_book
from jbjr_budget.formula_engine.book import cell_address

udfs = pytest.importorskip("udfs")
CONTROLLER = Path(__file__).resolve().parent.parent / "workbooks" / "jbjr_begroting.xlsm"


def _results(evaluator: Evaluator) -> dict[tuple[str, str], object]:
    return {evaluator.describe(key): value for key, value in {**evaluator.results, **evaluator.spilled}.items()}


def _as_excel(value: object) -> object:
    """What a cell holds for a Python result: numbers as float (as the evaluator stores them)."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def test_jbjr_cells_equal_direct_calls(tmp_path: Path) -> None:
    calls = {
        "B1": ("JBJR_TARIEF", '"48A04",2026', ("48A04", 2026.0)),
        "B2": ("JBJR_INDEXFACTOR", "2024,A1", (2024.0, 2027.0)),
        "B3": ("JBJR_GEINDEXEERD", "1000,2024,2026", (1000.0, 2024.0, 2026.0)),
        "B4": ("JBJR_FTE", "A2,12", (150.0, 12.0)),
        "B5": ("JBJR_KOSTPRIJS", '"48A05",DATE(2026,7,1)', ("48A05", 46204.0)),
        "B6": ("JBJR_TARIEF", '"GEEN",2026', ("GEEN", 2026.0)),
    }
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = 2027, 150
    for address, (name, args, _) in calls.items():
        ws[address] = f"={name}({args})"
    ws["C1"] = "=ROUND(B1*12,2)"
    path = tmp_path / "jbjr.xlsx"
    wb.save(path)
    evaluator = evaluate(read_book(path), udfs.EXCEL_FUNCTIONS)
    results = _results(evaluator)
    for address, (name, _, args) in calls.items():
        assert results[("Sheet", address)] == _as_excel(udfs.EXCEL_FUNCTIONS[name](*args)), address
    assert results[("Sheet", "C1")] == pytest.approx(round(udfs.EXCEL_FUNCTIONS["JBJR_TARIEF"]("48A04", 2026) * 12, 2))
    failing = [issue for issue in evaluator.issues if issue.fatal]
    assert [(i.address, i.kind) for i in failing] == [("B6", "fout in functie")]
    assert "GEEN" in failing[0].detail


@pytest.mark.skipif(not CONTROLLER.exists(), reason="controllerwerkboek ontbreekt")
def test_controller_workbook_jbjr_cells_equal_direct_calls() -> None:
    evaluator = evaluate(read_book(CONTROLLER), udfs.EXCEL_FUNCTIONS)
    assert [str(issue) for issue in evaluator.issues if issue.fatal] == []
    results = _results(evaluator)
    inputs = load_workbook(CONTROLLER)
    scenario_sheet, volumes = inputs["Scenario"], inputs["Volumes"]
    scenario, first_year = scenario_sheet["B4"].value, scenario_sheet["B6"].value
    peildatum = float((dt.date(first_year, 1, 1) - dt.date(1899, 12, 30)).days)
    functions = udfs.EXCEL_FUNCTIONS
    norm = functions["JBJR_PARAMETER"]("normen.caseload.gehanteerd", peildatum, scenario)
    for row in range(5, 8):
        code, volume = volumes[f"A{row}"].value, volumes[f"E{row}"].value
        assert results[("Volumes", f"F{row}")] == _as_excel(functions["JBJR_TARIEF"](code, peildatum, scenario))
        weight = volumes[f"D{row}"].value
        assert results[("Volumes", f"I{row}")] == _as_excel(functions["JBJR_FTE"](volume, norm, weight))
    regios = [[scenario_sheet.cell(5, c).value for c in range(2, 6)]]
    jaren = [[float(first_year + i) for i in range(5)]]
    table = functions["JBJR_BEGROTINGSTABEL"](
        regios, jaren, [[None] * 5], [[None] * 5], scenario_sheet["B8"].value, scenario_sheet["B9"].value, scenario)
    assert len(table) > 10
    for i, line in enumerate(table[:40]):
        for j, item in enumerate(line):
            address = cell_address(4 + i, 1 + j)
            assert results.get(("Begroting", address)) == _as_excel(item), address


@pytest.mark.skipif(not CONTROLLER.exists(), reason="controllerwerkboek ontbreekt")
def test_choosing_the_caseload_scenario_changes_fte_and_cost_price(tmp_path: Path) -> None:
    book = load_workbook(CONTROLLER, keep_vba=True)
    book["Scenario"]["B4"] = "caseload_15"
    path = tmp_path / "caseload_15.xlsm"
    book.save(path)
    results = _results(evaluate(read_book(path), udfs.EXCEL_FUNCTIONS))
    basis = _results(evaluate(read_book(CONTROLLER), udfs.EXCEL_FUNCTIONS))
    volumes = book["Volumes"]
    assert results[("Parameters", "B5")] == 15  # the scenario's norm (Verbeterplan NW4, seed 004), not basis' 12
    for row in range(5, 8):  # monthly products: fte = volume x weight / norm
        volume, weight = volumes[f"E{row}"].value, volumes[f"D{row}"].value
        assert results[("Volumes", f"I{row}")] == pytest.approx(volume * weight / 15, abs=0.001)
        # Same hours per client-month spread over 15 instead of 12 measures: the cost price per unit scales by 12/15
        # for the direct part; overhead and margin are proportional, so the whole price does (to the cent).
        assert results[("Volumes", f"G{row}")] == pytest.approx(basis[("Volumes", f"G{row}")] * 12 / 15, abs=0.01)
