"""Risk surcharge and reserves, checked by hand and against a second method."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.reserves import _percentiles, reserve_path, simulate_reserves, target_year, working_capital

YEARS = list(range(2026, 2033))
TURNOVER = 10_000_000_00  # EUR 10 mln in cents


def test_two_percent_from_zero_reaches_ten_percent_in_the_fifth_year() -> None:
    # Costs equal turnover, so the result is the surcharge alone: 2% of turnover a year.
    # Reserve after year n = n x 2% -> 10% at the end of year 5 (2030); from 2031 no surcharge.
    path = reserve_path(YEARS, TURNOVER, TURNOVER, 0, Decimal("0.02"), Decimal("0.10"))
    assert target_year(path, Decimal("0.10")) == 2030
    assert [y.opslag_actief for y in path] == [True] * 5 + [False] * 2
    assert [y.reserve_centen for y in path] == [200_000_00 * n for n in (1, 2, 3, 4, 5, 5, 5)]
    assert path[0].opslag_centen == 200_000_00


def test_never_reached_when_losses_eat_the_surcharge() -> None:
    path = reserve_path(YEARS, TURNOVER, TURNOVER + 300_000_00, 0, Decimal("0.02"), Decimal("0.10"))
    assert target_year(path, Decimal("0.10")) is None
    assert path[-1].reserve_centen == -100_000_00 * len(YEARS)


def test_working_capital_is_months_of_turnover() -> None:
    assert working_capital(TURNOVER, Decimal("2.5")) == 2_083_333_33  # 10 mln x 2.5 / 12


def test_monte_carlo_without_spread_reproduces_the_path() -> None:
    result = simulate_reserves(YEARS, TURNOVER, TURNOVER, 0, Decimal("0.02"), Decimal("0.10"), 0.0, 0.0, runs=50)
    assert result.bereikt_per_jaar[2030] == 1.0
    assert result.kans_negatief == 0.0
    assert result.reserve_eind_p5_p50_p95 == (1_000_000.0, 1_000_000.0, 1_000_000.0)


def test_monte_carlo_is_seeded_and_more_spread_means_more_risk() -> None:
    args = (YEARS, TURNOVER, TURNOVER, 0, Decimal("0.02"), Decimal("0.10"))
    calm = simulate_reserves(*args, 0.01, 0.005)
    wild = simulate_reserves(*args, 0.05, 0.05)
    assert calm == simulate_reserves(*args, 0.01, 0.005)
    assert wild.kans_negatief > calm.kans_negatief
    assert abs(sum(wild.bereikt_per_jaar.values()) + wild.niet_bereikt - 1) < 1e-12


@pytest.mark.parametrize(("change", "message"), [
    ({"runs": 0}, "aantal runs moet tussen 1 en 1000000 liggen, niet 0"),
    ({"runs": 10**9}, "aantal runs moet tussen 1 en 1000000 liggen"),
    ({"seed": -1}, "startgetal mag niet negatief zijn"),
    ({"volume_sd": -0.01}, "spreidingen mogen niet negatief zijn"),
    ({"cost_sd": float("nan")}, "spreidingen mogen niet negatief zijn"),
])
def test_monte_carlo_refuses_meaningless_settings_in_dutch(change: dict[str, float], message: str) -> None:
    settings: dict[str, Any] = {"volume_sd": 0.01, "cost_sd": 0.01, "runs": 10, "seed": 1} | change
    with pytest.raises(InvoerFout, match=message):
        simulate_reserves(YEARS, TURNOVER, TURNOVER, 0, Decimal("0.02"), Decimal("0.10"), **settings)


def test_monte_carlo_takes_a_negative_zero_spread_as_zero() -> None:
    # Excel passes "-0" typed in a cell as -0.0; without spread every run is the plain path (see above).
    result = simulate_reserves(YEARS, TURNOVER, TURNOVER, 0, Decimal("0.02"), Decimal("0.10"), -0.0, -0.0, runs=5)
    assert result.reserve_eind_p5_p50_p95 == (1_000_000.0, 1_000_000.0, 1_000_000.0)


def test_monte_carlo_percentiles_are_excels_percentile_inc() -> None:
    # By hand for 10, 20, 30, 40: h = p/100 x 3, so the 5th lies at h = 0.15: 10 + 0.15 x 10 = 11.5;
    # the 50th at 1.5: 25; the 95th at 2.85: 38.5.
    assert _percentiles(np.array([40.0, 10.0, 30.0, 20.0]), (5, 50, 95)) == pytest.approx([11.5, 25.0, 38.5])
    assert _percentiles(np.array([7.0]), (5, 50, 95)) == [7.0, 7.0, 7.0]
    spread = np.random.default_rng(3).normal(size=9_999)
    assert _percentiles(spread, (5, 50, 95)) == pytest.approx(list(np.percentile(spread, [5, 50, 95])), abs=1e-12)
