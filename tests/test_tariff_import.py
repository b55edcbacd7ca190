"""Bringing a tariff table in: validated row by row, written as an overlay with a date and a source per value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from jbjr_budget.cli import main
from jbjr_budget.errors import GegevensFout
from jbjr_budget.rules.budget_lines import budget_lines
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.parameters import load_parameters
from jbjr_budget.rules.tariff_import import overlay_text, read_tariffs, tariff_family
from jbjr_budget.rules.user_folder import USER_FOLDER_VAR

SOURCE = "Contract JBJR NW4 2026, bijlage 2 tarieven (ondertekend 15-12-2025)"
NW4 = "tarieven.regionaal.nw4"
# The fifteen products NW4 buys, with contracted tariffs at the 2026 price level.
TABLE = {"48A04": "1612.40", "48A05": "1423.10", "48A06": "911.60", "48A10": "2223.50", "47A01": "945.00",
         "47A02": "2334.00", "47A03": "1167.25", "47A04": "2390.00", "47A05": "1778.80", "47A06": "1389.65",
         "4711": "1445.20", "48C09": "1056.10", "54004": "1334.00", "45070": "127.85", "49B05": "466.90"}


def _sheet(path: Path, rows: list[list[object]], title: str = "Tarieven 2026") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(["Tarieven NW4 2026"])  # a title above the header row
    ws.append([])
    ws.append(["Productcode", "Omschrijving", "Tarief (€)"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _fifteen(tmp_path: Path) -> Path:
    return _sheet(tmp_path / "tarieven.xlsx", [[code, f"product {code}", float(amount)]
                                              for code, amount in TABLE.items()])


def test_a_fifteen_row_sheet_becomes_dated_sourced_parameters_that_change_the_budget(
    tmp_path: Path, catalog: Catalog
) -> None:
    family = tariff_family(catalog, contract="nw4")
    rows = read_tariffs(_fifteen(tmp_path), catalog, family, SOURCE, dt.date(2026, 1, 1))
    assert [(r.code, r.bedrag, r.rij) for r in rows][:2] == [("48A04", Decimal("1612.40"), 4),
                                                             ("48A05", Decimal("1423.10"), 5)]
    overlay = tmp_path / "nw4.yaml"
    overlay.write_text(overlay_text(rows, family, catalog, "test"), encoding="utf-8")
    before, after = load_parameters(), load_parameters([overlay])
    for code, amount in TABLE.items():
        entry = after.entry(f"{NW4}.{code}", dt.date(2026, 1, 1))
        assert (entry.value, entry.reference, entry.voorbeeld) == (Decimal(amount), SOURCE, False)
    old, new = (budget_lines(tree, catalog, ["ijmond"], [2026]).frame() for tree in (before, after))
    velsen = (new["gemeente"] == "velsen") & (new["product"] == "48A04")
    # 47.6 running OTS x 12 months x 1,612.40 (its own price level, so not indexed in 2026) = 921,002.88
    assert int(new.loc[velsen, "bedrag_centen"].iloc[0]) == 92_100_288
    assert int(old.loc[velsen, "bedrag_centen"].iloc[0]) != 92_100_288
    # The example warning goes for exactly these fifteen tariffs; youths and volumes stay example values.
    assert {p for p in before.used_examples() if p.startswith("tarieven.")} == {
        *(f"tarieven.landelijk.{c}" for c in ("48A04", "48A05", "48A06", "48A10")),
        *(f"{NW4}.{c}" for c in TABLE if not c.startswith("48A"))}
    assert not [p for p in after.used_examples() if p.startswith("tarieven.")]
    assert any(p.startswith("bevolking.") for p in after.used_examples())


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_accepted(tmp_path: Path, catalog: Catalog) -> None:
    path = _sheet(tmp_path / "fout.xlsx", [["48A04", "OTS", 1612.40], ["48X99", "?", 100.0],
                                           ["48A05", "OTS", "1.423,10"], [" 48a04 ", "OTS", 1700.0],
                                           ["47A01", "JR", 945.123], ["47A02", "GBM", None]])
    with pytest.raises(GegevensFout) as caught:
        read_tariffs(path, catalog, tariff_family(catalog, contract="nw4"), SOURCE, dt.date(2026, 1, 1))
    where = "fout.xlsx, blad 'Tarieven 2026', rij"
    assert str(caught.value).splitlines()[1:] == [
        f"  - {where} 5, kolom A (productcode): onbekende productcode 48X99",
        f"  - {where} 6, kolom C (tarief): tekst in een bedrag: '1.423,10'; typ een getal, geen tekst",
        f"  - {where} 7, kolom A (productcode): productcode 48A04 staat al in rij 4 (dubbele regel)",
        f"  - {where} 8, kolom C (tarief): bedrag 945.123 heeft meer dan twee decimalen; rond het af op centen",
        f"  - {where} 9, kolom C (tarief): bedrag ontbreekt",
    ]


def test_a_row_without_a_source_is_refused_naming_the_source_column(tmp_path: Path, catalog: Catalog) -> None:
    csv = tmp_path / "tarieven.csv"
    csv.write_text("productcode;tarief;bron\n48A04;1612,40;Handreiking landelijke tarieven 2026, tabel 1\n"
                   "48A05;1.423,10;\n", encoding="utf-8")
    with pytest.raises(GegevensFout, match=r"tarieven.csv, rij 3, kolom C \(bron\): bron ontbreekt"):
        read_tariffs(csv, catalog, tariff_family(catalog), None, dt.date(2026, 1, 1))
    without = tmp_path / "zonder.csv"
    without.write_text("productcode;tarief\n48A04;1612,40\n", encoding="utf-8")
    with pytest.raises(GegevensFout, match=r"geen bron: de tabel heeft geen kolom bron .* --bron is niet gegeven"):
        read_tariffs(without, catalog, tariff_family(catalog), None, dt.date(2026, 1, 1))


def test_csv_with_dutch_amounts_and_own_sources_and_dates(tmp_path: Path, catalog: Catalog) -> None:
    csv = tmp_path / "tarieven.csv"
    csv.write_text("Productcode;Tarief;Bron;Ingangsdatum\n48A04;1.612,40;Handreiking 2026, tabel 1;1-1-2026\n"
                   "48A04;1.650,00;Handreiking 2027, tabel 1;1-1-2027\n", encoding="utf-8")
    rows = read_tariffs(csv, catalog, tariff_family(catalog), None, None)
    assert [(r.bedrag, r.ingangsdatum, r.bron) for r in rows] == [
        (Decimal("1612.40"), dt.date(2026, 1, 1), "Handreiking 2026, tabel 1"),
        (Decimal("1650.00"), dt.date(2027, 1, 1), "Handreiking 2027, tabel 1")]


def test_a_region_takes_only_the_products_it_buys(tmp_path: Path, catalog: Catalog) -> None:
    path = _sheet(tmp_path / "alkmaar.xlsx", [["49B05", "drang", 500.0], ["54004", "onderzoek", 1300.0]])
    with pytest.raises(GegevensFout, match=r"rij 5, kolom A .*: product 54004 wordt niet ingekocht in alkmaar"):
        read_tariffs(path, catalog, tariff_family(catalog, regio="Regio Alkmaar"), SOURCE, dt.date(2026, 1, 1))


def test_the_command_installs_the_table_where_every_command_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "parametermap"
    monkeypatch.setenv(USER_FOLDER_VAR, str(folder))
    assert main(["parameters", "importeer", str(_fifteen(tmp_path)), "--contract", "nw4", "--bron", SOURCE,
                 "--ingangsdatum", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "15 tarieven ingelezen (tarieven.regionaal.nw4)" in out
    installed = folder / "tarieven_nw4_2026-01-01.yaml"
    assert installed.exists()
    assert load_parameters().entry(f"{NW4}.45070", dt.date(2026, 1, 1)).reference == SOURCE
    assert main(["parameters", "lijst"]) == 0
    assert "tarieven_nw4_2026-01-01.yaml" in capsys.readouterr().out


def test_a_refused_table_writes_nothing_and_exits_with_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(USER_FOLDER_VAR, str(tmp_path / "map"))
    bad = _sheet(tmp_path / "fout.xlsx", [["48X99", "?", 1.0]])
    assert main(["parameters", "importeer", str(bad), "--bron", SOURCE, "--ingangsdatum", "2026-01-01"]) == 1
    assert "onbekende productcode 48X99" in capsys.readouterr().err
    assert not (tmp_path / "map").exists()


def test_a_national_tariff_behind_a_contracted_one_is_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(USER_FOLDER_VAR, str(tmp_path / "map"))
    table = _sheet(tmp_path / "jr.xlsx", [["47A01", "JR", 1000.0]])
    assert main(["parameters", "importeer", str(table), "--bron", "Landelijke JR-tarieven 2027",
                 "--ingangsdatum", "2027-01-01", "--uitvoer", str(tmp_path / "jr.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Let op: 47A01: in nw4 geldt op 01-01-2027 een gecontracteerd tarief" in out
    assert "--parameters" in out
