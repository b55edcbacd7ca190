"""Investment appraisal with numpy-financial: net present value and payback period.

Cash flows are yearly, the first at t = 0 (the investment, negative), as in
spreadsheet practice; results are rounded half up to cents and to 0.01 year.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.money import round_cents, to_decimal

__all__ = ["net_present_value", "payback_period"]


def net_present_value(rate: Decimal, cashflows: Sequence[Decimal]) -> Decimal:
    """Net present value of yearly cash flows, the first undiscounted (t = 0).

    Notes:
        ``NPV = sum_t cf_t / (1 + rate) ** t`` (``numpy_financial.npv``).

    Examples:
        >>> net_present_value(Decimal("0.1"), [Decimal(-1000), Decimal(550), Decimal(605)])
        Decimal('0.00')
    """
    if not cashflows:
        raise InvoerFout("geen kasstromen opgegeven")
    if rate <= -1:
        raise InvoerFout(f"disconteringsvoet moet groter zijn dan -100%, niet {rate}")
    value = round_cents(to_decimal(float(npf.npv(float(rate), [float(c) for c in cashflows]))))
    return value if value else abs(value)  # no "-0.00" from float noise


def payback_period(cashflows: Sequence[Decimal]) -> Decimal | None:
    """Years until cumulative cash flow turns non-negative, interpolated within the year.

    Returns ``None`` when the investment is not paid back within the cash flows.

    Notes:
        First ``t`` with ``cum_t >= 0``: ``(t - 1) + (-cum_{t-1}) / cf_t``.

    Examples:
        >>> payback_period([Decimal(-2800000), Decimal(1000000), Decimal(1000000), Decimal(1600000)])
        Decimal('2.50')
    """
    if not cashflows:
        raise InvoerFout("geen kasstromen opgegeven")
    cumulative = Decimal(0)
    for t, flow in enumerate(cashflows):
        previous, cumulative = cumulative, cumulative + flow
        if cumulative >= 0:
            years = Decimal(0) if t == 0 else (t - 1) + (-previous) / flow
            return years.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return None
