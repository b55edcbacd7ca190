"""Every workbook the project writes, fit to print and to read: page setup, and numbers that are numbers.

The workbooks: the begroting (main job), the shipped controller workbook (with its stored values),
a monitoring template and the rapportage. Checked on every visible sheet: A4, landscape when wider
than portrait fits, all columns on one page wide, the sheet name and page numbers in the footer, the
table header printed on every page, and no cell holding a number (or an amount, a percentage, a
date) as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.cli import main
from jbjr_budget.rules.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
A4 = "9"  # paperSize code of A4 in the file format
PORTRAIT_COLUMNS = 100  # characters of column width that fit across portrait A4 at a readable scale
ROWS_PER_PAGE = 40  # a sheet longer than this prints on more than one page
NUMBER_AS_TEXT = re.compile(r"[-+€%/.,\s\d]*\d[-+€%/.,\s\d]*")
VERSION = re.compile(r"\d+\.\d+\.\d+")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory, report_ledger: dict) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("afdruk")
    assert main(["begroting", "--uitvoer", str(folder / "begroting.xlsx")]) == 0
    assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(report_ledger["ledger"]),
                 "--uitvoer", str(folder / "rapportage.xlsx")]) == 0
    assert main(["template", "--gi", "jgb", "--regio", "alkmaar", "--periode", "2026-Q1", "--uitvoer",
                 str(folder / "sjablonen"), "--grootboek", str(report_ledger["ledger"])]) == 0
    return {"begroting": folder / "begroting.xlsx", "rapportage": folder / "rapportage.xlsx",
            "sjabloon": next((folder / "sjablonen").glob("*.xlsx")),
            "controller": ROOT / "workbooks" / "jbjr_begroting.xlsm"}


def _sheets(path: Path, data_only: bool = False) -> list[Worksheet]:
    book = load_workbook(path, data_only=data_only, keep_vba=path.suffix == ".xlsm")
    return [ws for ws in book.worksheets if ws.sheet_state == "visible"]


def _width(ws: Worksheet) -> float:
    """Width of the columns in use (or given a width for a table to spill into), in characters."""
    last = max([ws.max_column, *(column_index_from_string(k) for k, d in ws.column_dimensions.items() if d.width)])
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last + 1))


NAMES = ["begroting", "controller", "sjabloon", "rapportage"]


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_prints_on_a4_with_footer_and_fits_the_width(workbooks: dict[str, Path], name: str) -> None:
    for ws in _sheets(workbooks[name]):
        setup = ws.page_setup
        assert str(setup.paperSize) == A4, ws.title
        assert setup.orientation == ("landscape" if _width(ws) > PORTRAIT_COLUMNS else "portrait"), ws.title
        assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert ws.oddFooter.left.text == "&A", ws.title  # the sheet's name
        assert ws.oddFooter.right.text == "Pagina &P van &N", ws.title


@pytest.mark.parametrize("name", NAMES)
def test_table_headers_print_on_every_page(workbooks: dict[str, Path], name: str) -> None:
    for ws in _sheets(workbooks[name]):
        titles = (ws.print_title_rows or "").replace("$", "")
        if ws.freeze_panes and ws.freeze_panes[1:] != "1":  # a frozen header is the table's header
            header = int(re.sub(r"[A-Z]", "", ws.freeze_panes)) - 1
            assert titles == f"{header}:{header}", ws.title
        if ws.max_row > ROWS_PER_PAGE:
            assert titles, f"{ws.title}: {ws.max_row} rijen, geen kopregel op elke pagina"


@pytest.mark.parametrize("name", NAMES)
def test_no_number_is_stored_as_text(workbooks: dict[str, Path], name: str, catalog: Catalog) -> None:
    # A product code (45070, 4711) and a version (0.37.8) are texts; an amount, a year or a date is not.
    found = []
    for ws in _sheets(workbooks[name], data_only=True):
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if (isinstance(value, str) and NUMBER_AS_TEXT.fullmatch(value) and value not in catalog.producten
                        and not VERSION.fullmatch(value)):
                    found.append(f"{ws.title}!{cell.coordinate}: {value!r}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", NAMES)
def test_regions_municipalities_and_gis_by_name_not_key(workbooks: dict[str, Path], name: str,
                                                        catalog: Catalog) -> None:
    keys = {*catalog.regios, *catalog.gis, *(g.key for g in catalog.gemeenten())}
    found = [f"{ws.title}!{cell.coordinate}: {cell.value!r}" for ws in _sheets(workbooks[name], data_only=True)
             for row in ws.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value in keys]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", ["begroting", "rapportage"])
def test_explanations_name_no_internal_functions(workbooks: dict[str, Path], name: str) -> None:
    # Python names such as budget_lines or period_amount; scenario names and the program's name are the user's words
    allowed = {"basis", "doelpad_min20", "caseload_15", "caseload_afbouw", "jbjr_budget"}
    ws = load_workbook(workbooks[name])["Toelichting"]
    words = {word for row in ws.iter_rows(values_only=True) for text in row if isinstance(text, str)
             for word in re.findall(r"(?<![.\w])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text)}
    assert words - allowed == set()


UNACCENTED = re.compile(r"\b(geindexeerd\w*|coordinat\w*|reele|client\w*|financien|beinvloed\w*|categorieen|ideeen)\b",
                        re.IGNORECASE)


@pytest.mark.parametrize("name", NAMES)
def test_dutch_words_carry_their_diacritics(workbooks: dict[str, Path], name: str) -> None:
    # Geïndexeerd, coördinatie, reële, cliëntgebonden, financiën: the spelling a Dutch reader expects.
    found = [f"{ws.title}!{cell.coordinate}: {match}" for ws in _sheets(workbooks[name])
             for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)
             for match in UNACCENTED.findall(cell.value)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", NAMES)
def test_every_fraction_has_a_number_format(workbooks: dict[str, Path], name: str) -> None:
    # In General format 0.4375 or 1234567.891 show as the program computed them; a format shows what they mean.
    found = [f"{ws.title}!{cell.coordinate}: {cell.value!r}" for ws in _sheets(workbooks[name], data_only=True)
             for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, float) and not cell.value.is_integer() and cell.number_format == "General"]
    assert found == [], "\n".join(found[:40])
