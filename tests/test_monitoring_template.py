"""Monitoring templates: layout, protection, validation, live checks, hidden metadata and prefill."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.cli import main
from jbjr_budget.errors import InvoerFout
from jbjr_budget.monitoring.layout import META_SHEET, build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template

Q1 = Periode.parse("2026-Q1")
SHEETS = ["Instructie", "Volumes", "Inspectienormen", "Personeel", "Financiën", "Toelichting", META_SHEET]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    return write_template(layout, tmp_path_factory.mktemp("tpl") / template_name("jgb", "alkmaar", Q1))


def _input_cells(ws: Worksheet) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}


def test_periods_parse_and_step_back() -> None:
    assert Periode.parse("2026-q3").start.isoformat() == "2026-07-01"
    assert Periode.parse("2026-Q4").end.isoformat() == "2026-12-31"
    assert Periode.parse("2026-M01").previous().code == "2025-M12"
    with pytest.raises(InvoerFout, match="periode '2026-Q5' onbekend"):
        Periode.parse("2026-Q5")


def test_volume_sheet_has_a_row_per_product_and_municipality(template: Path, catalog: Catalog) -> None:
    ws = load_workbook(template)["Volumes"]
    regio = catalog.regio("alkmaar")
    rows = [(r[0], r[2]) for r in ws.iter_rows(min_row=5, max_col=3, values_only=True) if r[0]]
    expected = [(p, g.naam) for p in [*regio.producten, "VOTS"] for g in regio.gemeenten]
    assert rows == expected
    assert [c.value for c in ws[4]][3:7] == ["Stand begin periode", "Instroom", "Uitstroom", "Stand einde periode"]


def test_sheets_are_protected_and_only_input_cells_unlocked(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == SHEETS
    assert wb.security.lockStructure
    for ws in wb:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password is None
    volumes = _input_cells(wb["Volumes"])
    assert {"D5", "J5"} <= volumes
    assert not {"A5", "B5", "C5", "K5"} & volumes
    assert wb["Volumes"]["D5"].fill.fgColor.rgb.endswith("FFF2CC")
    assert _input_cells(wb["Instructie"]) == set()
    assert _input_cells(wb["Personeel"]) == {f"B{r}" for r in range(5, 12)}


def test_every_input_cell_has_a_dutch_validation(template: Path) -> None:
    wb = load_workbook(template)
    for ws in wb:
        validations = {str(c): dv for dv in ws.data_validations.dataValidation for c in _cells(dv.sqref)}
        assert set(validations) == _input_cells(ws), ws.title
        for dv in validations.values():
            assert dv.showErrorMessage
            assert dv.error
            assert dv.prompt
            assert dv.errorTitle == "Ongeldige invoer"
    volumes = {c: dv for dv in wb["Volumes"].data_validations.dataValidation for c in _cells(dv.sqref)}
    assert (volumes["D5"].type, volumes["D5"].operator, volumes["D5"].formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "geheel getal van 0 of meer" in volumes["D5"].prompt
    personeel = {c: dv for dv in wb["Personeel"].data_validations.dataValidation for c in _cells(dv.sqref)}
    assert (personeel["B7"].type, personeel["B7"].formula1, personeel["B7"].formula2) == ("decimal", "0", "100")
    financien = {c: dv for dv in wb["Financiën"].data_validations.dataValidation for c in _cells(dv.sqref)}
    assert (financien["B10"].type, financien["B10"].formula1) == ("list", '"Voorlopig,Definitief"')


def _cells(sqref: object) -> list[str]:
    found = []
    for part in str(sqref).split():
        low_col, low_row, high_col, high_row = range_boundaries(part)
        found += [f"{get_column_letter(c)}{r}" for c in range(low_col, high_col + 1)
                  for r in range(low_row, high_row + 1)]
    return found


def test_live_checks_and_conditional_formatting(template: Path) -> None:
    wb = load_workbook(template)
    volumes, inspectie, financien = wb["Volumes"], wb["Inspectienormen"], wb["Financiën"]
    assert volumes["K5"].value.startswith("=IF(ROUND(D5,0)+ROUND(E5,0)-ROUND(F5,0)=ROUND(G5,0),\"OK\"")
    assert inspectie["I5"].value.startswith("=IF(ROUND(C5,0)<=ROUND(B5,0),")
    # Each amount rounded to cents, then the difference: the rule the importer applies to the booked cents.
    assert financien["D7"].value.startswith("=IF(ROUND(ROUND(B5,2)-ROUND(B6,2)-ROUND(B7,2),2)=0,")
    ranges = {str(r.sqref) for r in volumes.conditional_formatting}
    assert {"K5:K94", "G5:G94"} <= ranges
    rule = next(iter(volumes.conditional_formatting)).rules[0]
    assert rule.formula == ['LEFT($K5,4)="FOUT"']


def test_metadata_sheet_is_hidden_and_names_the_file(template: Path, catalog: Catalog) -> None:
    ws = load_workbook(template)[META_SHEET]
    assert ws.sheet_state == "hidden"
    assert ws.protection.sheet
    meta = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert meta["gi"] == "jgb"
    assert meta["regio"] == "alkmaar"
    assert meta["periode"] == "2026-Q1"
    assert meta["versie"] == "1.1"
    assert meta["producten"].split(",") == list(catalog.regio("alkmaar").producten)
    assert meta["vingerafdruk"] == build_layout(catalog, "jgb", "alkmaar", Q1).fingerprint()


def test_fingerprint_depends_on_identity_and_layout_not_on_styles(catalog: Catalog) -> None:
    base = build_layout(catalog, "jgb", "alkmaar", Q1)
    assert base.fingerprint() == build_layout(catalog, "jgb", "alkmaar", Q1).fingerprint()
    assert base.fingerprint() != build_layout(catalog, "jgb", "alkmaar", Periode.parse("2026-Q2")).fingerprint()
    fewer = build_layout(catalog, "jgb", "alkmaar", Q1, producten=catalog.regio("alkmaar").producten[:-1])
    assert base.fingerprint() != fewer.fingerprint()


def test_cli_writes_every_gi_region_template_of_a_contract(tmp_path: Path, catalog: Catalog,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--alle", "--periode", "2026-Q1", "--uitvoer", str(tmp_path),
                 "--grootboek", str(tmp_path / "geen.sqlite")]) == 0
    expected = {template_name(gi, r.key, Q1) for r in catalog.contract_regios("nw4") for gi in r.gis}
    assert {p.name for p in tmp_path.glob("*.xlsx")} == expected
    assert len(expected) == 12
    assert not (tmp_path / "geen.sqlite").exists()
    assert main(["template", "--periode", "2026-Q1"]) == 2
    assert "geef --gi en --regio, of --alle" in capsys.readouterr().err


def test_no_template_for_a_gi_the_region_does_not_contract(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # Jeugdbescherming West works for the JB West regions (catalogue), not for Regio Alkmaar.
    assert main(["template", "--gi", "jbw", "--regio", "alkmaar", "--periode", "2026-Q1",
                 "--uitvoer", str(tmp_path), "--grootboek", str(tmp_path / "geen.sqlite")]) == 2
    assert "Fout: GI jbw is niet gecontracteerd door Regio Alkmaar" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_wrapped_headers_and_instructions_get_room_and_pages_fit_the_width(template: Path) -> None:
    # Neither Excel nor LibreOffice grows a row for wrapped text on opening: without heights the
    # headers 'Gemiddelde duur (maanden)' and 'Gemiddelde wachttijd (dagen)' both read 'Gemiddelde'.
    wb = load_workbook(template)
    volumes = wb["Volumes"]
    assert volumes["H4"].value == "Gemiddelde duur (maanden)"
    assert (volumes.row_dimensions[4].height or 0) >= 3 * 15
    assert (wb["Inspectienormen"].row_dimensions[4].height or 0) >= 3 * 15
    instructie = wb["Instructie"]
    long_rows = [c.row for c in instructie["A"] if isinstance(c.value, str) and len(c.value) > 120]
    assert long_rows
    assert all((instructie.row_dimensions[r].height or 0) >= 2 * 15 for r in long_rows)
    assert (wb["Toelichting"].row_dimensions[5].height or 0) >= 4 * 15
    for ws in wb.worksheets[:-1]:
        assert not ws["A2"].alignment.wrap_text, ws.title  # the subtitle runs on, not cut off in column A
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
