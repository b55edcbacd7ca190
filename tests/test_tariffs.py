"""Tariff families: national tariffs for JB products, contracted ones per contract or region, each with its source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.tariffs import family_key, tariff, tariff_cents, tariff_path

ON = dt.date(2026, 1, 1)
JB = ("48A04", "48A05", "48A06", "48A10")
JR = ("47A01", "47A02", "47A03", "47A04", "47A05", "47A06", "4711")
EXTRA = ("45070", "48C09", "54004", "49B05")


def _overlay(tmp_path: Path, text: str) -> ParameterTree:
    own = tmp_path / "eigen.yaml"
    own.write_text(text, encoding="utf-8")
    return load_parameters([own])


def test_jb_products_have_the_national_tariff_jr_and_extra_services_the_contracted_one(
    tree: ParameterTree, catalog: Catalog
) -> None:
    # Opdrachtomschrijving JBJR NW4, par. 3: national tariffs for jeugdbescherming since 2024; JR tariffs indexed,
    # national JR tariffs still to follow; par. 4.2: additional services per region.
    alkmaar, haaglanden = catalog.regio("alkmaar"), catalog.regio("haaglanden")
    assert {family_key(tariff_path(tree, code, ON, alkmaar)) for code in JB} == {"landelijk"}
    assert {family_key(tariff_path(tree, code, ON, alkmaar)) for code in JR + EXTRA} == {"nw4"}
    assert {family_key(tariff_path(tree, code, ON, haaglanden)) for code in JR} == {"jb_west"}
    for code in JR:
        source = tree.entry(tariff_path(tree, code, ON, alkmaar), ON).reference
        assert "landelijke JR-tarieven volgen nog" in source, code


def test_a_regional_product_without_a_region_is_a_dutch_error(tree: ParameterTree) -> None:
    with pytest.raises(InvoerFout, match=r"product 47A01 heeft op 01-01-2026 geen landelijk tarief; .* geef de regio"):
        tariff(tree, "47A01", ON)


def test_a_region_that_differs_has_its_own_tariff_before_its_contract(tmp_path: Path, catalog: Catalog) -> None:
    own = _overlay(tmp_path, "tarieven:\n  regionaal:\n    alkmaar:\n      49B05:\n"
                             "        metadata: {unit: EUR/maand, reference: 'Contract Alkmaar'}\n        values:\n"
                             "          2026-01-01: {value: 500.00, reference: 'Contract Alkmaar 2026'}\n")
    assert tariff(own, "49B05", ON, catalog.regio("alkmaar")) == Decimal("500.00")
    # IJmond keeps NW4's example tariff: 420.00 at 2024 prices x 1.0496 x 1.0394 = 458.2008 -> 458.20
    assert tariff(own, "49B05", ON, catalog.regio("ijmond")) == Decimal("458.20")


def test_a_region_that_adopts_a_national_tariff_ends_its_contracted_one(tmp_path: Path, catalog: Catalog) -> None:
    national = ("tarieven:\n  landelijk:\n    47A01:\n"
                "      metadata: {unit: EUR/maand, reference: 'Landelijke JR-tarieven'}\n      values:\n"
                "        2027-01-01: {value: 1000.00, reference: 'Landelijke JR-tarieven 2027'}\n")
    ijmond = catalog.regio("ijmond")
    # NW4 still has its contracted JR tariff: that is what it pays, also in 2027.
    assert family_key(tariff_path(_overlay(tmp_path, national), "47A01", dt.date(2027, 1, 1), ijmond)) == "nw4"
    ended = _overlay(tmp_path, national + "  regionaal:\n    nw4:\n      47A01:\n        values:\n"
                               "          2027-01-01: {value: null, reference: 'NW4 volgt het landelijk tarief'}\n")
    assert family_key(tariff_path(ended, "47A01", ON, ijmond)) == "nw4"
    assert tariff(ended, "47A01", dt.date(2027, 1, 1), ijmond) == Decimal("1000.00")


def test_no_tariff_at_all_names_the_region_and_its_contract(tmp_path: Path, catalog: Catalog) -> None:
    ended = _overlay(tmp_path, "tarieven:\n  regionaal:\n    nw4:\n      45070:\n        values:\n"
                               "          2026-01-01: {value: null, reference: 'Contract beeindigd'}\n")
    with pytest.raises(InvoerFout, match=r"geen tarief voor product 45070 op 01-01-2026: .* Regio IJmond .*nw4"):
        tariff(ended, "45070", ON, catalog.regio("ijmond"))


def test_the_vectorised_tariffs_equal_the_scalar_ones_and_skip_what_a_region_does_not_buy(
    tmp_path: Path, catalog: Catalog
) -> None:
    own = _overlay(tmp_path, "tarieven:\n  regionaal:\n    alkmaar:\n      49B05:\n"
                             "        metadata: {unit: EUR/maand, reference: 'Contract Alkmaar'}\n        values:\n"
                             "          2026-01-01: {value: 500.00, reference: 'Contract Alkmaar 2026'}\n")
    regios = [catalog.regio(r) for r in ("alkmaar", "ijmond", "haaglanden")]
    codes, years = list(catalog.producten), [2026, 2027, 2028]
    bought = np.array([[code in regio.producten for code in codes] for regio in regios])
    table = tariff_cents(own, regios, codes, years, bought)
    for r, regio in enumerate(regios):
        for p, code in enumerate(codes):
            expected = [to_cents(tariff(own, code, dt.date(y, 1, 1), regio)) if bought[r, p] else 0 for y in years]
            assert table[r, p].tolist() == expected, (regio.key, code)
    assert table[0, codes.index("49B05"), 0] == 500_00  # Alkmaar's own, not NW4's
    assert table[1, codes.index("49B05"), 0] == 458_20  # IJmond: NW4's, worked out above
