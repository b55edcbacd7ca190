"""Financial, second half: depreciation (SLN, SYD, DB, DDB) and interest-rate conversions (EFFECT, NOMINAL, RRI)."""

from __future__ import annotations

import math

from jbjr_budget.formula_engine.functions.coerce import num
from jbjr_budget.formula_engine.functions.financial import checked
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import DIV0, NUM, Scalar

__all__: list[str] = []


@register("SLN")
def sln(cost: Scalar, salvage: Scalar, life: Scalar) -> Scalar:
    """SLN: straight-line depreciation per period."""
    years = num(life)
    if years == 0:
        raise Failure(DIV0)
    return (num(cost) - num(salvage)) / years


@register("SYD")
def syd(cost: Scalar, salvage: Scalar, life: Scalar, per: Scalar) -> Scalar:
    """SYD: sum-of-years'-digits depreciation in period ``per``."""
    years, period = num(life), num(per)
    if years <= 0 or not 0 < period <= years:
        raise Failure(NUM)
    return (num(cost) - num(salvage)) * (years - period + 1) * 2 / (years * (years + 1))


@register("DDB")
def ddb(cost: Scalar, salvage: Scalar, life: Scalar, period: Scalar, factor: Scalar = 2.0) -> Scalar:
    """DDB: declining-balance depreciation at ``factor`` / life, never below the salvage value."""
    value, rest, years, wanted = num(cost), num(salvage), num(life), num(period)
    rate = (2.0 if factor is None else num(factor)) / years if years else 0.0
    if value < 0 or rest < 0 or years <= 0 or wanted <= 0 or wanted > years or rate <= 0:
        raise Failure(NUM)
    depreciation = 0.0
    for _ in range(math.ceil(wanted)):
        depreciation = max(0.0, min(value * rate, value - rest))
        value -= depreciation
    return depreciation


@register("DB")
def db(cost: Scalar, salvage: Scalar, life: Scalar, period: Scalar, month: Scalar = 12.0) -> Scalar:
    """DB: fixed-declining-balance depreciation, the rate rounded to three decimals; ``month`` in the first year."""
    value, rest, years, wanted = num(cost), num(salvage), math.trunc(num(life)), math.trunc(num(period))
    months = 12 if month is None else math.trunc(num(month))
    if value < 0 or rest < 0 or years <= 0 or not 1 <= months <= 12 or not 1 <= wanted <= years + (months < 12):
        raise Failure(NUM)
    rate = round(1 - (rest / value) ** (1 / years), 3) if value else 1.0
    total = value * rate * months / 12
    depreciation = total
    for current in range(2, wanted + 1):
        base = (value - total) * rate
        depreciation = base * (12 - months) / 12 if current == years + 1 else base
        total += depreciation
    return depreciation


@register("EFFECT")
def effect(nominal: Scalar, periods: Scalar) -> Scalar:
    """EFFECT: the effective annual rate of a nominal rate compounded ``periods`` times a year."""
    rate, count = num(nominal), math.trunc(num(periods))
    if rate <= 0 or count < 1:
        raise Failure(NUM)
    return checked(lambda: (1 + rate / count) ** count - 1)


@register("NOMINAL")
def nominal(effective: Scalar, periods: Scalar) -> Scalar:
    """NOMINAL: the nominal annual rate that compounds to an effective rate."""
    rate, count = num(effective), math.trunc(num(periods))
    if rate <= 0 or count < 1:
        raise Failure(NUM)
    return checked(lambda: count * ((1 + rate) ** (1 / count) - 1))


@register("RRI")
def rri(periods: Scalar, present: Scalar, future: Scalar) -> Scalar:
    """RRI: the equivalent interest rate for growth from a present to a future value."""
    count, start, end = num(periods), num(present), num(future)
    if count <= 0 or start == 0:
        raise Failure(NUM)
    return checked(lambda: (end / start) ** (1 / count) - 1)


@register("PDURATION")
def pduration(rate: Scalar, present: Scalar, future: Scalar) -> Scalar:
    """PDURATION: the periods an investment needs to reach a value."""
    r, start, end = num(rate), num(present), num(future)
    if r <= 0 or start <= 0 or end <= 0:
        raise Failure(NUM)
    return (math.log(end) - math.log(start)) / math.log(1 + r)
