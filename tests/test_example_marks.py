"""Every output says where its figures rest on example values, and says nothing once they are all replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from jbjr_budget.cli import main
from jbjr_budget.rules.parameters import load_parameters
from jbjr_budget.rules.user_folder import USER_FOLDER_VAR
from jbjr_budget.writers.marks import EXAMPLE_FILL
from udfs import convert

RESULT_SHEETS = ["Tarieven", "Volumes", "Begroting", "Kostprijs", "Scenario's", "Weerstandsvermogen"]
VOORBEELD = "voorbeeldwaarde"


def _complete_overlay(path: Path) -> Path:
    """Every example value of the bundled parameters again, now as if published: the warnings must go."""
    nested: dict[str, Any] = {}
    for parameter in load_parameters(user_folder=False):
        for value in parameter.values:
            if value.voorbeeld:
                node = nested
                for part in parameter.path.split("."):
                    node = node.setdefault(part, {})
                number = float(value.value) if not isinstance(value.value, str) else value.value
                node.setdefault("values", {})[value.start] = {"value": number, "reference": "Gepubliceerd (test)"}
    path.write_text(yaml.safe_dump(nested, allow_unicode=True), encoding="utf-8")
    return path


def _texts(ws: Any) -> list[str]:
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def _mark_column(ws: Any) -> list[str]:
    """The values under the header *Let op* of every table on the sheet."""
    found = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "Let op":
                found += [str(ws.cell(r, cell.column).value or "") for r in range(cell.row + 1, ws.max_row + 1)]
    return found


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _complete_overlay(tmp_path_factory.mktemp("alles") / "alles_gepubliceerd.yaml")


def test_the_begroting_workbook_marks_every_result_sheet(tmp_path: Path, complete: Path) -> None:
    bundled, published = tmp_path / "b.xlsx", tmp_path / "p.xlsx"
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2026", "--uitvoer", str(bundled)]) == 0
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2026", "--uitvoer", str(published),
                 "--parameters", str(complete)]) == 0
    with_examples, without = load_workbook(bundled), load_workbook(published)
    assert "LET OP: voorbeeldwaarden" in _texts(with_examples["Toelichting"])
    # What remains is the one assumption of a bundled scenario itself: caseload_afbouw's steps after 2024.
    warning = next(t for t in _texts(without["Toelichting"]) if "gebruikte parameters zijn voorbeeldwaarden" in t)
    assert warning.startswith("1 gebruikte parameters zijn voorbeeldwaarden, geen gepubliceerde cijfers "
                              "(normen.caseload.gehanteerd)")
    for sheet in RESULT_SHEETS:
        assert any(VOORBEELD in m for m in _mark_column(with_examples[sheet])), sheet
        if sheet != "Kostprijs":
            assert not any(VOORBEELD in m for m in _mark_column(without[sheet])), sheet
    marked = {r[0] for r in without["Kostprijs"].iter_rows(values_only=True) if VOORBEELD in str(r[-1] or "")}
    assert marked == {"caseload_afbouw"}
    # The provisional 2025 index figures stay provisional: those marks remain.
    assert any("voorlopig cijfer" in m for m in _mark_column(without["Tarieven"]))


def test_the_controller_workbook_marks_inputs_and_results(
    tmp_path: Path, complete: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = load_workbook(Path(__file__).resolve().parents[1] / "workbooks" / "jbjr_begroting.xlsm")
    assert any(t.startswith("LET OP: voorbeeldwaarden") for t in _texts(bundled["Toelichting"]))
    parameters = bundled["Parameters"]
    examples = [r for r in range(5, parameters.max_row + 1) if parameters.cell(r, 3).value == "ja"]
    assert examples
    assert all(parameters.cell(r, 2).fill.fgColor.rgb == EXAMPLE_FILL.fgColor.rgb for r in examples)
    assert all(parameters.cell(r, 2).comment is not None for r in examples)
    assert any(VOORBEELD in m for m in _mark_column(bundled["Volumes"]))
    assert any(VOORBEELD in m for m in _mark_column(bundled["Begroting"]))  # the JBJR_BEGROTINGSTABEL column
    listed = _texts(bundled["Toelichting"])
    assert "tarieven.landelijk.48A04" in listed  # JBJR_VOORBEELDEN, stored by the recalculation
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / complete.name).write_text(complete.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(USER_FOLDER_VAR, str(folder))
    convert.reload()
    try:
        assert main(["werkboek", "--uitvoer", str(tmp_path / "w.xlsm")]) == 0
    finally:
        convert.reload()
    published = load_workbook(tmp_path / "w.xlsm")
    for sheet in ("Toelichting", "Volumes", "Meerjarig", "Reserve", "Begroting"):
        assert not any(VOORBEELD in t for t in _texts(published[sheet])), sheet
    still = [r[0] for r in published["Parameters"].iter_rows(min_row=5, values_only=True) if r[2] == "ja"]
    assert still == []  # the Monte Carlo spreads too are parameters that an overlay replaces
    assert "geen voorbeeldwaarden of voorlopige cijfers" not in _texts(published["Toelichting"])  # 2025 stays


def test_the_report_and_its_exports_mark_the_budget(report_ledger: dict, tmp_path: Path, complete: Path) -> None:
    for name, extra in (("voorbeeld", []), ("gepubliceerd", ["--parameters", str(complete)])):
        folder = tmp_path / name
        assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(report_ledger["ledger"]),
                     "--uitvoer", str(folder / "r.xlsx"), "--csv", str(folder), "--parquet", str(folder),
                     *extra]) == 0
    report = load_workbook(tmp_path / "voorbeeld" / "r.xlsx")
    assert "LET OP: voorbeeldwaarden" in _texts(report["Toelichting"])
    for sheet in ("Realisatie", "Per regio", "Per product"):
        assert any(VOORBEELD in m for m in _mark_column(report[sheet])), sheet
    assert pd.read_csv(tmp_path / "voorbeeld" / "realisatie.csv")["voorbeeld"].all()
    assert pd.read_parquet(tmp_path / "voorbeeld" / "realisatie.parquet")["voorbeeld"].all()
    clean = load_workbook(tmp_path / "gepubliceerd" / "r.xlsx")
    for sheet in ("Toelichting", "Realisatie", "Per regio", "Per product"):
        assert not any(VOORBEELD in t for t in _texts(clean[sheet])), sheet
    assert not pd.read_csv(tmp_path / "gepubliceerd" / "realisatie.csv")["voorbeeld"].any()
    assert not pd.read_parquet(tmp_path / "gepubliceerd" / "realisatie.parquet")["voorbeeld"].any()


def test_every_command_warns_on_the_command_line(report_ledger: dict, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(report_ledger["ledger"]),
                 "--uitvoer", str(tmp_path / "r.xlsx")]) == 0
    assert "LET OP: voorbeeldwaarden" in capsys.readouterr().out
    workbook = Path(__file__).resolve().parents[1] / "workbooks" / "jbjr_begroting.xlsm"
    assert main(["herbereken", str(workbook), "--controleer"]) == 0
    out = capsys.readouterr().out
    assert "De JBJR-functies in jbjr_begroting.xlsm rekenen met de parameters die nu gelden" in out
    assert "LET OP: voorbeeldwaarden" in out
    assert "geldende parameters zijn voorbeeldwaarden" in out
    assert "gebruikte parameters" not in out
