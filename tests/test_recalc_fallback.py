"""``herbereken --libreoffice``: what herbereken cannot compute, LibreOffice does; JBJR cells go in as values."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from recalc_cases.workbooks import save

from jbjr_budget.cli import main
from jbjr_budget.formula_engine import recalculate_file

pytestmark = pytest.mark.libreoffice

CELLS = {
    "A1": 1999.0,
    "B1": "=ROMAN(A1)",  # not in herbereken's library; LibreOffice 7.4 (like Excel) gives MCMXCIX
    "C1": '=B1&"!"',  # reads the cell herbereken cannot compute: taken from LibreOffice too
    "D1": "=JBJR_LENGTE(C1)",  # a JBJR cell reading it: computed by herbereken from LibreOffice's value
    "E1": "=JBJR_LENGTE(\"abc\")*2",  # LibreOffice does not know JBJR: it gets this cell as a value
    "F1": "=E1+1",
    "G1": "=GEENFUNCTIE(1)",  # unknown to both
}


def test_libreoffice_computes_what_herbereken_cannot(tmp_path: Path) -> None:
    source, target = save(tmp_path / "in.xlsx", CELLS), tmp_path / "uit.xlsx"
    outcome = recalculate_file(source, target, {"JBJR_LENGTE": lambda text: float(len(str(text)))},
                               libreoffice=True)
    assert outcome.error is None
    values = load_workbook(target, data_only=True)["Blad"]
    assert [values[a].value for a in ("B1", "C1", "D1", "E1", "F1", "G1")] == \
        ["MCMXCIX", "MCMXCIX!", 8, 6, 7, "#NAME?"]
    assert load_workbook(target)["Blad"]["D1"].value == "=JBJR_LENGTE(C1)"  # formulas kept
    found = {issue.address: (issue.kind, issue.fatal) for issue in outcome.issues}
    assert found == {"B1": ("berekend door LibreOffice", False), "G1": ("ook LibreOffice kan dit niet berekenen", True)}


def test_the_cli_option_reports_per_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = save(tmp_path / "in.xlsx", {"A1": 1999.0, "B1": "=ROMAN(A1)"})
    assert main(["herbereken", str(source), "--libreoffice", "--uitvoer", str(tmp_path / "uit.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Blad 'Blad', cel B1: berekend door LibreOffice (onbekende functie: ROMAN)" in out
