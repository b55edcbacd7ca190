"""Templates filled and saved by LibreOffice headless, as a GI's spreadsheet application would, import cleanly."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from monitoring_cases.cross_read import cells_to_read, disagreements, failing_checks
from monitoring_cases.fill import (
    expected_ledger,
    fill_with_libreoffice,
    ledger_rows,
    libreoffice_available,
    read_with_libreoffice,
    typed_values,
)
from monitoring_cases.harness import bases, booked_values
from monitoring_cases.mutations import make_case
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


AGREEMENT_FILES = 24
READ_AS_IS = ("random_fill", "random_fill", "percent_typed", "harmless_format", "extension_row", "excel_parts")


def test_importer_agrees_with_every_controle_cell_and_what_libreoffice_shows(tmp_path: Path, catalog: Catalog) -> None:
    """Random sub-cent amounts (often exactly half a cent), float noise, percentages typed with %: LibreOffice
    recalculates every Controle cell, and the importer refuses exactly the files and cells it shows red; of the
    files it accepts, LibreOffice shows every booked value."""
    templates = bases(catalog, tmp_path / "leeg")
    files = []
    for seed in range(AGREEMENT_FILES):
        layout, template = templates[seed % len(templates)]
        case = make_case(random.Random(seed), READ_AS_IS[seed % len(READ_AS_IS)], layout, template)
        path = tmp_path / str(seed) / case.name
        path.parent.mkdir()
        path.write_bytes(case.data)
        files.append((layout, path))
    reports = read_with_libreoffice([(path, cells_to_read(layout)) for layout, path in files], tmp_path / "profiel")
    accepted = refused = 0
    for (layout, path), report in zip(files, reports, strict=True):
        result = validate_file(path, catalog)
        red = {(i.sheet, i.cell) for i in result.issues if i.message.startswith("controle mislukt")}
        assert red == failing_checks(layout, report), path
        assert len(red) == len(result.issues), result.issues
        if result.submission is not None:
            accepted += 1
            assert disagreements(layout, report, booked_values(result)) == [], path
        else:
            refused += 1
    assert accepted >= AGREEMENT_FILES // 2
    assert refused >= 1
