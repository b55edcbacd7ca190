"""Worked cases from worked_cases.yaml, each computed by hand or taken from a source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jbjr_budget.rules.budget_lines import line_amount, year_fraction
from jbjr_budget.rules.costprice import CostRates, cost_elements, fte_needed, salary_cost_per_fte
from jbjr_budget.rules.indexation import weighted_rate
from jbjr_budget.rules.investment import net_present_value, payback_period
from jbjr_budget.rules.volumes import path_factor, stock_from_flow

CASES = yaml.safe_load((Path(__file__).parent / "worked_cases.yaml").read_text(encoding="utf-8"))


def _dec(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "-0123456789":
        return Decimal(value)
    if isinstance(value, list):
        return [_dec(v) for v in value]
    return value


def _line_amount(year: int, start: dt.date, **kwargs: Any) -> Decimal:
    return line_amount(fraction=year_fraction(year, start=start), **kwargs)


def _cost_elements(hours: Decimal, part: str = "totaal", **rates: Decimal) -> Decimal:
    return Decimal(getattr(cost_elements(hours, CostRates(**rates)), part))


def _year_fraction(**kwargs: Any) -> Decimal:
    fraction = year_fraction(**kwargs)
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "weighted_rate": weighted_rate,
    "year_fraction": _year_fraction,
    "path_factor": path_factor,
    "stock_from_flow": stock_from_flow,
    "salary_cost_per_fte": salary_cost_per_fte,
    "cost_elements": _cost_elements,
    "fte_needed": fte_needed,
    "line_amount": _line_amount,
    "net_present_value": net_present_value,
    "payback_period": payback_period,
}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_case(case: dict[str, Any]) -> None:
    inputs = {key: _dec(value) for key, value in case["input"].items()}
    if "part" in case:
        inputs["part"] = case["part"]
    result = FUNCTIONS[case["function"]](**inputs)
    expected = Decimal(case["expected"])
    tolerance = Decimal(case.get("tolerance", "0"))
    assert abs(Decimal(result) - expected) <= tolerance, f"{case['name']}: {result} != {expected}"
