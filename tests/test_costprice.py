"""Cost price from the caseload norm, worked by hand with the bundled cost blocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from jbjr_budget.errors import InvoerFout
from jbjr_budget.models.budget_tables import cost_table
from jbjr_budget.rules.budget_lines import BudgetLines
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import (
    CostRates,
    cost_covering_gap,
    cost_elements,
    cost_price,
    cost_price_elements,
    fte_needed,
    hours_per_client_month,
)
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.tariffs import tariff

ON = dt.date(2026, 1, 1)


def test_ots_cost_price_built_element_by_element(tree: ParameterTree, catalog: Catalog) -> None:
    # Staff cost per fte (a): 4,650 x 12 x (1 + 0.08 holiday + 0.03 ORT + 0.0833 bonus) x 1.30 charges
    #   = 55,800 x 1.1933 x 1.30 = 86,561.982.
    # One client-month at norm 12: 1,250 client hours / (12 x 12) = 8.68056 hours.
    #   (a) client-related:     8.68056 x 86,561.982 / 1,836 paid hours = 409.2626 -> 409.26
    #   (a) non-client time:    8.68056 x 86,561.982 / 1,250 = 601.1249; minus 409.2626 = 191.8623 -> 191.86
    #   (b) other client costs: 601.1249 x 0.05 = 30.0562 -> 30.06
    #   (c) overhead:           (601.1249 + 30.0562) x 0.76 = 479.6977 -> 479.70
    #   (d) indexation 2024 -> 2026: 1,110.8788 x (1.0496 x 1.0394 - 1 = 0.09095424) = 101.0391 -> 101.04
    #   margin:                 (1,110.8788 + 101.0391) x 0.02 = 24.2384 -> 24.24
    # Total: 409.26 + 191.86 + 30.06 + 479.70 + 101.04 + 24.24 = 1,236.16
    parts = cost_price_elements(tree, catalog.product("48A04"), ON)
    assert (parts.personeel_clientgebonden, parts.personeel_niet_clientgebonden, parts.overige_clientgebonden,
            parts.overhead, parts.indexatie, parts.marge) == tuple(Decimal(v) for v in (
            "409.26", "191.86", "30.06", "479.70", "101.04", "24.24"))
    assert parts.kostprijs == Decimal("1211.92")
    assert cost_price(tree, catalog.product("48A04"), ON) == Decimal("1236.16")


def test_ots_cost_price_at_caseload_15(tree: ParameterTree, catalog: Catalog) -> None:
    # 1,250 / 180 = 6.94444 hours: 327.41 + 153.49 + 24.04 + 383.76 + 80.83 + 19.39 (each element as above)
    assert cost_price(tree, catalog.product("48A04"), ON, norm=Decimal(15)) == Decimal("988.92")


def test_hourly_product_uses_hours_per_unit(tree: ParameterTree, catalog: Catalog) -> None:
    # Consultatie, one hour: 47.15 + 22.10 + 3.46 + 55.26 + 11.64 + 2.79 = 142.40
    assert cost_price(tree, catalog.product("45070"), ON) == Decimal("142.40")


def test_cost_price_in_the_price_level_year_has_no_indexation(tree: ParameterTree, catalog: Catalog) -> None:
    parts = cost_price_elements(tree, catalog.product("48A04"), dt.date(2024, 6, 1))
    assert parts.indexatie == 0
    # (a + b + c) unindexed: 409.26 + 191.86 + 30.06 + 479.70 = 1,110.88; margin 1,110.8788 x 0.02 = 22.22
    assert parts.totaal == Decimal("1133.10")


def test_client_hours_above_paid_hours_are_refused() -> None:
    rates = CostRates(Decimal(90000), Decimal(1000), Decimal(1200), Decimal(0), Decimal(0), Decimal(1), Decimal(0))
    with pytest.raises(InvoerFout, match=r"clientgebonden uren .* niet meer dan de betaalde uren"):
        cost_elements(Decimal(1), rates)


def test_gap_is_tariff_minus_cost_price(tree: ParameterTree, catalog: Catalog) -> None:
    # 2026 tariff 1,581.88 (see test_indexation) - 1,236.16 = 345.72: cost-covering.
    ots = catalog.product("48A04")
    assert cost_covering_gap(tariff(tree, "48A04", ON), cost_price(tree, ots, ON)) == Decimal("345.72")


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
    # norm in use (12) and give the cost price at 12 as if nothing was wrong.
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
    codes, ints = np.zeros(2, dtype=np.intp), np.zeros(2, dtype=np.int64)
    lines = BudgetLines(("ijmond",), ("beverwijk", "velsen"), ("48A04",), (2026,), codes, np.arange(2), codes, codes,
                        np.array([2, 19]), ints, ints, np.array([False, True]), np.zeros(2, dtype=bool))
    (row,) = cost_table(trees, catalog, {"basis": lines}, 2026)
    assert (row.verschil_centen, row.verschil_totaal_centen, row.caseloadnorm) == (125, 32, 12.5)
    assert row.voorbeeld  # the cost blocks are example values
