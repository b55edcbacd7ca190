"""The controller workbook: regenerated equals committed, VBA tied to the pinned xlwings, formulas valid."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
import xlwings

from jbjr_budget.cli import main
from jbjr_budget.writers.controller_workbook.builder import CONF_SHEET, UDF_MODULE, embedded_xlwings_version
from jbjr_budget.writers.controller_workbook.vba_project import read_vba_project, vba_modules
from jbjr_budget.writers.styles import EURO, PERCENT
from udfs import SPECS
from udfs.macros import NAMEN

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "jbjr_begroting.xlsm"
JBJR_CALL = re.compile(r"\b(JBJR_[A-Z_]+)\(")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("werkboek") / "jbjr_begroting.xlsm"
    assert main(["werkboek", "--uitvoer", str(path)]) == 0  # built and recalculated, as the committed one
    return path


def _formula(value: Any) -> Any:
    return getattr(value, "text", value)  # an ArrayFormula keeps its text in .text


def snapshot(path: Path) -> dict[str, Any]:
    """What the workbook means: sheets, cells, formulas, names, validations and the VBA bytes."""
    workbook = openpyxl.load_workbook(path, keep_vba=True)
    cells = {
        ws.title: {c.coordinate: _formula(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        for ws in workbook.worksheets
    }
    validations = {ws.title: sorted((str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation)
                   for ws in workbook.worksheets}
    names = {name: d.attr_text for name, d in workbook.defined_names.items()}
    looks = {
        ws.title: {
            "formats": {c.coordinate: c.number_format for row in ws.iter_rows() for c in row
                        if c.number_format != "General"},
            "fills": sorted(c.coordinate for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb != "00000000"),
            "columns": {k: (d.width, d.number_format) for k, d in sorted(ws.column_dimensions.items())},
        }
        for ws in workbook.worksheets
    }
    return {"cells": cells, "names": names, "validations": validations, "looks": looks,
            "vba": read_vba_project(path)}


def formulas(path: Path) -> dict[str, str]:
    workbook = openpyxl.load_workbook(path, keep_vba=True)
    return {f"{ws.title}!{c.coordinate}": _formula(c.value) for ws in workbook.worksheets
            for row in ws.iter_rows() for c in row if isinstance(_formula(c.value), str)
            and str(_formula(c.value)).startswith("=")}


def calls(formula: str) -> list[tuple[str, int]]:
    """Every ``JBJR_`` call in a formula with its number of arguments (strings and nesting respected)."""
    found: list[tuple[str, int]] = []
    for match in JBJR_CALL.finditer(formula):
        depth, count, in_text, empty = 0, 1, False, True
        for char in formula[match.end():]:
            if char == '"':
                in_text = not in_text
            elif in_text:
                pass
            elif char == "(":
                depth += 1
            elif char == ")" and depth == 0:
                break
            elif char == ")":
                depth -= 1
            elif char == "," and depth == 0:
                count += 1
            if not char.isspace():
                empty = False
        found.append((match.group(1), 0 if empty else count))
    return found


def test_argument_counter():
    assert calls('=JBJR_A(1,"a,b",JBJR_B(2,3),SUM(4,5))') == [("JBJR_A", 4), ("JBJR_B", 2)]
    assert calls("=JBJR_C()") == [("JBJR_C", 0)]


def test_committed_workbook_is_current(built):
    assert COMMITTED.exists(), "genereer het werkboek met: jbjr-budget werkboek --uitvoer workbooks/jbjr_begroting.xlsm"
    assert snapshot(COMMITTED) == snapshot(built), (
        "workbooks/jbjr_begroting.xlsm is verouderd: jbjr-budget werkboek --uitvoer workbooks/jbjr_begroting.xlsm"
    )


def test_committed_workbook_passes_the_readmes_ci_check(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["herbereken", "--controleer", "workbooks/", "--tolerantie", "0.005"]) == 0, capsys.readouterr().out


def sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    """The package part holding sheet ``name``."""
    rid = re.search(rf'<sheet name="{name}"[^>]*r:id="(\w+)"', archive.read("xl/workbook.xml").decode())[1]
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def test_the_ci_check_fails_when_one_stored_value_is_changed(tmp_path, capsys):
    copy = tmp_path / COMMITTED.name
    with zipfile.ZipFile(COMMITTED) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        begroting = sheet_part(source, "Begroting")
        for info in source.infolist():
            data = source.read(info)
            if info.filename == begroting:  # a spilled amount, as a hand edit would leave it
                data, changed = re.subn(rb'(<c r="G5"[^>]*><v>)([0-9.]+)(</v>)',
                                        lambda m: m[1] + str(float(m[2]) + 0.01).encode() + m[3], data)
                assert changed == 1
            target.writestr(info, data)
    assert main(["herbereken", "--controleer", str(copy), "--tolerantie", "0.005"]) == 1
    out = capsys.readouterr().out
    assert "1 cel wijkt af van de herberekening:" in out
    assert "Blad 'Begroting', cel G5: opgeslagen" in out


def test_vba_is_the_pinned_xlwings():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = next(d.split("==")[1] for d in pyproject["project"]["dependencies"] if d.startswith("xlwings=="))
    vba = read_vba_project(COMMITTED)
    source = vba_modules(vba)["xlwings"]
    assert embedded_xlwings_version(vba) == pinned == xlwings.__version__
    assert f'"xlwings64-{pinned}.dll"' in source
    assert f'"xlwings32-{pinned}.dll"' in source


def test_vba_project_holds_the_full_xlwings_module():
    modules = vba_modules(read_vba_project(COMMITTED))
    source = modules["xlwings"].replace("\r\n", "\n")
    shipped = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    code = [line for line in shipped.splitlines() if not line.startswith("Attribute VB_")]
    assert [line for line in source.splitlines() if not line.startswith("Attribute VB_")] == code
    for needed in ("Public Function RunPython(", "Sub ImportPythonUDFs(", "Function GetConfig("):
        assert needed in source, needed
    with zipfile.ZipFile(COMMITTED) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types


def test_every_jbjr_formula_names_a_udf_with_a_valid_argument_count():
    seen = set()
    for where, formula in formulas(COMMITTED).items():
        for name, count in calls(formula):
            assert name in SPECS, f"{where}: onbekende functie {name}"
            spec = SPECS[name]
            assert spec.min_args <= count <= spec.max_args, f"{where}: {name} met {count} argumenten"
            seen.add(name)
    assert len(seen) == len(SPECS), f"niet in het werkboek: {sorted(set(SPECS) - seen)}"


def test_spilling_udfs_are_dynamic_arrays_and_single_values_are_not():
    workbook = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                names = [n for n, _ in calls(str(_formula(cell.value)))]
                if not names:
                    continue
                is_array = isinstance(cell.value, openpyxl.worksheet.formula.ArrayFormula)
                assert is_array == (SPECS[names[0]].vorm != "waarde"), f"{ws.title}!{cell.coordinate}"
    with zipfile.ZipFile(COMMITTED) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
        assert "sheetMetadata" in archive.read("xl/_rels/workbook.xml.rels").decode()
        assert "XLDAPR" in archive.read("xl/metadata.xml").decode()
    assert len(re.findall(r'<c [^>]*cm="1"[^>]*><f t="array"', sheets)) == 5  # JBJR_VOORBEELDEN on Toelichting


def test_conf_sheet_names_the_udf_module_and_every_name_exists():
    workbook = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    conf = workbook[CONF_SHEET]
    settings = {conf.cell(r, 1).value: conf.cell(r, 2).value for r in range(1, conf.max_row + 1)}
    assert settings["UDF Modules"] == UDF_MODULE == "udfs.excel_functions"
    assert "_xlwings.conf" not in workbook.sheetnames
    assert set(NAMEN.values()) <= set(workbook.defined_names)
    info = workbook.defined_names["Info_Xlwings_versie"].attr_text
    sheet, cell = info.split("!")
    assert workbook[sheet.strip("'")][cell.replace("$", "")].value == xlwings.__version__


def test_dates_amounts_and_headers_fit_their_columns(built):
    # Excel shows ### for a number wider than its column: 31-12-2030 needs 10 characters,
    # 12.345.678,90 needs 13; a bold header should not be cut off by the cell beside it.
    workbook = openpyxl.load_workbook(built, keep_vba=True)
    for ws in workbook.worksheets:
        if ws.title == CONF_SHEET:
            continue
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if cell.value is None:
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                where = f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, dt.date) or "yyyy" in cell.number_format:
                    assert width >= 11, where
                if cell.number_format == EURO:
                    assert width >= 14, where
                if cell.font.b and cell.column > 1 and isinstance(cell.value, str):
                    assert width >= len(cell.value), where
    parameters = workbook["Parameters"]
    for label, fraction in (("Risico-opslag op het tarief", PERCENT), ("Disconteringsvoet", PERCENT)):
        row = next(r for r in range(1, parameters.max_row + 1) if parameters.cell(r, 1).value == label)
        assert parameters.cell(row, 2).number_format == fraction, label
    reserve = workbook["Reserve"]
    anchor = next(c for row in reserve.iter_rows() for c in row if "JBJR_RESERVEPAD" in str(_formula(c.value)))
    first_year = reserve.cell(anchor.row + 1, anchor.column)  # the header row spills first, then one row a year
    assert first_year.offset(0, 1).number_format == EURO  # Omzet excl. opslag (EUR)
    assert first_year.offset(0, 8).number_format == PERCENT  # Reserve % omzet
    begroting = workbook["Begroting"]
    assert [begroting.column_dimensions[c].number_format for c in "FG"] == [EURO] * 2


@pytest.mark.libreoffice
def test_opens_in_libreoffice_and_plain_formulas_compute(tmp_path):
    profile = tmp_path / "profiel" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item></oor:items>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={(tmp_path / 'profiel').as_uri()}",
         "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(COMMITTED)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    computed = openpyxl.load_workbook(tmp_path / "jbjr_begroting.xlsx", data_only=True)
    source = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    first_year = source["Scenario"]["B6"].value
    assert [computed["Scenario"].cell(7, c).value for c in range(2, 7)] == [first_year + k for k in range(5)]
    assert computed["Scenario"]["B10"].value.year == first_year  # =DATE(first year, 1, 1)
    assert [computed["Meerjarig"].cell(r, 1).value for r in range(5, 10)] == [first_year + k for k in range(5)]
    volumes = [source["Volumes"].cell(r, 5).value for r in range(5, 20)]
    assert computed["Volumes"]["E20"].value == pytest.approx(sum(volumes))
    assert computed["Volumes"]["F5"].value == "#NAME?"  # UDFs need Excel with xlwings
    # Parameter values follow the chosen scenario through JBJR_PARAMETER, so what uses them waits for Excel too.
    assert computed["Parameters"]["B8"].value == computed["Reserve"]["B8"].value == "#NAME?"
