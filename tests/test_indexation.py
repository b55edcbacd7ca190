"""Indexation against VNG's published figures (domain brief table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.indexation import applied_rate, catch_up, index_factor, indexed_amount
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.tariffs import tariff


@pytest.fixture(scope="module")
def without_published_2025(tmp_path_factory: pytest.TempPathFactory) -> ParameterTree:
    own = tmp_path_factory.mktemp("p") / "zonder_toegepast.yaml"
    own.write_text("indexatie:\n  vng:\n    toegepast:\n      values:\n"
                   "        2025-01-01: {value: null, reference: 'test: afleiden uit componenten'}\n")
    return load_parameters([own])


def test_published_rates_are_used_as_is(tree: ParameterTree) -> None:
    assert applied_rate(tree, 2024) == Decimal("0.0630")
    assert applied_rate(tree, 2025) == Decimal("0.0496")


def test_2025_rate_derived_from_components_matches_vng(without_published_2025: ParameterTree) -> None:
    # VNG Indexatie 2025: 0.9 x 4.18% + 0.1 x 1.82% = 3.944%;
    # catch-up 2024: (0.9 x 6.00% + 0.1 x 3.10%) - (0.9 x 4.94% + 0.1 x 2.51%) = 5.71% - 4.697% = 1.013%;
    # 3.944% + 1.013% = 4.957% -> 4.96%.
    assert catch_up(without_published_2025, 2025) == Decimal("0.01013")
    assert applied_rate(without_published_2025, 2025) == Decimal("0.0496")


def test_no_catch_up_before_final_figures(tree: ParameterTree) -> None:
    # 2026: provisional 0.9 x 3.80% + 0.1 x 2.00% = 3.62%; 2025 final figures not published yet.
    assert catch_up(tree, 2026) == 0
    assert applied_rate(tree, 2026) == Decimal("0.0362")


def test_chained_factor_and_tariff(tree: ParameterTree) -> None:
    # 2024 -> 2026: 1.0496 x 1.0362 = 1.08759552; 1450.00 x 1.08759552 = 1577.0135 -> 1577.01
    assert index_factor(tree, 2024, 2026) == Decimal("1.08759552")
    assert tariff(tree, "48A04", dt.date(2026, 5, 1)) == Decimal("1577.01")
    assert indexed_amount(Decimal("100"), tree, 2024, 2024) == Decimal("100.00")


def test_contracted_tariff_overlay_is_used_in_its_year_and_indexed_after(tmp_path: Path) -> None:
    own = tmp_path / "contract.yaml"
    own.write_text("tarieven:\n  landelijk:\n    48A06:\n      values:\n"
                   "        2026-01-01: {value: 1000.00, reference: 'Contract 2026'}\n")
    layered = load_parameters([own])
    assert tariff(layered, "48A06", dt.date(2026, 1, 1)) == Decimal("1000.00")
    assert tariff(layered, "48A06", dt.date(2027, 1, 1)) == Decimal("1036.20")  # x 1.0362


def test_indexing_backwards_is_refused(tree: ParameterTree) -> None:
    with pytest.raises(InvoerFout, match="terug in de tijd"):
        index_factor(tree, 2026, 2025)
