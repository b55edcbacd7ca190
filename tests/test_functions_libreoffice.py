"""Every built-in function on cases of its own, one workbook per Excel category, against LibreOffice.

The cases are data: ``function_cases/<category>.yaml`` lists formulas under ``libreoffice`` (compared with
LibreOffice's forced recalculation of the same workbook) and, where LibreOffice 7.4 differs from Excel or
lacks the function, formulas under ``excel`` with Excel's value worked out by hand and the reason.
All category workbooks go through one LibreOffice run.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.libreoffice import recalculate_with_libreoffice
from jbjr_budget.formula_engine.values import ERROR_CODES, ExcelError

pytestmark = pytest.mark.libreoffice

FOLDER = Path(__file__).with_name("function_cases")
DATA = yaml.safe_load((FOLDER / "data.yaml").read_text(encoding="utf-8"))
CATEGORIES = sorted(path.stem for path in FOLDER.glob("*.yaml") if path.stem != "data")


def _cases(category: str) -> dict[str, Any]:
    return yaml.safe_load((FOLDER / f"{category}.yaml").read_text(encoding="utf-8"))


def _build(path: Path, cases: dict[str, Any]) -> None:
    wb = Workbook()
    data = wb.active
    data.title = "Data"
    for letter, values in DATA.items():
        for row, value in enumerate(values, start=1):
            data[f"{letter}{row}"] = value
    out = wb.create_sheet("Uit")
    for row, formula in enumerate(cases.get("libreoffice", []), start=1):
        out.cell(row, 1, formula)
    for row, case in enumerate(cases.get("excel", []), start=1):
        out.cell(row, 2, case["formula"])
    wb.save(path)


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("functies")
    sources = []
    for category in CATEGORIES:
        sources.append(folder / f"{category}.xlsx")
        _build(sources[-1], _cases(category))
    references = recalculate_with_libreoffice(sources, folder / "libreoffice")
    return {source.stem: (source, reference) for source, reference in zip(sources, references, strict=True)}


def _expected(value: object) -> object:
    if isinstance(value, str) and value in ERROR_CODES:
        return ExcelError(value)
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _agree(ours: object, theirs: object, tolerance: float = 1e-9) -> bool:
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return (ours == theirs and type(ours) is type(theirs)) or (
            isinstance(theirs, float) and isinstance(ours, bool) and float(ours) == theirs)
    if isinstance(ours, float) and isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=tolerance, abs_tol=tolerance)
    return ours == theirs


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_agrees_with_libreoffice_and_excel(recalculated: dict[str, tuple[Path, Path]],
                                                    category: str) -> None:
    source, reference = recalculated[category]
    cases = _cases(category)
    evaluator = evaluate(read_book(source), {})
    ours = {evaluator.describe(key): value for key, value in evaluator.results.items()}
    theirs = read_book(reference).sheets[1].values
    wrong = []
    for row, formula in enumerate(cases.get("libreoffice", []), start=1):
        if not _agree(ours[("Uit", f"A{row}")], theirs.get((row, 1))):
            wrong.append((formula, ours[("Uit", f"A{row}")], theirs.get((row, 1))))
    for row, case in enumerate(cases.get("excel", []), start=1):
        if not _agree(ours[("Uit", f"B{row}")], _expected(case["expected"]), case.get("tolerance", 1e-9)):
            wrong.append((case["formula"], ours[("Uit", f"B{row}")], case["expected"]))
    assert not wrong, "\n".join(f"{f}: herbereken {o!r}, verwacht {t!r}" for f, o, t in wrong)
    fatal = [str(issue) for issue in evaluator.issues if issue.fatal]
    assert not fatal, fatal
