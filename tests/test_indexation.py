"""Indexation against VNG's published figures (domain brief table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jbjr_budget.errors import InvoerFout, ParameterFout
from jbjr_budget.rules.indexation import ASSUMPTION_PATH, applied_rate, index_factor, index_rate, indexed_amount
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.tariffs import tariff


def _overlay(tmp_path: Path, text: str) -> ParameterTree:
    own = tmp_path / "eigen.yaml"
    own.write_text(text, encoding="utf-8")
    return load_parameters([own])


def _provisional_2026(index: str, value: str) -> str:
    return f"    {index}:\n      voorlopig:\n        values:\n          2026-01-01: {{value: {value}, reference: t}}\n"


def test_2024_rate_from_the_index_figures_as_vng_published_it(tree: ParameterTree) -> None:
    # VNG Indexatie 2024, worked from the raw figures (domain brief table), not from the stored 6.30%:
    # provisional 2024: 0.9 x 4.94% + 0.1 x 2.51% = 4.446% + 0.251% = 4.697% -> 4.70% (two decimals);
    # 2023: provisional 0.9 x 4.74% + 0.1 x 4.87% = 4.753%, final 0.9 x 6.36% + 0.1 x 7.02% = 6.426%;
    # relative catch-up 1.06426 / 1.04753 - 1 = 1.5971% -> 1.60%; 4.70% + 1.60% = 6.30%.
    rate = index_rate(tree, 2024)
    assert (rate.voorlopig_gewogen, rate.nacalculatie, rate.methode) == (Decimal("0.0470"), Decimal("0.0160"),
                                                                         "relatief")
    assert rate.rate == Decimal("0.0630")
    assert rate.basis == "gepubliceerd"


def test_2025_rate_from_the_index_figures_as_vng_published_it(tree: ParameterTree) -> None:
    # VNG Indexatie 2025: 0.9 x 4.18% + 0.1 x 1.82% = 3.944% (three decimals);
    # absolute catch-up 2024: (0.9 x 6.00% + 0.1 x 3.10%) - 4.697% = 5.710% - 4.697% = 1.013%;
    # 3.944% + 1.013% = 4.957% -> 4.96% (two decimals).
    rate = index_rate(tree, 2025)
    assert (rate.voorlopig_gewogen, rate.nacalculatie, rate.methode) == (Decimal("0.03944"), Decimal("0.01013"),
                                                                         "absoluut")
    assert applied_rate(tree, 2025) == Decimal("0.0496")


def test_derived_rates_match_every_rate_vng_published(tree: ParameterTree) -> None:
    published = tree.parameter("indexatie.vng.toegepast")
    assert len(published.values) == 2
    for value in published.values:
        assert applied_rate(tree, value.start.year) == value.value, value.start.year


def test_the_catch_up_method_is_a_dated_parameter(tmp_path: Path) -> None:
    # An absolute catch-up in 2024 would give 4.70% + (6.426% - 4.753% = 1.673% -> 1.67%) = 6.37%,
    # the figure the engine used to produce; VNG published 6.30%.
    absolute = _overlay(tmp_path, "indexatie:\n  vng:\n    nacalculatie:\n      methode:\n        values:\n"
                                  "          2024-01-01: {value: absoluut, reference: 'test'}\n")
    assert applied_rate(absolute, 2024) == Decimal("0.0637")
    assert applied_rate(absolute, 2025) == Decimal("0.0496")


def test_an_unknown_catch_up_method_is_refused(tmp_path: Path) -> None:
    odd = _overlay(tmp_path, "indexatie:\n  vng:\n    nacalculatie:\n      methode:\n        values:\n"
                             "          2025-01-01: {value: gemiddeld, reference: 'test'}\n")
    with pytest.raises(ParameterFout, match="onbekende methode van nacalculatie 'gemiddeld'"):
        applied_rate(odd, 2025)


def test_a_year_without_published_figures_uses_the_named_assumption(tree: ParameterTree) -> None:
    # No VNG figures for 2026: the assumption indexatie.vng.aanname (3.94%, an example value), no catch-up.
    rate = index_rate(tree, 2026)
    assert (rate.rate, rate.basis, rate.nacalculatie) == (Decimal("0.0394"), "aanname", None)
    fresh = load_parameters()
    applied_rate(fresh, 2027)
    assert fresh.used_examples() == [ASSUMPTION_PATH]


def test_provisional_figures_are_marked_voorlopig(tree: ParameterTree) -> None:
    on = dt.date(2025, 1, 1)
    assert tree.entry("indexatie.vng.loonindex.voorlopig", on).voorlopig
    assert tree.entry("indexatie.vng.prijsindex.voorlopig", on).voorlopig
    assert not tree.entry("indexatie.vng.loonindex.voorlopig", dt.date(2024, 1, 1)).voorlopig  # final is known


def test_published_provisional_figures_without_last_years_final_add_no_catch_up(tmp_path: Path) -> None:
    # 2026 figures published before the 2025 final figures: 0.9 x 4% + 0.1 x 2% = 3.80%, catch-up not yet known.
    early = _overlay(tmp_path, "indexatie:\n  vng:\n" + _provisional_2026("loonindex", "0.04")
                     + _provisional_2026("prijsindex", "0.02"))
    rate = index_rate(early, 2026)
    assert (rate.rate, rate.basis, rate.nacalculatie) == (Decimal("0.0380"), "gepubliceerd", None)


def test_half_published_figures_are_refused(tmp_path: Path) -> None:
    half = _overlay(tmp_path, "indexatie:\n  vng:\n" + _provisional_2026("loonindex", "0.04"))
    with pytest.raises(ParameterFout, match="indexcijfers voorlopig 2026 onvolledig"):
        applied_rate(half, 2026)


def test_chained_factor_and_tariff(tree: ParameterTree) -> None:
    # 2024 -> 2026: 1.0496 x 1.0394 = 1.09095424; 1450.00 x 1.09095424 = 1581.8836 -> 1581.88
    assert index_factor(tree, 2024, 2026) == Decimal("1.09095424")
    assert tariff(tree, "48A04", dt.date(2026, 5, 1)) == Decimal("1581.88")
    assert indexed_amount(Decimal("100"), tree, 2024, 2024) == Decimal("100.00")


def test_contracted_tariff_overlay_is_used_in_its_year_and_indexed_after(tmp_path: Path) -> None:
    own = tmp_path / "contract.yaml"
    own.write_text("tarieven:\n  landelijk:\n    48A06:\n      values:\n"
                   "        2026-01-01: {value: 1000.00, reference: 'Contract 2026'}\n")
    layered = load_parameters([own])
    assert tariff(layered, "48A06", dt.date(2026, 1, 1)) == Decimal("1000.00")
    assert tariff(layered, "48A06", dt.date(2027, 1, 1)) == Decimal("1039.40")  # x 1.0394


def test_indexing_backwards_is_refused(tree: ParameterTree) -> None:
    with pytest.raises(InvoerFout, match="terug in de tijd"):
        index_factor(tree, 2026, 2025)
