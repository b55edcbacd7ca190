"""Financial functions: annuities (PV, FV, PMT, NPER, RATE, IPMT, PPMT) and cash flows (NPV, IRR, MIRR, XNPV, XIRR).

The annuity functions and IRR and MIRR are numpy-financial's (imported on first use), which follow the
spreadsheet sign convention (money paid out is negative); ``type`` 1 means payments at the start of each period.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from jbjr_budget.formula_engine.functions import libraries
from jbjr_budget.formula_engine.functions.coerce import flat, num, numbers, scalar
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NUM, Array, ExcelError, Scalar

__all__ = ["checked"]

_npf = libraries.numpy_financial


def checked(compute: Callable[[], object]) -> float:
    """A numpy result as a float; an overflow, a division by zero or no solution (NaN) is #NUM!."""
    with libraries.numpy().errstate(all="ignore"):
        try:
            result = float(compute())  # type: ignore[arg-type]
        except (ZeroDivisionError, OverflowError, ValueError):
            raise Failure(NUM) from None
    if not math.isfinite(result):
        raise Failure(NUM)
    return result


def _when(kind: Scalar) -> str:
    return "begin" if kind is not None and num(kind) != 0 else "end"


def _optional(value: Scalar) -> float:
    return 0.0 if value is None else num(value)


@register("PV")
def pv(rate: Scalar, nper: Scalar, pmt: Scalar, fv: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """PV: the present value of a series of equal payments (and a final value)."""
    return checked(lambda: _npf().pv(num(rate), num(nper), _optional(pmt), _optional(fv), _when(kind)))


@register("FV")
def fv(rate: Scalar, nper: Scalar, pmt: Scalar, pv_: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """FV: the future value of a present value and a series of equal payments."""
    return checked(lambda: _npf().fv(num(rate), num(nper), _optional(pmt), _optional(pv_), _when(kind)))


@register("PMT")
def pmt(rate: Scalar, nper: Scalar, pv_: Scalar, fv_: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """PMT: the payment per period that pays off a present value (to a final value)."""
    periods = num(nper)
    if periods == 0:
        raise Failure(NUM)
    return checked(lambda: _npf().pmt(num(rate), periods, num(pv_), _optional(fv_), _when(kind)))


@register("NPER")
def nper(rate: Scalar, pmt_: Scalar, pv_: Scalar, fv_: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """NPER: the number of periods; at rate 0 simply -(pv + fv) / pmt (numpy-financial 1.0 gets its sign wrong)."""
    r, payment, present, final = num(rate), num(pmt_), num(pv_), _optional(fv_)
    if r == 0:
        return checked(lambda: -(present + final) / payment)
    return checked(lambda: _npf().nper(r, payment, present, final, _when(kind)))


@register("RATE")
def rate(nper_: Scalar, pmt_: Scalar, pv_: Scalar, fv_: Scalar = 0.0, kind: Scalar = 0.0,
         guess: Scalar = 0.1) -> Scalar:
    """RATE: the interest rate per period (Newton's method from ``guess``)."""
    start = 0.1 if guess is None else num(guess)
    return checked(lambda: _npf().rate(num(nper_), _optional(pmt_), num(pv_), _optional(fv_), _when(kind), start,
                                    1e-10, 100))


def _period(per: Scalar, nper_: Scalar) -> tuple[float, float]:
    period, periods = num(per), num(nper_)
    if not 1 <= period <= periods:
        raise Failure(NUM)
    return period, periods


@register("IPMT")
def ipmt(rate_: Scalar, per: Scalar, nper_: Scalar, pv_: Scalar, fv_: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """IPMT: the interest part of one period's payment."""
    period, periods = _period(per, nper_)
    return checked(lambda: _npf().ipmt(num(rate_), period, periods, num(pv_), _optional(fv_), _when(kind)))


@register("PPMT")
def ppmt(rate_: Scalar, per: Scalar, nper_: Scalar, pv_: Scalar, fv_: Scalar = 0.0, kind: Scalar = 0.0) -> Scalar:
    """PPMT: the repayment part of one period's payment."""
    period, periods = _period(per, nper_)
    return checked(lambda: _npf().ppmt(num(rate_), period, periods, num(pv_), _optional(fv_), _when(kind)))


def _cumulative(rate_: Scalar, nper_: Scalar, pv_: Scalar, first: Scalar, last: Scalar, kind: Scalar,
                part: Callable[..., object]) -> float:
    r, periods, value = num(rate_), num(nper_), num(pv_)
    start, end, when = math.floor(num(first)), math.floor(num(last)), num(kind)
    if r <= 0 or periods <= 0 or value <= 0 or start < 1 or end < start or end > periods or when not in (0, 1):
        raise Failure(NUM)
    timing = "begin" if when else "end"
    with libraries.numpy().errstate(all="ignore"):
        parts = [float(part(r, period, periods, value, 0.0, timing)) for period in range(start, end + 1)]  # type: ignore[arg-type]
    return checked(lambda: math.fsum(parts))


@register("CUMIPMT")
def cumipmt(rate_: Scalar, nper_: Scalar, pv_: Scalar, first: Scalar, last: Scalar, kind: Scalar) -> Scalar:
    """CUMIPMT: the interest paid from one period to another."""
    return _cumulative(rate_, nper_, pv_, first, last, kind, _npf().ipmt)


@register("CUMPRINC")
def cumprinc(rate_: Scalar, nper_: Scalar, pv_: Scalar, first: Scalar, last: Scalar, kind: Scalar) -> Scalar:
    """CUMPRINC: the principal repaid from one period to another."""
    return _cumulative(rate_, nper_, pv_, first, last, kind, _npf().ppmt)


# -- cash flows ----------------------------------------------------------------------------------------

@register("NPV", arrays=True)
def npv(rate_: Scalar | Array, *values: Scalar | Array) -> Scalar:
    """NPV: cash flows at the end of periods 1, 2, ... discounted at ``rate``."""
    r = num(scalar(rate_))
    flows = numbers(values)
    return checked(lambda: _npf().npv(r, [0.0, *flows]))


def _flows(values: Scalar | Array) -> list[float]:
    """The numbers of a cash-flow range; it must hold a payment and a receipt."""
    flows = [item for item, _ in flat((values,)) if type(item) is float]
    for item, _ in flat((values,)):
        if isinstance(item, ExcelError):
            raise Failure(item)
    if not any(f > 0 for f in flows) or not any(f < 0 for f in flows):
        raise Failure(NUM)
    return flows


@register("IRR", arrays=True)
def irr(values: Scalar | Array, guess: Scalar | Array = 0.1) -> Scalar:
    """IRR: the rate at which the cash flows' net present value is 0 (numpy-financial's; ``guess`` is not needed)."""
    return checked(lambda: _npf().irr(_flows(values)))


@register("MIRR", arrays=True)
def mirr(values: Scalar | Array, finance_rate: Scalar | Array, reinvest_rate: Scalar | Array) -> Scalar:
    """MIRR: the internal rate with payments financed and receipts reinvested at given rates."""
    flows = _flows(values)
    return checked(lambda: _npf().mirr(flows, num(scalar(finance_rate)), num(scalar(reinvest_rate))))


def _dated(values: Scalar | Array, dates: Scalar | Array) -> tuple[list[float], list[float]]:
    flows = [item for item, _ in flat((values,))]
    days = [item for item, _ in flat((dates,))]
    if len(flows) != len(days):
        raise Failure(NUM)
    for item in (*flows, *days):
        if isinstance(item, ExcelError):
            raise Failure(item)
    amounts, moments = [num(item) for item in flows], [math.floor(num(item)) for item in days]
    if any(moment < moments[0] for moment in moments):
        raise Failure(NUM)
    return amounts, [(moment - moments[0]) / 365 for moment in moments]


def _xnpv(r: float, amounts: list[float], years: list[float]) -> float:
    return math.fsum(amount / (1 + r) ** year for amount, year in zip(amounts, years, strict=True))


@register("XNPV", arrays=True)
def xnpv(rate_: Scalar | Array, values: Scalar | Array, dates: Scalar | Array) -> Scalar:
    """XNPV: cash flows on given dates discounted to the first date, on 365-day years."""
    r = num(scalar(rate_))
    amounts, years = _dated(values, dates)
    if r <= -1:
        raise Failure(NUM)
    return checked(lambda: _xnpv(r, amounts, years))


@register("XIRR", arrays=True)
def xirr(values: Scalar | Array, dates: Scalar | Array, guess: Scalar | Array = 0.1) -> Scalar:
    """XIRR: the rate at which XNPV is 0 (Newton's method from ``guess``, bisection when it strays)."""
    amounts, years = _dated(values, dates)
    if not any(a > 0 for a in amounts) or not any(a < 0 for a in amounts):
        raise Failure(NUM)
    r = 0.1 if guess is None else num(scalar(guess))
    for _ in range(100):
        value = _xnpv(r, amounts, years)
        slope = math.fsum(-year * amount / (1 + r) ** (year + 1) for amount, year in zip(amounts, years, strict=True))
        if slope == 0 or not math.isfinite(value):
            break
        step = value / slope
        r -= step
        if r <= -1:
            break
        if abs(step) < 1e-12:
            return r
    return _bisect(lambda x: _xnpv(x, amounts, years))


def _bisect(function: Callable[[float], float]) -> float:
    """A root between -99.99% and 1,000,000%, or #NUM!."""
    low, high = -0.9999, 1e4
    f_low = function(low)
    if f_low * function(high) > 0:
        raise Failure(NUM)
    for _ in range(200):
        middle = (low + high) / 2
        f_middle = function(middle)
        if f_low * f_middle <= 0:
            high = middle
        else:
            low, f_low = middle, f_middle
    return (low + high) / 2

