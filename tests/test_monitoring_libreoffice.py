"""Templates filled and saved by LibreOffice headless, as a GI's spreadsheet application would, import cleanly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from monitoring_cases.fill import (
    expected_ledger,
    fill_with_libreoffice,
    ledger_rows,
    libreoffice_available,
    typed_values,
)
from openpyxl import load_workbook

from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.validate import validate_file
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not libreoffice_available(), reason="LibreOffice met python3-uno ontbreekt"),
]

Q3 = Periode.parse("2026-Q3")
CASES = [("jgb", "alkmaar", 21), ("ljr", "kop_van_noord_holland", 22)]


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict:
    root = tmp_path_factory.mktemp("lo")
    jobs, typed = [], {}
    for gi, regio, seed in CASES:
        layout = build_layout(catalog, gi, regio, Q3)
        template = write_template(layout, root / "leeg" / template_name(gi, regio, Q3))
        values = typed_values(layout, seed)
        typed[(gi, regio)] = (layout, values, root / "ingevuld" / template_name(gi, regio, Q3))
        jobs.append((template, values, typed[(gi, regio)][2]))
    broken_values = typed[("jgb", "alkmaar")][1]
    broken = dict(broken_values)
    broken[("Volumes", "G6")] = 1000
    jobs.append((root / "leeg" / template_name("jgb", "alkmaar", Q3), broken, root / "fout" / "fout.xlsx"))
    (root / "ingevuld").mkdir()
    (root / "fout").mkdir()
    fill_with_libreoffice(jobs, root / "profiel")
    return {"typed": typed, "broken": root / "fout" / "fout.xlsx", "root": root}


def test_libreoffice_really_saved_the_files(saved_by_libreoffice: dict) -> None:
    for _, _, path in saved_by_libreoffice["typed"].values():
        with zipfile.ZipFile(path) as archive:
            assert b"LibreOffice" in archive.read("docProps/app.xml")
        wb = load_workbook(path, data_only=True)
        assert wb["Volumes"]["K5"].value == "OK"  # recalculated live check
        assert wb["Metadata"].sheet_state == "hidden"
        assert wb["Volumes"].protection.sheet


def test_live_check_shows_failure_and_importer_rejects_it(saved_by_libreoffice: dict, catalog: Catalog) -> None:
    path = saved_by_libreoffice["broken"]
    assert load_workbook(path, data_only=True)["Volumes"]["K6"].value.startswith("FOUT")
    problems = [(p.message, p.sheet, p.cell) for p in validate_file(path, catalog).issues]
    assert problems == [("controle mislukt: begin + instroom - uitstroom is niet gelijk aan einde", "Volumes", "G6")]


def test_files_saved_by_libreoffice_import_with_the_typed_values(saved_by_libreoffice: dict, tmp_path: Path) -> None:
    typed = saved_by_libreoffice["typed"]
    outcomes = import_files([path for _, _, path in typed.values()], tmp_path / "gb.sqlite")
    assert [(o.status, o.issues) for o in outcomes] == [("nieuw", ())] * len(typed)
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        for (gi, regio), (layout, values, _) in typed.items():
            assert ledger_rows(ledger, gi, regio, Q3.code) == expected_ledger(layout, values)
