"""Import of filled templates into the ledger: values as typed, idempotence, corrections, prefill, CLI."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from monitoring_cases.fill import expected_ledger, fill_with_openpyxl, ledger_rows, typed_values
from openpyxl import load_workbook

from jbjr_budget.cli import main
from jbjr_budget.errors import JbjrFout
from jbjr_budget.monitoring import importer
from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import TABLES, Ledger, migrations
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import opening_stock, write_template

Q1, Q2 = Periode.parse("2026-Q1"), Periode.parse("2026-Q2")


def _filled(folder: Path, catalog: Catalog, gi: str, regio: str, periode: Periode, seed: int) -> tuple[Path, dict]:
    layout = build_layout(catalog, gi, regio, periode)
    template = write_template(layout, folder / "leeg" / template_name(gi, regio, periode))
    values = typed_values(layout, seed)
    return fill_with_openpyxl(template, values, folder / template_name(gi, regio, periode)), values


def _dump(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return [db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ["aanlevering", *TABLES]]


def test_imported_values_equal_the_typed_values(tmp_path: Path, catalog: Catalog) -> None:
    cases = [("jgb", "alkmaar", 1), ("ljr", "alkmaar", 2), ("wss", "kop_van_noord_holland", 3)]
    files = {case: _filled(tmp_path, catalog, case[0], case[1], Q1, case[2]) for case in cases}
    outcomes = import_files([tmp_path / template_name(g, r, Q1) for g, r, _ in cases], tmp_path / "gb.sqlite")
    assert [o.status for o in outcomes] == ["nieuw"] * 3
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        for (gi, regio, seed), (_, values) in files.items():
            expected = expected_ledger(build_layout(catalog, gi, regio, Q1), values)
            stored = ledger_rows(ledger, gi, regio, "2026-Q1")
            assert stored == expected, (gi, regio, seed)
        jgb = ledger.current("volume").query("gi == 'jgb' and product == '48A04' and gemeente == 'alkmaar'")
        assert int(jgb.stand_einde.iloc[0]) == int(jgb.stand_begin.iloc[0] + jgb.instroom.iloc[0]
                                                   - jgb.uitstroom.iloc[0])


def test_same_file_twice_changes_nothing_and_a_correction_keeps_history(tmp_path: Path, catalog: Catalog) -> None:
    first, values = _filled(tmp_path, catalog, "jgb", "ijmond", Q1, 7)
    ledger_path = tmp_path / "gb.sqlite"
    assert import_files([first], ledger_path)[0].status == "nieuw"
    before = _dump(ledger_path)
    assert import_files([first], ledger_path)[0].status == "al_aanwezig"
    assert _dump(ledger_path) == before

    layout = build_layout(catalog, "jgb", "ijmond", Q1)
    corrected = dict(values)
    cell = next(f.cell for f in layout.fields() if f.table == "personeel" and f.column == "fte")
    corrected[("Personeel", cell)] = 33.25
    (tmp_path / "correctie").mkdir()
    second = fill_with_openpyxl(tmp_path / "leeg" / template_name("jgb", "ijmond", Q1), corrected,
                                tmp_path / "correctie" / template_name("jgb", "ijmond", Q1))
    assert import_files([second], ledger_path)[0].status == "vervangen"
    with Ledger(ledger_path) as ledger:
        history = ledger.submissions()
        assert list(history.actueel) == [0, 1]
        assert list(history.bronpad) == [str(first.resolve()), str(second.resolve())]
        assert history.bestand_hash.nunique() == 2
        assert history.geimporteerd_op.str.match(r"\d{4}-\d\d-\d\dT").all()
        assert list(ledger.current("personeel").fte) == [33.25]
        assert sorted(ledger.history("personeel").fte) == sorted([33.25, values[("Personeel", cell)]])
    # The earlier file again: already known, the correction stays current.
    assert import_files([first], ledger_path)[0].status == "al_aanwezig"
    with Ledger(ledger_path) as ledger:
        assert list(ledger.current("personeel").fte) == [33.25]


def test_next_template_is_prefilled_with_the_imported_stock_at_end(tmp_path: Path, catalog: Catalog) -> None:
    path, values = _filled(tmp_path, catalog, "wss", "zuid_kennemerland", Q1, 11)
    import_files([path], tmp_path / "gb.sqlite")
    q1 = build_layout(catalog, "wss", "zuid_kennemerland", Q1)
    end_cells = {(dict(f.keys)["product"], dict(f.keys)["gemeente"]): f.cell for f in q1.fields()
                 if f.column == "stand_einde"}
    assert main(["template", "--gi", "wss", "--regio", "Regio Zuid-Kennemerland", "--periode", "2026-Q2",
                 "--uitvoer", str(tmp_path / "q2"), "--grootboek", str(tmp_path / "gb.sqlite")]) == 0
    ws = load_workbook(tmp_path / "q2" / template_name("wss", "zuid_kennemerland", Q2))["Volumes"]
    checked = 0
    for row in ws.iter_rows(min_row=5, max_col=4):
        key = (row[0].value, catalog.gemeente(row[2].value).key)
        assert row[3].value == values[("Volumes", end_cells[key])] or (
            row[3].value is None and values[("Volumes", end_cells[key])] in (None, 0))
        checked += 1
    assert checked == len(end_cells)
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        assert opening_stock(build_layout(catalog, "wss", "zuid_kennemerland", Periode.parse("2026-Q3")),
                             ledger) == {}


def test_cli_reports_and_continues_after_a_bad_file(tmp_path: Path, catalog: Catalog,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    good, _ = _filled(tmp_path, catalog, "jgb", "alkmaar", Q1, 5)
    bad = tmp_path / "kapot.xlsx"
    bad.write_text("geen excel")
    later, _ = _filled(tmp_path, catalog, "ljr", "ijmond", Q1, 6)
    ledger = str(tmp_path / "gb.sqlite")
    assert main(["importeer", str(bad), str(good), str(later), "--grootboek", ledger]) == 1
    out = capsys.readouterr().out
    assert "AFGEWEZEN: " in out
    assert "kapot.xlsx: geen geldig Excel-bestand (.xlsx)" in out
    assert "2 aangenomen (2 nieuw, 0 correctie, 0 al ingelezen), 1 afgewezen" in out
    assert main(["importeer", str(good), str(later), "--grootboek", ledger]) == 0
    assert "AL INGELEZEN" in capsys.readouterr().out


def test_folder_import_in_parallel_keeps_every_file(tmp_path: Path, catalog: Catalog,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    layout = build_layout(catalog, "jgb", "ijmond", Q1)
    folder = tmp_path / "map"
    expected = {}
    for month in range(1, 11):
        periode = Periode.parse(f"2026-M{month:02d}")
        month_layout = build_layout(catalog, "jgb", "ijmond", periode)
        values = typed_values(layout, month)
        write_template(month_layout, folder / template_name("jgb", "ijmond", periode), values)
        expected[periode.code] = expected_ledger(month_layout, values)
    monkeypatch.setenv("JBJR_GROOTBOEK", str(tmp_path / "env.sqlite"))
    assert main(["importeer", str(folder), "--processen", "2"]) == 0
    with Ledger(tmp_path / "env.sqlite") as ledger:
        for code, rows in expected.items():
            assert ledger_rows(ledger, "jgb", "ijmond", code) == rows


def test_ledger_schema_is_versioned_and_migrated(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "oud.sqlite"
    first_version, first_sql = migrations()[0]
    with sqlite3.connect(path) as db:
        db.executescript(first_sql + f"\nPRAGMA user_version={first_version};")
        db.execute("INSERT INTO aanlevering VALUES (1, 'h', 'jgb', 'alkmaar', '2025-Q4', '1.0', '/x', 't', 1)")
        db.execute("INSERT INTO toelichting VALUES (1, 'volumes', 'oud')")
    with Ledger(path) as ledger:
        assert ledger.schema_version == migrations()[-1][0] >= 2
        assert list(ledger.submissions().regels) == [1]
        assert list(ledger.current("toelichting").tekst) == ["oud"]
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(JbjrFout, match="schemaversie 99"):
        Ledger(path)


def test_parallel_validation_works_without_fork_as_on_windows(tmp_path: Path, catalog: Catalog,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows has no fork: workers start fresh (spawn) and get the catalogue through the pool initialiser.
    monkeypatch.setattr(importer, "pool_context", lambda: multiprocessing.get_context("spawn"))
    periods = [Periode.parse(f"2026-M{month:02d}") for month in range(1, 5)]
    files = [_filled(tmp_path, catalog, gi, "ijmond", p, seed)[0]
             for seed, (gi, p) in enumerate((gi, p) for gi in ("jgb", "ljr") for p in periods)]
    assert len(files) >= importer.PARALLEL_FROM
    outcomes = import_files(files, tmp_path / "gb.sqlite", processes=2)
    assert [o.status for o in outcomes] == ["nieuw"] * len(files)
