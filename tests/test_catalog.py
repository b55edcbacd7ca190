"""The catalogue: NW4 and JB West regions as data, lookups with Dutch errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from jbjr_budget.errors import InvoerFout, ParameterFout
from jbjr_budget.rules.catalog import CATALOGUS, Catalog, load_catalog


def test_nw4_is_17_municipalities_in_four_regions(catalog: Catalog) -> None:
    regios = catalog.contract_regios("nw4")
    assert [r.naam for r in regios] == ["Regio Alkmaar", "Regio IJmond", "Regio Kop van Noord-Holland",
                                        "Regio Zuid-Kennemerland"]
    assert len(catalog.gemeenten([r.key for r in regios])) == 17
    assert {g.naam for g in catalog.regio("ijmond").gemeenten} == {"Beverwijk", "Heemskerk", "Velsen"}
    assert catalog.regio("alkmaar").gis == ("jgb", "ljr", "wss")


def test_jb_west_regions_are_data_too(catalog: Catalog) -> None:
    assert len(catalog.contract_regios("jb_west")) == 4


def test_product_lookup_ignores_spaces_and_case(catalog: Catalog) -> None:
    assert catalog.product(" 48a04 ").naam.startswith("Ondertoezichtstelling")
    with pytest.raises(InvoerFout, match="onbekende productcode 48X99"):
        catalog.product("48X99")


def test_region_buys_only_known_products(tmp_path: Path) -> None:
    (tmp_path / "producten.yaml").write_text((CATALOGUS / "producten.yaml").read_text(encoding="utf-8"))
    bad = (CATALOGUS / "organisatie.yaml").read_text(encoding="utf-8").replace("49B05, \"45070\", 48C09]",
                                                                               "49B05, 99Z99]", 1)
    (tmp_path / "organisatie.yaml").write_text(bad)
    with pytest.raises(ParameterFout, match="regio 'alkmaar' noemt onbekend product of onbekende GI '99Z99'"):
        load_catalog(tmp_path)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("producten.yaml", 'naam: "Voogdij", ', "", "'producten.48A06' mist 'naam'"),
        ("organisatie.yaml", 'jbw: {naam: "Jeugdbescherming West"}', "jbw: {}", "'gis.jbw' mist 'naam'"),
        ("organisatie.yaml", 'naam: "Regio IJmond"', 'omschrijving: "Regio IJmond"', "'regios.ijmond' mist 'naam'"),
        ("producten.yaml", "geldig_vanaf: 2026-01-01", "", "'reference' en 'geldig_vanaf' \\(JJJJ-MM-DD\\) zijn"),
    ],
    ids=["product-zonder-naam", "gi-zonder-naam", "regio-zonder-naam", "producten-zonder-datum"],
)
def test_incomplete_catalogue_gives_dutch_error_naming_file_and_key(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    # A missing 'naam' used to raise a bare KeyError('naam'); the product file's source and date went unchecked.
    for name in ("producten.yaml", "organisatie.yaml"):
        text = (CATALOGUS / name).read_text(encoding="utf-8")
        if name == file:
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ParameterFout, match=message) as caught:
        load_catalog(tmp_path)
    assert str(tmp_path / file) in str(caught.value)
