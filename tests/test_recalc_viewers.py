"""What LibreOffice 7.4 shows of a recalculated controller workbook: the JBJR tables, not #NAME?.

LibreOffice recalculates every array formula on load, and an array formula whose function it does not know
becomes #NAME? (it keeps the cached value only of a plain formula). Excel 365 needs the array markup to see a
dynamic array, so the default output keeps it; ``--jbjr-als-waarden`` writes a copy for viewers.
"""

from __future__ import annotations

import csv
import math
import subprocess
from pathlib import Path

import pytest

from jbjr_budget.cli.herbereken import JbjrFunctions
from jbjr_budget.formula_engine import read_book, recalculate_file
from jbjr_budget.formula_engine.libreoffice import find_soffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
CONTROLLER = Path(__file__).resolve().parent.parent / "workbooks" / "jbjr_begroting.xlsm"
ALL_SHEETS_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _rendered(workbooks: list[Path], folder: Path) -> dict[str, dict[str, list[list[str]]]]:
    """Every sheet of every workbook as LibreOffice shows it (one CSV per sheet), by workbook stem and sheet."""
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(folder / 'profiel').as_uri()}", "--headless",
                    "--convert-to", ALL_SHEETS_AS_CSV, "--outdir", str(folder), *map(str, workbooks)],
                   capture_output=True, check=True, timeout=300)
    shown: dict[str, dict[str, list[list[str]]]] = {}
    for path in workbooks:
        for sheet in read_book(path).sheets:
            with (folder / f"{path.stem}-{sheet.name}.csv").open(encoding="utf-8", newline="") as handle:
                shown.setdefault(path.stem, {})[sheet.name] = list(csv.reader(handle))
    return shown


def _same(shown: str, value: object) -> bool:
    if isinstance(value, float) and not isinstance(value, bool):
        try:
            return math.isclose(float(shown), value, rel_tol=1e-9, abs_tol=1e-9)
        except ValueError:
            return True  # a date or percentage LibreOffice formats even in this mode: not compared
    return not isinstance(value, str) or shown == value


@pytest.mark.skipif(not CONTROLLER.exists(), reason="controllerwerkboek ontbreekt")
def test_the_viewer_copy_shows_every_jbjr_table_in_libreoffice(tmp_path: Path) -> None:
    excel, viewers = tmp_path / "voor_excel.xlsm", tmp_path / "voor_viewers.xlsm"
    assert recalculate_file(CONTROLLER, excel, JbjrFunctions()).ok
    assert recalculate_file(CONTROLLER, viewers, JbjrFunctions(), custom_as_values=True).ok
    shown = _rendered([excel, viewers], tmp_path / "csv")
    names = {stem: sum(cell == "#NAME?" for rows in sheets.values() for row in rows for cell in row)
             for stem, sheets in shown.items()}
    assert names["voor_viewers"] == 0
    assert names["voor_excel"] > 1000  # the spilled tables: LibreOffice 7.4 recalculates their array formulas
    compared = 0
    for sheet in read_book(viewers).sheets:
        rows = shown["voor_viewers"][sheet.name]
        for (row, col), value in sheet.values.items():
            text = rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) else ""
            assert _same(text, value), (sheet.name, row, col, text, value)
            compared += 1
    assert compared > 8000
