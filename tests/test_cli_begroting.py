"""The main job `jbjr-budget begroting`: workbook contents, summary and Dutch errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheet_layout import covered_cells, occupied_cells

from jbjr_budget.cli import main

SHEETS = ["Toelichting", "Begroting", "Scenario's", "Kostprijs", "Weerstandsvermogen", "Tarieven", "Volumes",
          "Parameters"]


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("job") / "begroting.xlsx"
    assert main(["begroting", "--uitvoer", str(path)]) == 0
    return path


def test_workbook_has_every_sheet_with_charts(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == SHEETS
    assert len(wb["Scenario's"]._charts) == 1
    assert len(wb["Weerstandsvermogen"]._charts) == 1
    assert wb["Begroting"].freeze_panes == "A5"


@pytest.mark.parametrize("sheet", ["Scenario's", "Weerstandsvermogen"])
def test_charts_cover_no_filled_cell(workbook_path: Path, sheet: str) -> None:
    ws = load_workbook(workbook_path)[sheet]
    for chart in ws._charts:
        assert not occupied_cells(ws) & covered_cells(ws, chart)


def test_figures_that_can_surprise_are_explained(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    scenario_texts = [c for row in book["Scenario's"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("caseload_15" in t and "alleen de kostprijs" in t for t in scenario_texts)
    facts = {row[10].value: row[11] for row in book["Weerstandsvermogen"].iter_rows(min_col=1, max_col=12)
             if isinstance(row[10].value, str)}
    payback = facts["Terugverdientijd (jaren)"]
    assert isinstance(payback.value, float)
    assert payback.number_format == "0.00"
    percentiles = [facts[f"Monte Carlo: reserve eind, P{p} ({w})"].value
                   for p, w in ((5, "ongunstig"), (50, "mediaan"), (95, "gunstig"))]
    assert percentiles == sorted(percentiles)
    assert all(isinstance(v, float) for v in percentiles)
    assert any(label.startswith("NCW en terugverdientijd: de investering op t = 0") for label in facts)


def test_wrapped_explanations_get_the_rows_they_need(workbook_path: Path) -> None:
    # Neither Excel nor LibreOffice grows a row for wrapped text on opening; 110 wide fits about 120 characters.
    ws = load_workbook(workbook_path)["Toelichting"]
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=2):
        text = row[0].value
        if text and len(text) > 130:
            assert (ws.row_dimensions[row[0].row].height or 0) >= 2 * 15, text


def test_surcharge_cost_per_municipality_is_its_share_of_the_gis_surcharge(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    budget = {r[1]: r[2:7] for r in book["Begroting"].iter_rows(min_row=5, max_row=21, values_only=True)}
    sheet = list(book["Weerstandsvermogen"].iter_rows(values_only=True))
    surcharge_per_year = [r[3] for r in sheet[4:9]]  # the reserve table: Jaar, Omzet zonder opslag, Actief, Opslag
    assert all(r[2] == "Ja" for r in sheet[4:9])  # the bundled data never reach 10 % within 2026-2030
    start = next(i for i, r in enumerate(sheet) if r[0] and str(r[0]).startswith("Kosten risico-opslag"))
    rows = sheet[start + 2:start + 2 + 18]
    municipalities, total = rows[:17], rows[17]
    assert total[:2] == ("Totaal", "Alle gemeenten")
    assert list(total[2:7]) == surcharge_per_year
    for year in range(5):
        # By hand: 2 % of the municipality's own budget that year; the total is rounded once (half a cent) and
        # the split gives each share its exact part rounded up or down (less than a cent).
        for row in municipalities:
            by_hand = Decimal("0.02") * Decimal(str(budget[row[1]][year]))
            assert abs(Decimal(str(row[2 + year])) - by_hand) <= Decimal("0.015")
        assert sum(Decimal(str(r[2 + year])) for r in municipalities) == Decimal(str(total[2 + year]))


def test_municipality_rows_add_up_to_the_total_row(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Begroting"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    municipalities = rows[:17]
    assert len({r[1] for r in municipalities}) == 17
    total = next(r for r in rows if r[0] == "Totaal")
    for column in range(2, 7):
        by_hand = sum(Decimal(str(r[column])) for r in municipalities)
        assert by_hand == Decimal(str(total[column]))


def test_example_values_are_flagged_in_workbook_and_cli(workbook_path: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    toelichting = [c for row in load_workbook(workbook_path)["Toelichting"].iter_rows(values_only=True)
                   for c in row if c]
    assert "LET OP: voorbeeldwaarden" in toelichting
    parameters = load_workbook(workbook_path)["Parameters"]
    flagged = [r for r in parameters.iter_rows(min_row=5, values_only=True) if r[7] == "Ja"]
    assert any(r[1] == "tarieven.landelijk.48A04" for r in flagged)
    assert main(["begroting", "--regio", "IJmond", "--jaren", "2026", "--uitvoer", str(tmp_path / "x.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "voorbeeldwaarden" in out
    assert "Regio IJmond" in out


def test_own_parameter_file_changes_the_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "eigen.yaml"
    # Every tariff of IJmond's products at EUR 0 except 48A04: the budget is then OTS < 1 jaar alone.
    # National tariffs for the JB products, NW4's contracted ones for JR and the additional services.
    national, contracted = ["48A04", "48A05", "48A06", "48A10"], ["47A01", "47A02", "47A03", "47A04", "47A05",
                                                                  "47A06", "4711", "49B05", "45070", "48C09", "54004"]
    own.write_text("tarieven:\n  landelijk:\n" + "".join(
        f"    \"{code}\":\n      values:\n        2026-01-01: {{value: {0 if code != '48A04' else 1000}, "
        "reference: 'test'}\n" for code in national) + "  regionaal:\n    nw4:\n" + "".join(
        f"      \"{code}\":\n        values:\n          2026-01-01: {{value: 0, reference: 'test'}}\n"
        for code in contracted), encoding="utf-8")
    path = tmp_path / "b.xlsx"
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2026", "--parameters", str(own),
                 "--uitvoer", str(path)]) == 0
    total = next(r for r in load_workbook(path)["Begroting"].iter_rows(values_only=True) if r[0] == "Totaal")
    # IJmond youths 8,600 + 7,500 + 13,600 = 29,700; x 3.5 / 1,000 = 103.95 OTS; x 12 x 1,000 = 1,247,400.
    # Per municipality: 30.1, 26.25 and 47.6 measures (exact on the 0.001 grid), so no rounding differences.
    assert Decimal(str(total[2])) == Decimal("1247400")
    capsys.readouterr()


def test_bad_parameter_file_is_a_dutch_error_and_writes_nothing(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "fout.yaml"
    own.write_text("tarieven:\n  landelijk:\n    48A04:\n      values:\n        2026-01-01: {value: 12}\n")
    path = tmp_path / "b.xlsx"
    assert main(["begroting", "--parameters", str(own), "--uitvoer", str(path)]) == 1  # data rejected
    err = capsys.readouterr().err
    assert err.startswith("Fout: ")
    assert str(own) in err
    assert "mist een bron" in err
    assert not path.exists()


def test_unknown_region_is_a_dutch_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["begroting", "--regio", "Atlantis", "--uitvoer", str(tmp_path / "b.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "onbekende regio Atlantis; kies uit: alkmaar (Regio Alkmaar), ijmond (Regio IJmond)" in err


def test_own_scenario_file_is_computed_beside_the_bundled_ones(tmp_path: Path) -> None:
    scenario = tmp_path / "min_tien.yaml"
    scenario.write_text('description: "Maatregelen -10%"\nvolumes:\n  pad:\n    doel:\n      values:\n'
                        '        2022-01-01: {value: maatregelen, reference: "Eigen aanname"}\n'
                        'doelen:\n  beleid:\n    maatregelen:\n      reductie:\n        values:\n'
                        '          2022-01-01: {value: 0.10, reference: "Eigen aanname"}\n', encoding="utf-8")
    path = tmp_path / "b.xlsx"
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2027", "--scenario", str(scenario),
                 "--uitvoer", str(path)]) == 0
    book = load_workbook(path)
    header = next(book["Scenario's"].iter_rows(min_row=4, max_row=4, values_only=True))
    assert header[1:6] == ("basis", "caseload_15", "caseload_afbouw", "doelpad_min20", "min_tien")
    volumes = {(r[0], r[2], r[3]): r[4] for r in book["Volumes"].iter_rows(min_row=5, values_only=True)}
    # After 2026 the -10% path stays at 90% of the reference for the court-imposed measures (not GBM advice
    # 47A02, not LET 48A10); both volumes sit on a 0.001 grid, so they may differ by one step of it.
    imposed = ("48A04", "48A05", "48A06", "47A01", "47A03", "47A04", "47A05", "47A06", "4711")
    measures = [(g, p) for (s, g, p) in volumes if s == "basis" and p in imposed]
    assert len(measures) == 3 * 9
    for product in ("47A02", "48A10", "45070"):
        assert volumes[("min_tien", "Velsen", product)] == volumes[("basis", "Velsen", product)]
    for gemeente, product in measures:
        assert abs(volumes[("min_tien", gemeente, product)] - 0.9 * volumes[("basis", gemeente, product)]) <= 0.001


def test_own_file_with_an_unquoted_date_runs(tmp_path: Path) -> None:
    # An unquoted date in a user's file used to crash the Parameters sheet (float() of a date).
    own = tmp_path / "doel.yaml"
    own.write_text("doelen:\n  beleid:\n    maatregelen:\n      doeldatum:\n        values:\n"
                   "          2022-01-01: {value: 2027-12-31, reference: 'Eigen doeldatum'}\n", encoding="utf-8")
    path = tmp_path / "b.xlsx"
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2026", "--parameters", str(own),
                 "--uitvoer", str(path)]) == 0
    shown = {r[1]: r[5] for r in load_workbook(path)["Parameters"].iter_rows(min_row=5, values_only=True)
             if r[0] == "doelpad_min20"}
    assert shown["doelen.beleid.maatregelen.doeldatum"].date() == dt.date(2027, 12, 31)  # a date, shown as one


def test_the_budget_process_loads_neither_pandas_nor_xlwings(tmp_path: Path) -> None:
    # pandas (with pyarrow) alone costs about a third of a second to import: the begroting computes in numpy and
    # named-tuple rows and writes with openpyxl, so a whole run stays well under its one-second goal.
    code = ("import sys; from jbjr_budget.cli import main; "
            f"assert main(['begroting', '--uitvoer', {str(tmp_path / 'b.xlsx')!r}]) == 0; "
            "print('geladen:' + ','.join(m for m in ('pandas', 'pyarrow', 'xlwings') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.rsplit("geladen:", 1)[1].strip() == ""
