"""Writing cached values: formulas kept, values visible to openpyxl and pandas, the rest of the package untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from jbjr_budget.formula_engine import check_file, read_book, recalculate_file
from jbjr_budget.writers.controller_workbook.dynamic_arrays import mark_dynamic_arrays

CONTROLLER = Path(__file__).resolve().parent.parent / "workbooks" / "jbjr_begroting.xlsm"


def _spill(rows: object) -> list[list[object]]:
    return [["code", "bedrag"], ["48A04", 1.5], ["48A05", None]]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Begroting"
    ws.append(["Volume", "Tarief", "Bedrag", "Label", "Hoog", "Fout"])
    ws.append([10, 2.5, "=A2*B2", '="R&D <"&A2&">"', "=C2>20", "=1/0"])
    ws.append([4, 3.25, "=A3*B3", '=""', "=C3>20", "=NA()"])
    ws["H1"] = ArrayFormula("H1", "=JBJR_TABEL(A1)")  # a dynamic array, as Excel 365 stores it
    ws["K1"] = "=SUM(C:C)"
    path = tmp_path / "werkboek.xlsx"
    wb.save(path)
    mark_dynamic_arrays(path)
    return path


def test_values_cached_and_formulas_kept(workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / "uit.xlsx"
    outcome = recalculate_file(workbook, target, {"JBJR_TABEL": _spill})
    assert outcome.error is None
    values = load_workbook(target, data_only=True)["Begroting"]
    # openpyxl reads an empty text result (t="str", <v></v>) as None.
    assert [values[a].value for a in ("C2", "D2", "E2", "F2", "C3", "D3", "E3", "F3", "K1")] == \
        [25, "R&D <10>", True, "#DIV/0!", 13, None, False, "#N/A", 38]
    assert [[values.cell(r, c).value for c in (8, 9)] for r in (1, 2, 3)] == \
        [["code", "bedrag"], ["48A04", 1.5], ["48A05", None]]
    formulas = load_workbook(target)["Begroting"]
    assert formulas["C2"].value == "=A2*B2"
    assert formulas["H1"].value.ref == "H1:I3"
    frame = pd.read_excel(target, sheet_name="Begroting")
    assert frame["Bedrag"].tolist() == [25, 13]


def test_other_package_members_are_byte_identical(workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / "uit.xlsx"
    recalculate_file(workbook, target, {"JBJR_TABEL": _spill})
    with zipfile.ZipFile(workbook) as before, zipfile.ZipFile(target) as after:
        assert before.namelist() == after.namelist()
        changed = [name for name in before.namelist() if before.read(name) != after.read(name)]
    assert changed == ["xl/worksheets/sheet1.xml"]


@pytest.mark.skipif(not CONTROLLER.exists(), reason="controllerwerkboek ontbreekt")
def test_xlsm_keeps_its_vba_project(tmp_path: Path) -> None:
    target = tmp_path / CONTROLLER.name
    outcome = recalculate_file(CONTROLLER, target)
    assert outcome.error is None
    with zipfile.ZipFile(CONTROLLER) as before, zipfile.ZipFile(target) as after:
        assert before.read("xl/vbaProject.bin") == after.read("xl/vbaProject.bin")
        assert before.read("[Content_Types].xml") == after.read("[Content_Types].xml")
    assert load_workbook(target, keep_vba=True).vba_archive is not None


def test_in_place_is_atomic_and_leaves_no_temporary_files(workbook: Path) -> None:
    outcome = recalculate_file(workbook, workbook, {"JBJR_TABEL": _spill})
    assert outcome.error is None
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["werkboek.xlsx"]
    assert check_file(workbook, functions={"JBJR_TABEL": _spill}).differences == []


def test_a_broken_workbook_leaves_the_target_alone(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"geen zip")
    target = tmp_path / "doel.xlsx"
    target.write_bytes(b"oud")
    outcome = recalculate_file(broken, target)
    assert outcome.error is not None
    assert "geen leesbaar Excel-werkboek" in outcome.error
    assert target.read_bytes() == b"oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doel.xlsx", "kapot.xlsx"]


def test_a_shrinking_spill_clears_its_old_cells(workbook: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "een.xlsx", tmp_path / "twee.xlsx"
    recalculate_file(workbook, first, {"JBJR_TABEL": _spill})
    recalculate_file(first, second, {"JBJR_TABEL": lambda rows: [["alleen"], ["dit"]]})
    values = load_workbook(second, data_only=True)["Begroting"]
    assert [[values.cell(r, c).value for c in (8, 9)] for r in (1, 2, 3)] == \
        [["alleen", None], ["dit", None], [None, None]]
    assert load_workbook(second)["Begroting"]["H1"].value.ref == "H1:H2"


def test_shared_formulas_as_excel_writes_them(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["B1"] = 10
    for row in (2, 3, 4):
        ws[f"A{row}"] = row
        ws[f"C{row}"] = "=PLACEHOLDER"
    path = tmp_path / "gedeeld.xlsx"
    wb.save(path)
    shared = {"C2": '<f t="shared" ref="C2:C4" si="0">A2*$B$1+1</f>', "C3": '<f t="shared" si="0"/>',
              "C4": '<f t="shared" si="0"/>'}
    with zipfile.ZipFile(path) as source:
        members = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members.items():
            text = data.decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                for cell, formula in shared.items():
                    text = text.replace(f'<c r="{cell}"><f>PLACEHOLDER</f><v /></c>', f'<c r="{cell}">{formula}</c>')
            target.writestr(info, text.encode())
    recalculate_file(path, path)
    values = load_workbook(path, data_only=True).active
    assert [values[f"C{row}"].value for row in (2, 3, 4)] == [21, 31, 41]


def test_control_characters_are_stored_as_excel_escapes_them(tmp_path: Path) -> None:
    # ECMA-376 ST_Xstring: characters XML cannot hold are written _xHHHH_, and a literal "_x0041_" gets _x005F_.
    wb = Workbook()
    wb.active["A1"] = "=JBJR_TEKST()"
    wb.save(tmp_path / "in.xlsx")
    text = "regel 1\x0cregel 2 _x0041_"
    outcome = recalculate_file(tmp_path / "in.xlsx", tmp_path / "uit.xlsx", {"JBJR_TEKST": lambda: text})
    assert outcome.error is None
    with zipfile.ZipFile(tmp_path / "uit.xlsx") as package:
        assert "regel 1_x000C_regel 2 _x005F_x0041_" in package.read("xl/worksheets/sheet1.xml").decode()
    assert read_book(tmp_path / "uit.xlsx").sheets[0].values[(1, 1)] == text


def test_strict_open_xml_is_read_and_written_as_it_is(tmp_path: Path) -> None:
    # Excel's "Strict Open XML" format: the same elements in other namespaces (ISO/IEC 29500 strict).
    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 2.5, "=A1*4"
    wb.save(tmp_path / "gewoon.xlsx")
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(tmp_path / "gewoon.xlsx") as source, zipfile.ZipFile(strict, "w") as target:
        for info in source.infolist():
            data = source.read(info).replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                             b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            target.writestr(info, data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                               b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    outcome = recalculate_file(strict, tmp_path / "uit.xlsx", {})
    assert outcome.error is None
    assert read_book(tmp_path / "uit.xlsx").sheets[0].values[(2, 1)] == 10.0
    with zipfile.ZipFile(tmp_path / "uit.xlsx") as package:
        assert b"http://purl.oclc.org/ooxml/spreadsheetml/main" in package.read("xl/workbook.xml")


def test_formula_text_is_read_with_excels_escapes(tmp_path: Path) -> None:
    # The corpus' xlrd-reveng1 stores ="_x005F_x000F_" in <f> and the value _x000F_: the formula is escaped too.
    wb = Workbook()
    wb.active["A1"] = '="PLACEHOLDER"'
    wb.save(tmp_path / "in.xlsx")
    with zipfile.ZipFile(tmp_path / "in.xlsx") as source, zipfile.ZipFile(tmp_path / "esc.xlsx", "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(b"PLACEHOLDER", b"_x005F_x000F_ en _x0041_"))
    recalculate_file(tmp_path / "esc.xlsx", tmp_path / "uit.xlsx", {})
    assert read_book(tmp_path / "uit.xlsx").sheets[0].values[(1, 1)] == "_x000F_ en A"


def test_a_spilled_value_shows_its_column_or_row_format(tmp_path: Path) -> None:
    # A cell without a <c> element shows its row's style (when the row has one) or its column's; Excel formats a
    # spilled value that way, so a new cell written for a spill must carry that style, not fall back to General.
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["B"].number_format = "0.00%"
    ws.row_dimensions[3].number_format = '"€" #,##0.00'
    ws["A1"] = ArrayFormula("A1", "=JBJR_TABEL()")
    path = tmp_path / "opmaak.xlsx"
    wb.save(path)
    mark_dynamic_arrays(path)
    recalculate_file(path, path, {"JBJR_TABEL": lambda: [[1, 0.25], [2, 0.5], [3, 1234.5]]})
    result = load_workbook(path)["Sheet"]
    assert [result[a].number_format for a in ("B1", "B2", "A2", "A3", "B3")] == [
        "0.00%", "0.00%", "General", '"€" #,##0.00', '"€" #,##0.00']
    assert result["B2"].value == 0.5
