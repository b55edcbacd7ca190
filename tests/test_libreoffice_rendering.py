"""Every client shows the numbers: what LibreOffice displays equals the values stored in our workbooks.

One LibreOffice run exports every sheet of the shipped (recalculated) controller workbook, its viewer copy
(``herbereken --jbjr-als-waarden``), a begroting workbook and a rapportage workbook as CSV, raw values, no
recalculation forced: what a user sees on opening the file. Each cell is compared with the value stored in
the file (openpyxl, ``data_only``). LibreOffice 7.4 recalculates every array formula on load, so in the
shipped controller workbook, which keeps Excel 365's dynamic arrays, exactly the spilled JBJR tables show
#NAME?; the viewer copy is what the guide tells LibreOffice users to open.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.cli import main
from jbjr_budget.formula_engine import read_book
from jbjr_budget.formula_engine.book import cell_address, split_address

pytestmark = pytest.mark.libreoffice  # skipped without soffice locally, an error in CI (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
CSV_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
ERRORS = ("#NAME?", "#VALUE!")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, report_ledger: dict) -> dict[str, Path]:
    """The three workbooks, and LibreOffice's CSV export of each of their sheets beside them."""
    folder = tmp_path_factory.mktemp("weergave")
    books = {"controller": folder / "controller.xlsm", "controller_bekijken": folder / "controller_bekijken.xlsm",
             "begroting": folder / "begroting.xlsx", "rapportage": folder / "rapportage.xlsx"}
    shutil.copy(ROOT / "workbooks" / "jbjr_begroting.xlsm", books["controller"])
    assert main(["herbereken", str(books["controller"]), "--jbjr-als-waarden",
                 "--uitvoer", str(books["controller_bekijken"])]) == 0
    assert main(["begroting", "--uitvoer", str(books["begroting"])]) == 0
    assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(report_ledger["ledger"]),
                 "--uitvoer", str(books["rapportage"])]) == 0
    profile = folder / "profiel"
    done = subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", CSV_EXPORT, "--outdir", str(folder / "csv"), *map(str, books.values())],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return books


def _number(shown: str) -> float | None:
    """LibreOffice's raw text of a number (a percentage cell shows "3.94%"); None when it is no number."""
    try:
        return float(shown[:-1]) / 100 if shown.endswith("%") else float(shown)
    except ValueError:
        return None


def _matches(stored: object, shown: str) -> bool:
    """Whether LibreOffice's raw text ``shown`` is the stored value (dates come as US month/day/year)."""
    if stored is None or isinstance(stored, bool):
        return shown == {None: "", True: "TRUE", False: "FALSE"}[stored]
    if isinstance(stored, int | float):
        number = _number(shown)
        return number is not None and math.isclose(number, stored, rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(stored, dt.datetime):
        layout = "%m/%d/%Y %H:%M:%S" if ":" in shown else "%m/%d/%Y"
        expected = stored.replace(microsecond=0) if ":" in shown else stored.replace(hour=0, minute=0, second=0)
        return shown == expected.strftime(layout) and expected == stored.replace(microsecond=0)
    return shown == str(stored)


def _differences(book: Path, worksheets: list[Worksheet] | None = None) -> tuple[list[str], list[str]]:
    """Cells LibreOffice shows differently from the stored value; and the error cells among them."""
    differences, errors = [], []
    for ws in worksheets or load_workbook(book, data_only=True).worksheets:
        with (book.parent / "csv" / f"{book.stem}-{ws.title}.csv").open(encoding="utf-8", newline="") as handle:
            shown = list(csv.reader(handle))
        for r in range(1, max(ws.max_row, len(shown)) + 1):
            line = shown[r - 1] if r <= len(shown) else []
            for c in range(1, max(ws.max_column, len(line)) + 1):
                stored = ws.cell(r, c).value
                text = line[c - 1] if c <= len(line) else ""
                if not _matches(stored, text):
                    where = f"{ws.title}!{ws.cell(r, c).coordinate}: opgeslagen {stored!r}, LibreOffice {text!r}"
                    differences.append(where)
                    if text in ERRORS:
                        errors.append(where)
    return differences, errors


@pytest.mark.parametrize("name", ["begroting", "rapportage", "controller_bekijken"])
def test_libreoffice_shows_the_stored_values(rendered: dict[str, Path], name: str) -> None:
    differences, errors = _differences(rendered[name])
    assert errors == [], f"{len(errors)} foutwaarden die niet zijn opgeslagen, bijv. {errors[:5]}"
    assert differences == [], f"{len(differences)} cellen anders dan opgeslagen, bijv. {differences[:5]}"


def _spilled_jbjr_cells(book: Path) -> set[str]:
    """``Blad!A1`` of every cell in the area of an array formula that calls a JBJR function."""
    cells = set()
    for sheet in read_book(book).sheets:
        for spec in sheet.formulas.values():
            if spec.kind == "array" and spec.ref and "JBJR_" in spec.text.upper():
                first, _, last = spec.ref.partition(":")
                (r1, c1), (r2, c2) = split_address(first), split_address(last or first)
                cells.update(f"{sheet.name}!{cell_address(r, c)}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    return cells


def test_in_the_shipped_workbook_libreoffice_recalculates_only_the_spilled_jbjr_tables(
    rendered: dict[str, Path],
) -> None:
    # LibreOffice 7.4 cannot keep the values of an array formula whose function it does not know, and Excel 365
    # needs the array markup to see a dynamic array: the documented limitation, held to exactly those cells.
    differences, errors = _differences(rendered["controller"])
    spilled = _spilled_jbjr_cells(rendered["controller"])
    assert len(spilled) > 1000
    assert [line for line in differences if line.split(":")[0] not in spilled] == []
    assert len(errors) == len(differences)


def test_the_comparison_sees_a_difference(rendered: dict[str, Path]) -> None:
    # The begroting's stored values with one amount changed: LibreOffice's export no longer matches it.
    begroting = load_workbook(rendered["begroting"], data_only=True)["Begroting"]
    cell = begroting["C5"]
    assert isinstance(cell.value, float)
    cell.value += 0.01
    differences = _differences(rendered["begroting"], [begroting])[0]
    assert len(differences) == 1
    assert differences[0].startswith(f"Begroting!C5: opgeslagen {cell.value!r}, LibreOffice ")
