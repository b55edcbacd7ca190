"""Shared fixtures and the LibreOffice rule: tests marked ``libreoffice`` skip locally without it, fail in CI."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from monitoring_cases.report_ledger import build_report_ledger
from openpyxl import Workbook

from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.user_folder import USER_FOLDER_VAR

# Every test, and every process a test starts, sees an empty user parameter folder, whatever the machine has.
os.environ[USER_FOLDER_VAR] = tempfile.mkdtemp(prefix="jbjr_parameters_")


def pytest_configure(config: pytest.Config) -> None:
    """Compiled parameter trees go to a folder of this run (subprocesses inherit it), not the user's cache."""
    if "JBJR_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="jbjr-cache-")
        os.environ["JBJR_CACHE"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip LibreOffice tests when soffice is missing, except in CI where that is an error."""
    if shutil.which("soffice") or not any("libreoffice" in item.keywords for item in items):
        return
    if os.environ.get("CI"):
        pytest.exit("LibreOffice (soffice) ontbreekt in CI: .ci/run hoort het te installeren.", returncode=1)
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is niet geïnstalleerd")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tree() -> ParameterTree:
    return load_parameters()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def sheet_formulas(tmp_path: Path) -> Callable[..., dict[str, object]]:
    """Evaluate cells on one sheet ``Blad`` (constants and formulas by address); returns every result by address."""
    def evaluate_cells(cells: dict[str, object], functions: dict[str, Callable[..., object]] | None = None
                       ) -> dict[str, object]:
        wb = Workbook()
        ws = wb.active
        ws.title = "Blad"
        for address, value in cells.items():
            ws[address] = value
        path = tmp_path / "formules.xlsx"
        wb.save(path)
        evaluator = evaluate(read_book(path), functions or {})
        assert not [issue for issue in evaluator.issues if issue.fatal], evaluator.issues
        results = {**evaluator.results, **evaluator.spilled}
        return {evaluator.describe(key)[1]: value for key, value in results.items()}

    return evaluate_cells


@pytest.fixture(scope="session")
def report_ledger(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict:
    """A ledger with five imported submissions, shared by the monitoring-figures and report tests."""
    return build_report_ledger(tmp_path_factory.mktemp("rapport"), catalog)
