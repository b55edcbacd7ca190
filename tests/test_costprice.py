"""Cost price from the caseload norm, worked by hand with the bundled cost blocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from jbjr_budget.errors import InvoerFout
from jbjr_budget.models.begroting import _cost_table
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import cost_covering_gap, cost_price, fte_needed, hours_per_client_month
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.tariffs import tariff

ON = dt.date(2026, 1, 1)


def test_ots_cost_price_at_caseload_12_and_15(tree: ParameterTree, catalog: Catalog) -> None:
    # Salary cost per fte: 4,650 x 12 x (1 + 0.08 + 0.0833) x 1.30 = 84,385.782
    # One client-month at norm 12: 84,385.782 / (12 x 12) = 586.01237; x 1.85 overhead x 1.02 margin
    # = 1,105.805 -> 1,105.81. At norm 15: 84,385.782 / 180 x 1.887 = 884.644 -> 884.64.
    ots = catalog.product("48A04")
    assert cost_price(tree, ots, ON) == Decimal("1105.81")
    assert cost_price(tree, ots, ON, norm=Decimal(15)) == Decimal("884.64")


def test_hourly_product_uses_hours_per_unit(tree: ParameterTree, catalog: Catalog) -> None:
    # Consultatie: 1 hour x 84,385.782 / 1,250 = 67.5086; x 1.887 = 127.389 -> 127.39
    assert cost_price(tree, catalog.product("45070"), ON) == Decimal("127.39")


def test_gap_is_tariff_minus_cost_price(tree: ParameterTree, catalog: Catalog) -> None:
    # 2026 tariff 1,581.88 (see test_indexation) - 1,105.81 = 476.07: cost-covering.
    ots = catalog.product("48A04")
    assert cost_covering_gap(tariff(tree, "48A04", ON), cost_price(tree, ots, ON)) == Decimal("476.07")


def test_fte_and_hours() -> None:
    assert fte_needed(Decimal(0), Decimal(12)) == 0
    assert fte_needed(Decimal(36), Decimal(12), Decimal(2)) == 6
    assert hours_per_client_month(Decimal(1200), Decimal(10)) == 10


@pytest.mark.parametrize("norm", [Decimal(0), Decimal(-3)])
def test_meaningless_norm_is_refused(norm: Decimal) -> None:
    with pytest.raises(InvoerFout, match="caseloadnorm moet positief zijn"):
        fte_needed(Decimal(10), norm)


def test_zero_norm_override_is_refused_not_replaced_by_the_norm_in_use(tree: ParameterTree, catalog: Catalog) -> None:
    # A caseload of 0 (e.g. an empty-looking Excel cell typed as 0) used to fall back silently to the
    # norm in use (12) and give 1,105.81 as if nothing was wrong.
    with pytest.raises(InvoerFout, match="caseloadnorm moet positief zijn, niet 0"):
        cost_price(tree, catalog.product("48A04"), ON, norm=Decimal(0))


def test_gap_in_total_uses_exact_volumes_not_float_sums(tmp_path: Path, catalog: Catalog) -> None:
    # Two municipalities with 0.002 and 0.019 running OTS: 0.021 in total, but as floats the sum is
    # 0.020999999999999998. With a gap of exactly EUR 1.25 per client-month the total gap is
    # 0.021 x 12 x 1.25 = 0.315 -> 0.32 (half up); the float sum gave 0.31.
    # The caseload norm 12.5 must show as 12.5, not be cut to 12.
    norm = tmp_path / "norm.yaml"
    norm.write_text("normen:\n  caseload:\n    gehanteerd:\n      values:\n"
                    "        2026-01-01: {value: 12.5, reference: 'test'}\n", encoding="utf-8")
    price = cost_price(load_parameters([norm]), catalog.product("48A04"), ON)
    own = tmp_path / "tarief.yaml"
    own.write_text(f"tarieven:\n  landelijk:\n    48A04:\n      values:\n"
                   f"        2026-01-01: {{value: {price + Decimal('1.25')}, reference: 'test'}}\n", encoding="utf-8")
    trees = {"basis": load_parameters([norm, own])}
    regels = pd.DataFrame({"scenario": ["basis", "basis"], "regio": ["ijmond", "ijmond"], "jaar": [2026, 2026],
                           "product": ["48A04", "48A04"], "volume": [0.002, 0.019]})
    table = _cost_table(trees, catalog, regels, 2026)
    assert table["verschil_centen"].tolist() == [125]
    assert table["verschil_totaal_centen"].tolist() == [32]
    assert table["caseloadnorm"].tolist() == [12.5]
