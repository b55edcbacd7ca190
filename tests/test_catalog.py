"""The catalogue: NW4 and JB West regions as data, lookups with Dutch errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from jbjr_budget.catalog import CATALOGUS, Catalog, load_catalog
from jbjr_budget.errors import InvoerFout, ParameterFout


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
