"""Risk surcharge and weerstandsvermogen: reserve paths, working capital and a Monte Carlo.

Rule (Verbeteragenda JB West: resultaten foto Jeugdbescherming West, 2020): a GI
charges a temporary risk surcharge on the tariff while its reserve at the start
of a year is below the target share of turnover; the surcharge stops from the
year after the target is reached. The target is a share of the turnover
*excluding* the surcharge, so the surcharge does not raise its own target.
Amounts are integer cents; the simulation uses floats.

Rekenregel (weerstandsvermogen):
    De risico-opslag op het tarief geldt zolang de reserve aan het begin van een jaar onder de norm ligt,
    een deel van de omzet zonder opslag (de opslag verhoogt zijn eigen norm dus niet). Vanaf het jaar na
    het jaar waarin de norm is bereikt, stopt de opslag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "COST_SPREAD_PATH",
    "DISCOUNT_PATH",
    "INVESTMENT_PATH",
    "SURCHARGE_PATH",
    "TARGET_PATH",
    "VOLUME_SPREAD_PATH",
    "WORKING_CAPITAL_PATH",
    "MonteCarloResult",
    "RiskSettings",
    "reserve_path",
    "risk_settings",
    "simulate_reserves",
    "target_year",
    "working_capital",
]

RISK = "risico.weerstandsvermogen"
SURCHARGE_PATH = f"{RISK}.risico_opslag"
TARGET_PATH = f"{RISK}.norm_weerstandsvermogen"
WORKING_CAPITAL_PATH = f"{RISK}.werkkapitaal_maanden"
INVESTMENT_PATH = f"{RISK}.investering_caseloadverlaging"
DISCOUNT_PATH = f"{RISK}.disconteringsvoet"
VOLUME_SPREAD_PATH = f"{RISK}.spreiding_volume"
COST_SPREAD_PATH = f"{RISK}.spreiding_kosten"


@dataclass(frozen=True)
class RiskSettings:
    """The risk parameters in force on a date (``risico.weerstandsvermogen``)."""

    opslag: Decimal
    """Risk surcharge on the tariff, as a fraction."""
    norm: Decimal
    """Target weerstandsvermogen as a share of turnover excluding the surcharge."""
    werkkapitaal_maanden: Decimal
    investering: Decimal
    """The caseload investment in euros."""
    disconteringsvoet: Decimal
    spreiding_volume: Decimal
    """Standard deviation of the yearly volume factor in :func:`simulate_reserves`."""
    spreiding_kosten: Decimal
    """Standard deviation of the yearly cost factor in :func:`simulate_reserves`."""


def risk_settings(tree: ParameterTree, on: dt.date) -> RiskSettings:
    """The risk surcharge and its target, working capital, the investment, discount rate and Monte Carlo spreads."""
    return RiskSettings(*(tree.value(path, on) for path in (
        SURCHARGE_PATH, TARGET_PATH, WORKING_CAPITAL_PATH, INVESTMENT_PATH, DISCOUNT_PATH, VOLUME_SPREAD_PATH,
        COST_SPREAD_PATH)))


class ReserveYear(NamedTuple):
    """One year of a reserve path; amounts in cents, the reserve also as a share of turnover."""

    jaar: int
    omzet_basis_centen: int
    opslag_actief: bool
    opslag_centen: int
    omzet_centen: int
    kosten_centen: int
    resultaat_centen: int
    reserve_centen: int
    reserve_pct: float


PATH_COLUMNS = list(ReserveYear._fields)


def _per_year(values: Sequence[int] | int, years: Sequence[int], name: str) -> list[int]:
    series = [values] * len(years) if isinstance(values, int) else list(values)
    if len(series) != len(years):
        raise InvoerFout(f"{name}: {len(series)} waarden voor {len(years)} jaren")
    return series


def _check_rates(surcharge_rate: Decimal, target_rate: Decimal) -> None:
    if surcharge_rate < 0 or target_rate < 0:
        raise InvoerFout("opslag en norm weerstandsvermogen mogen niet negatief zijn")


def reserve_path(
    years: Sequence[int],
    turnover_cents: Sequence[int] | int,
    costs_cents: Sequence[int] | int,
    initial_reserve_cents: int,
    surcharge_rate: Decimal,
    target_rate: Decimal,
) -> list[ReserveYear]:
    """Year-by-year turnover, costs, result and reserve under a risk surcharge.

    Notes:
        Per year: ``active = reserve_start < target * turnover``;
        ``surcharge = round(turnover * rate)`` when active;
        ``result = turnover + surcharge - costs``; ``reserve_end = reserve_start + result``;
        ``reserve_pct = reserve_end / turnover`` (turnover excluding surcharge).

    References:
        Verbeteragenda JB West: resultaten foto Jeugdbescherming West (2020): 2% opslag tot een
        weerstandsvermogen van 10%.
    """
    _check_rates(surcharge_rate, target_rate)
    turnovers = _per_year(turnover_cents, years, "omzet")
    costs = _per_year(costs_cents, years, "kosten")
    reserve, rows = initial_reserve_cents, list[ReserveYear]()
    for year, turnover, cost in zip(years, turnovers, costs, strict=True):
        active = reserve < target_rate * turnover
        surcharge = to_cents(turnover * surcharge_rate / 100) if active else 0
        result = turnover + surcharge - cost
        reserve += result
        share = float(Decimal(reserve) / turnover) if turnover else 0.0
        rows.append(ReserveYear(year, turnover, active, surcharge, turnover + surcharge, cost, result, reserve, share))
    return rows


def target_year(path: Sequence[ReserveYear], target_rate: Decimal) -> int | None:
    """First year whose closing reserve reaches the target share, or ``None`` if none does."""
    return next((y.jaar for y in path if y.reserve_centen >= target_rate * y.omzet_basis_centen), None)


def working_capital(turnover_cents: int, months: Decimal) -> int:
    """Working capital as ``months`` of yearly turnover, in cents (half up).

    Examples:
        >>> working_capital(1_200_000_00, Decimal("2.5"))
        25000000
    """
    if months < 0:
        raise InvoerFout("aantal maanden werkkapitaal mag niet negatief zijn")
    return to_cents(Decimal(turnover_cents) * months / 12 / 100)


@dataclass(frozen=True)
class MonteCarloResult:
    """Summary of simulated reserve paths."""

    runs: int
    kans_negatief: float
    """Share of runs in which the reserve drops below zero in any year."""
    bereikt_per_jaar: dict[int, float]
    """Share of runs that first reach the target in each year."""
    niet_bereikt: float
    """Share of runs that never reach the target within the horizon."""
    reserve_eind_p5_p50_p95: tuple[float, float, float]
    """Closing reserve of the last year in euros: 5th, 50th and 95th percentile."""


MAX_RUNS = 1_000_000


def _check_simulation(volume_sd: float, cost_sd: float, runs: int, seed: int) -> None:
    if not 0 < runs <= MAX_RUNS:
        raise InvoerFout(f"aantal runs moet tussen 1 en {MAX_RUNS} liggen, niet {runs}")
    if not (volume_sd >= 0 and cost_sd >= 0):  # also refuses NaN
        raise InvoerFout("spreidingen mogen niet negatief zijn")
    if seed < 0:
        raise InvoerFout(f"startgetal mag niet negatief zijn, niet {seed}")


def _percentiles(values: np.ndarray, percents: Sequence[int]) -> list[float]:
    """Percentiles as Excel's PERCENTILE.INC (and numpy's default) computes them.

    The p-th percentile of n sorted values lies at position ``h = p/100 x (n - 1)``, linearly between
    the values at ``floor(h)`` and ``floor(h) + 1``. Sorting once and reading positions spares
    ``np.percentile``, whose first call imports ``numpy.ma`` (about 12 ms of a recalculation).
    """
    ordered = np.sort(values)
    found = []
    for percent in percents:
        position = percent / 100 * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        found.append(float(ordered[low] + (position - low) * (ordered[high] - ordered[low])))
    return found


def simulate_reserves(
    years: Sequence[int],
    turnover_cents: int,
    costs_cents: int,
    initial_reserve_cents: int,
    surcharge_rate: Decimal,
    target_rate: Decimal,
    volume_sd: float,
    cost_sd: float,
    runs: int = 10_000,
    seed: int = 2026,
) -> MonteCarloResult:
    """Monte Carlo of :func:`reserve_path` under volume and cost variation.

    Each run and year draws a volume factor ``V ~ N(1, volume_sd)`` and a cost
    factor ``C ~ N(1, cost_sd)``: turnover = ``turnover x V``, costs =
    ``costs x V x C``. Same surcharge rule as :func:`reserve_path`; with both
    deviations zero every run equals that path. Seeded, vectorised over runs.
    """
    _check_rates(surcharge_rate, target_rate)
    _check_simulation(volume_sd, cost_sd, runs, seed)
    rng = np.random.default_rng(seed)
    shape = (runs, len(years))
    volume = rng.normal(1.0, abs(volume_sd), shape)  # abs: -0.0 is a valid zero, numpy's scale check refuses it
    base = turnover_cents * volume
    cost = costs_cents * volume * rng.normal(1.0, abs(cost_sd), shape)
    reserve = np.full(runs, float(initial_reserve_cents))
    reached_at = np.full(runs, -1)
    negative = np.zeros(runs, dtype=bool)
    rate, target = float(surcharge_rate), float(target_rate)
    for i in range(len(years)):
        active = reserve < target * base[:, i]
        reserve = reserve + base[:, i] * (1 + rate * active) - cost[:, i]
        negative |= reserve < 0
        newly = (reached_at < 0) & (reserve >= target * base[:, i])
        reached_at[newly] = i
    shares = {year: float(np.mean(reached_at == i)) for i, year in enumerate(years)}
    p5, p50, p95 = _percentiles(reserve / 100, (5, 50, 95))
    return MonteCarloResult(runs, float(negative.mean()), shares, float(np.mean(reached_at < 0)),
                            (float(p5), float(p50), float(p95)))
