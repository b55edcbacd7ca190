"""Cost price (kostprijs) per unit from caseload norm and cost blocks, fte and the cost-covering gap.

Building blocks (Berenschot; AMvB reele prijs, art. 2.3 Besluit Jeugdwet):
salary cost per fte = gross salary incl. holiday pay and year-end bonus, plus
employer charges; cost per productive hour = salary cost / productive hours;
cost price = direct hours per unit x cost per hour x (1 + overhead) x (1 + margin).
A ``maand`` product's direct hours follow from the caseload norm: one fte
carries ``norm / weight`` measures, so a client-month takes
``productive hours x weight / (norm x 12)``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Product
from jbjr_budget.rules.money import round_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "caseload_norm",
    "cost_covering_gap",
    "cost_price",
    "cost_price_per_unit",
    "fte_needed",
    "hours_per_client_month",
    "salary_cost_per_fte",
    "weight",
]

BLOCKS = "kostprijs.bouwstenen"


def salary_cost_per_fte(
    monthly_salary: Decimal, holiday_pay: Decimal, year_end_bonus: Decimal, employer_charges: Decimal
) -> Decimal:
    """Yearly salary cost of one fte including allowances and employer charges.

    Notes:
        ``12 * salary * (1 + holiday_pay + year_end_bonus) * (1 + employer_charges)``

    Examples:
        >>> salary_cost_per_fte(Decimal(4000), Decimal("0.08"), Decimal("0.0833"), Decimal("0.25"))
        Decimal('69798.000000')
    """
    if monthly_salary < 0:
        raise InvoerFout("salaris mag niet negatief zijn")
    return 12 * monthly_salary * (1 + holiday_pay + year_end_bonus) * (1 + employer_charges)


def hours_per_client_month(productive_hours: Decimal, norm: Decimal, weight: Decimal = Decimal(1)) -> Decimal:
    """Direct hours one client-month takes at a caseload norm.

    Notes:
        ``productive_hours * weight / (norm * 12)``

    Examples:
        >>> hours_per_client_month(Decimal(1200), Decimal(12))
        Decimal('8.333333333333333333333333333')
    """
    if norm <= 0:
        raise InvoerFout(f"caseloadnorm moet positief zijn, niet {norm}")
    return productive_hours * weight / (norm * 12)


def cost_price_per_unit(
    hours_per_unit: Decimal,
    salary_cost: Decimal,
    productive_hours: Decimal,
    overhead: Decimal,
    margin: Decimal,
) -> Decimal:
    """Cost price of one unit, rounded to cents.

    Notes:
        ``round(hours * salary_cost / productive_hours * (1 + overhead) * (1 + margin))``

    References:
        Verbeteragenda JB West: resultaten foto Jeugdbescherming West (2020): fair tarief = reele
        kostprijs + 2% marge.

    Examples:
        >>> cost_price_per_unit(Decimal(10), Decimal(80000), Decimal(1250), Decimal("0.3"), Decimal("0.02"))
        Decimal('848.64')
    """
    if productive_hours <= 0:
        raise InvoerFout(f"productieve uren moeten positief zijn, niet {productive_hours}")
    if hours_per_unit < 0:
        raise InvoerFout("uren per eenheid mogen niet negatief zijn")
    return round_cents(hours_per_unit * salary_cost / productive_hours * (1 + overhead) * (1 + margin))


def fte_needed(volume: Decimal, norm: Decimal, weight: Decimal = Decimal(1)) -> Decimal:
    """Full-time jeugdbeschermers needed for an average number of measures.

    Notes:
        ``volume * weight / norm``; zero volume needs zero fte.

    Examples:
        >>> fte_needed(Decimal(120), Decimal(12))
        Decimal('10')
    """
    if norm <= 0:
        raise InvoerFout(f"caseloadnorm moet positief zijn, niet {norm}")
    if volume < 0:
        raise InvoerFout("volume mag niet negatief zijn")
    return volume * weight / norm


def cost_covering_gap(tariff: Decimal, cost_price: Decimal) -> Decimal:
    """Tariff minus cost price: positive or zero is cost-covering (kostendekkend).

    Examples:
        >>> cost_covering_gap(Decimal("1850.00"), Decimal("1912.40"))
        Decimal('-62.40')
    """
    return tariff - cost_price


def weight(tree: ParameterTree, code: str, on: dt.date) -> Decimal:
    """Weight of a ``maand`` product relative to an OTS (``kostprijs.zwaarte``); the norm holds for weight 1."""
    return tree.value(f"kostprijs.zwaarte.{code}", on)


def caseload_norm(tree: ParameterTree, on: dt.date) -> Decimal:
    """The caseload norm in use on ``on`` (``normen.caseload.gehanteerd``)."""
    return tree.value("normen.caseload.gehanteerd", on)


def cost_price(tree: ParameterTree, product: Product, on: dt.date, norm: Decimal | None = None) -> Decimal:
    """Cost price of one unit of ``product`` on ``on`` from the bundled cost blocks.

    ``norm`` overrides the caseload norm in use (for a caseload scenario).
    """
    salary = salary_cost_per_fte(
        tree.value(f"{BLOCKS}.bruto_maandsalaris", on),
        tree.value(f"{BLOCKS}.vakantiegeld", on),
        tree.value(f"{BLOCKS}.eindejaarsuitkering", on),
        tree.value(f"{BLOCKS}.sociale_lasten", on),
    )
    productive = tree.value(f"{BLOCKS}.productieve_uren", on)
    if product.eenheid == "maand":
        hours = hours_per_client_month(productive, caseload_norm(tree, on) if norm is None else norm,
                                       weight(tree, product.code, on))
    else:
        hours = tree.value(f"{BLOCKS}.uren_per_eenheid.{product.code}", on)
    return cost_price_per_unit(
        hours, salary, productive, tree.value(f"{BLOCKS}.overhead", on), tree.value(f"{BLOCKS}.marge", on)
    )
