"""Budget lines: pro-rata, exact cents, totals that add up, the target path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from budget_reference import NATIONAL_SCENARIOS, NATIONAL_YEARS, national_catalog, reference_lines, youth_overlay
from hypothesis import given
from hypothesis import strategies as st

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.budget_lines import (
    BudgetLines,
    Deelname,
    budget_lines,
    line_amount,
    pxq_versus_lumpsum,
    year_fraction,
)
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.scenarios import load_scenario
from jbjr_budget.rules.volumes import split_by_key, split_over_municipalities

NW4 = ["alkmaar", "ijmond", "kop_van_noord_holland", "zuid_kennemerland"]
YEARS = [2026, 2027, 2028]


@pytest.fixture(scope="module")
def lines(tree: ParameterTree, catalog: Catalog) -> pd.DataFrame:
    return budget_lines(tree, catalog, NW4, YEARS).frame()


def _equals_reference(lines: BudgetLines, reference: dict[tuple[str, str, str, int], tuple[Decimal, ...]]) -> None:
    """Every line equals the Decimal reference in volume, tariff and amount, and nothing is missing."""
    assert len(lines) == len(reference)
    for line in zip(lines.regio, lines.gemeente, lines.product, lines.jaar, lines.volume_milli, lines.tarief_centen,
                    lines.bedrag_centen, strict=True):
        r, g, p, y, *figures = map(int, line)
        key = (lines.regios[r], lines.gemeenten[g], lines.producten[p], lines.jaren[y])
        volume, unit_tariff, amount = reference[key]
        assert figures == [volume * 1000, unit_tariff * 100, amount * 100], key


@pytest.mark.slow
@pytest.mark.parametrize("scenario", NATIONAL_SCENARIOS)
def test_national_budget_equals_the_decimal_reference_to_the_cent(scenario: str, catalog: Catalog,
                                                                   tmp_path: Path) -> None:
    national = national_catalog(catalog)
    tree = load_scenario(scenario, [youth_overlay(tmp_path)])
    lines = budget_lines(tree, national, list(national.regios), NATIONAL_YEARS)
    reference = reference_lines(tree, national, list(national.regios), NATIONAL_YEARS)
    _equals_reference(lines, reference)
    by_region_year: dict[tuple[str, int], Decimal] = {}
    for (regio, _, _, year), (_, _, amount) in reference.items():
        by_region_year[(regio, year)] = by_region_year.get((regio, year), Decimal(0)) + amount
    totals = lines.sum_by("regio", "jaar")
    assert {(regio, year): Decimal(int(totals[r, y])) / 100 for r, regio in enumerate(lines.regios)
            for y, year in enumerate(lines.jaren)} == by_region_year
    assert int(lines.sum_by().sum()) == sum(by_region_year.values()) * 100


def test_partial_years_per_municipality_equal_the_reference(tree: ParameterTree, catalog: Catalog) -> None:
    period = Deelname(start=dt.date(2026, 1, 16), end=dt.date(2027, 11, 3))
    own = {"velsen": Deelname(start=dt.date(2026, 7, 1)), "den_helder": Deelname(end=dt.date(2026, 2, 13))}
    args = (tree, catalog, ["ijmond", "kop_van_noord_holland"], [2026, 2027], period, own)
    _equals_reference(budget_lines(*args), reference_lines(*args))


def test_nw4_has_17_municipalities_in_the_lines(lines: pd.DataFrame) -> None:
    assert lines["gemeente"].nunique() == 17
    assert set(lines["regio"]) == set(NW4)


def test_half_year_participation_is_half_the_full_year(tree: ParameterTree, catalog: Catalog) -> None:
    full = budget_lines(tree, catalog, ["ijmond"], [2026]).frame()
    half = budget_lines(tree, catalog, ["ijmond"], [2026],
                        deelname={"velsen": Deelname(start=dt.date(2026, 7, 1))}).frame()
    row = (half["gemeente"] == "velsen") & (half["product"] == "48A04")
    # Velsen OTS < 1 jaar: 13,600 youths x 3.5 / 1,000 = 47.6 measures; x 12 months x 1,581.88
    # = 571.2 x 1,581.88 = 903,569.856 -> 903,569.86 a full year; half: 451,784.928 -> 451,784.93.
    assert int(full.loc[row, "bedrag_centen"].iloc[0]) == 90_356_986
    assert int(half.loc[row, "bedrag_centen"].iloc[0]) == 45_178_493
    others = half["gemeente"] != "velsen"
    assert half.loc[others, "bedrag_centen"].tolist() == full.loc[others, "bedrag_centen"].tolist()


def test_vectorised_lines_equal_scalar_line_amount(lines: pd.DataFrame, catalog: Catalog) -> None:
    for row in lines.itertuples():
        expected = line_amount(Decimal(str(row.volume)), catalog.product(row.product).eenheid,
                               Decimal(row.tarief_centen) / 100, Fraction(1))
        assert row.bedrag_centen == int(expected * 100), row


def test_odd_fractions_stay_exact(tree: ParameterTree, catalog: Catalog) -> None:
    period = Deelname(start=dt.date(2026, 1, 16), end=dt.date(2027, 11, 3))
    odd = budget_lines(tree, catalog, ["kop_van_noord_holland"], [2026, 2027], period).frame()
    for row in odd.itertuples():
        fraction = year_fraction(row.jaar, period.start, period.end)
        expected = line_amount(Decimal(str(row.volume)), catalog.product(row.product).eenheid,
                               Decimal(row.tarief_centen) / 100, fraction)
        assert row.bedrag_centen == int(expected * 100), row


def test_regional_total_equals_sum_over_municipalities_to_the_cent(tree: ParameterTree, catalog: Catalog,
                                                                   lines: pd.DataFrame) -> None:
    table = budget_lines(tree, catalog, NW4, YEARS)
    totals = table.sum_by("regio", "jaar")
    regional = {(regio, year): totals[r, y] for r, regio in enumerate(table.regios) for y, year in enumerate(YEARS)}
    for (regio, year), total in regional.items():
        by_hand = sum(
            line_amount(Decimal(str(r.volume)), catalog.product(r.product).eenheid,
                        Decimal(r.tarief_centen) / 100, Fraction(1))
            for r in lines[(lines["regio"] == regio) & (lines["jaar"] == year)].itertuples()
        )
        assert Decimal(int(total)) / 100 == by_hand


def test_target_path_lands_exactly_on_minus_20_percent(catalog: Catalog) -> None:
    base = budget_lines(load_scenario("basis"), catalog, ["ijmond"], [2026, 2027]).frame()
    target = budget_lines(load_scenario("doelpad_min20"), catalog, ["ijmond"], [2026, 2027]).frame()
    measures = base["product"].isin(catalog.group("maatregelen"))
    in_2027 = (base["jaar"] == 2027) & measures
    # After 31-12-2026 the path stays at 80% of the reference: 0.8 x base volume (both on a 0.001 grid).
    # Both volumes are rounded to 0.001, so they may differ by one step of that grid.
    assert ((target.loc[in_2027, "volume"] - base.loc[in_2027, "volume"] * 0.8).abs() <= 0.001).all()
    # 2026 is the average of 84% (1 Jan) and 80% (31 Dec, end of day): 82%.
    in_2026 = (base["jaar"] == 2026) & measures
    assert ((target.loc[in_2026, "volume"] - base.loc[in_2026, "volume"] * 0.82).abs() <= 0.001).all()
    extras = ~measures
    assert (target.loc[extras, "volume"] == base.loc[extras, "volume"]).all()


def test_pxq_versus_lumpsum(catalog: Catalog) -> None:
    base = budget_lines(load_scenario("basis"), catalog, ["ijmond"], [2027])
    target = budget_lines(load_scenario("doelpad_min20"), catalog, ["ijmond"], [2027])
    table = pxq_versus_lumpsum(target, base, "regio")
    assert table.lumpsum_centen.tolist() == [sum(base.frame()["bedrag_centen"])]
    assert table.pxq_centen.tolist() == [sum(target.frame()["bedrag_centen"])]
    assert table.verschil_centen[0] > 0  # fewer measures: the lump sum pays more
    with pytest.raises(InvoerFout, match="verschillende"):
        pxq_versus_lumpsum(target, budget_lines(load_scenario("basis"), catalog, ["alkmaar"], [2027]), "regio")


def test_no_years_is_an_error(tree: ParameterTree, catalog: Catalog) -> None:
    with pytest.raises(InvoerFout, match="geen jaren"):
        budget_lines(tree, catalog, NW4, [])


@given(
    total=st.integers(min_value=-10**12, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(lambda w: sum(w) > 0),
)
def test_split_by_key_adds_up_and_stays_within_a_cent(total: int, weights: list[int]) -> None:
    shares = split_by_key(total, weights)
    assert sum(shares) == total
    for share, weight in zip(shares, weights, strict=True):
        assert abs(Fraction(share) - Fraction(total * weight, sum(weights))) < 1


def test_regional_budget_split_by_youths_and_by_realised_use(tree: ParameterTree) -> None:
    ijmond = ["beverwijk", "heemskerk", "velsen"]
    # Youths 8,600 / 7,500 / 13,600 of 29,700; EUR 1,000,000.00 gives 289,562.2896 / 252,525.2525 /
    # 457,912.4579 -> floors 289,562.28 / 252,525.25 / 457,912.45 leave 2 cents for the largest
    # remainders (beverwijk .96, velsen .79).
    by_youths = split_over_municipalities(100_000_000, tree, ijmond, dt.date(2026, 1, 1))
    assert by_youths == {"beverwijk": 28_956_229, "heemskerk": 25_252_525, "velsen": 45_791_246}
    by_use = split_over_municipalities(900, tree, ijmond, dt.date(2026, 1, 1),
                                       {"beverwijk": Decimal(1), "heemskerk": Decimal(1), "velsen": Decimal(7)})
    assert by_use == {"beverwijk": 100, "heemskerk": 100, "velsen": 700}
    with pytest.raises(InvoerFout, match="geen gerealiseerd gebruik voor gemeente velsen"):
        split_over_municipalities(900, tree, ijmond, dt.date(2026, 1, 1), {"beverwijk": Decimal(1),
                                                                          "heemskerk": Decimal(1)})


def test_each_line_says_whether_it_rests_on_example_or_provisional_values(tree: ParameterTree,
                                                                           catalog: Catalog) -> None:
    lines = budget_lines(tree, catalog, ["ijmond"], [2024, 2026]).frame()
    assert lines["voorbeeld"].all()  # example tariffs, youths and volumes per 1,000
    # 2024 is the tariffs' price level: no index; 2026 is indexed with the 2025 rate, built on provisional figures.
    assert not lines.loc[lines["jaar"] == 2024, "voorlopig"].any()
    assert lines.loc[lines["jaar"] == 2026, "voorlopig"].all()
