"""Cost price (kostprijs) per unit by the elements of art. 2.3 Besluit Jeugdwet, fte and the cost-covering gap.

Art. 2.3 Besluit Jeugdwet (AMvB reële prijs, Stb. 2024, 69) asks a price to
cover at least (a) the cost of professional staff, client-related and not,
(b) other client-related costs, (c) overhead and (d) indexation. Staff cost per
fte follows Berenschot's building blocks: gross salary with holiday pay,
irregular-hours pay (ORT) and year-end bonus, plus employer charges. A ``maand``
product's client-related hours follow from the caseload norm: one fte carries
``norm / weight`` measures, so a client-month takes
``client hours per fte x weight / (norm x 12)``.

Rekenregel (kostprijs):
    De kostprijs per eenheid is de som van de elementen van art. 2.3 Besluit Jeugdwet, elk afgerond op
    centen: (a) personeelskosten van de cliëntgebonden uren (uren x loonkosten per betaald uur) en van de
    niet-cliëntgebonden tijd die daarbij hoort (uren x loonkosten per cliëntgebonden uur, min het
    cliëntgebonden deel); (b) overige cliëntgebonden kosten als percentage van (a); (c) overhead als
    percentage van (a + b); (d) indexatie van (a + b + c) van het prijspeil van het salaris naar het
    jaar van de kostprijs. Daarbovenop komt de marge ('fair tarief') over (a + b + c + d).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Product
from jbjr_budget.rules.indexation import index_factor
from jbjr_budget.rules.money import round_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = [
    "CASELOAD_NORM_PATH",
    "CostElements",
    "CostRates",
    "caseload_norm",
    "cost_covering_gap",
    "cost_elements",
    "cost_price",
    "cost_price_elements",
    "cost_rates",
    "fte_needed",
    "hours_per_client_month",
    "hours_per_unit",
    "salary_cost_per_fte",
    "weight",
    "weight_path",
]

BLOCKS = "kostprijs.bouwstenen"
CASELOAD_NORM_PATH = "normen.caseload.gehanteerd"
SALARY_BLOCKS = (
    "bruto_maandsalaris", "vakantiegeld", "eindejaarsuitkering", "sociale_lasten", "onregelmatigheidstoeslag",
)
"""The blocks of :func:`salary_cost_per_fte`, in its argument order."""


def salary_cost_per_fte(
    monthly_salary: Decimal, holiday_pay: Decimal, year_end_bonus: Decimal, employer_charges: Decimal,
    irregular_hours: Decimal = Decimal(0),
) -> Decimal:
    """Yearly salary cost of one fte including allowances (holiday pay, ORT, year-end bonus) and employer charges.

    Notes:
        ``12 * salary * (1 + holiday_pay + irregular_hours + year_end_bonus) * (1 + employer_charges)``

    Examples:
        >>> salary_cost_per_fte(Decimal(4000), Decimal("0.08"), Decimal("0.0833"), Decimal("0.25"), Decimal("0.03"))
        Decimal('71598.000000')
    """
    if monthly_salary < 0:
        raise InvoerFout("salaris mag niet negatief zijn")
    return 12 * monthly_salary * (1 + holiday_pay + irregular_hours + year_end_bonus) * (1 + employer_charges)


def hours_per_client_month(productive_hours: Decimal, norm: Decimal, weight: Decimal = Decimal(1)) -> Decimal:
    """Client-related hours one client-month takes at a caseload norm.

    Notes:
        ``productive_hours * weight / (norm * 12)``

    Examples:
        >>> hours_per_client_month(Decimal(1200), Decimal(12))
        Decimal('8.333333333333333333333333333')
    """
    if norm <= 0:
        raise InvoerFout(f"caseloadnorm moet positief zijn, niet {norm}")
    return productive_hours * weight / (norm * 12)


@dataclass(frozen=True)
class CostElements:
    """The cost price of one unit by element of art. 2.3 Besluit Jeugdwet, each in euros rounded to cents."""

    uren: Decimal
    """Client-related hours per unit (not rounded)."""
    personeel_clientgebonden: Decimal
    """(a) Staff cost of the client-related hours."""
    personeel_niet_clientgebonden: Decimal
    """(a) Staff cost of the non-client time (leave, absence, training, meetings) that goes with them."""
    overige_clientgebonden: Decimal
    """(b) Other client-related costs."""
    overhead: Decimal
    """(c) Overhead."""
    indexatie: Decimal
    """(d) Indexation from the price level of the cost blocks to the year of the cost price."""
    marge: Decimal
    """Margin on top of the real cost price ('fair tarief')."""

    @property
    def kostprijs(self) -> Decimal:
        """The real cost price: (a) + (b) + (c) + (d)."""
        return (self.personeel_clientgebonden + self.personeel_niet_clientgebonden + self.overige_clientgebonden
                + self.overhead + self.indexatie)

    @property
    def totaal(self) -> Decimal:
        """The reasonable price per unit: the real cost price plus the margin."""
        return self.kostprijs + self.marge


@dataclass(frozen=True)
class CostRates:
    """The rates element (a) to (d) and the margin apply, per fte and as fractions."""

    salary_cost: Decimal
    """Yearly staff cost of one fte (:func:`salary_cost_per_fte`)."""
    paid_hours: Decimal
    """Paid hours per fte per year."""
    client_hours: Decimal
    """Client-related hours per fte per year."""
    other: Decimal
    """(b) as a fraction of (a)."""
    overhead: Decimal
    """(c) as a fraction of (a + b)."""
    index_factor: Decimal
    """(d): the chained index factor from the price level of the salary to the year of the cost price."""
    margin: Decimal


def cost_elements(hours: Decimal, rates: CostRates) -> CostElements:
    """Cost price of one unit that takes ``hours`` client-related hours, element by element.

    Notes:
        ``a_client = hours * S / paid_hours``; ``a = hours * S / client_hours``;
        ``a_other = a - a_client``; ``b = a * other``; ``c = (a + b) * overhead``;
        ``d = (a + b + c) * (index_factor - 1)``; ``margin = (a + b + c + d) * margin``;
        each computed exactly, then rounded half up to cents; the total is the sum of the rounded parts.

    References:
        Besluit Jeugdwet art. 2.3 (Stb. 2024, 69): elements (a) to (d). Verbeteragenda JB West:
        resultaten foto Jeugdbescherming West (2020): fair tarief = reele kostprijs + 2% marge.

    Examples:
        >>> rates = CostRates(Decimal(90000), Decimal(1800), Decimal(1200), Decimal("0.05"), Decimal("0.8"),
        ...                   Decimal("1.1"), Decimal("0.02"))
        >>> parts = cost_elements(Decimal(10), rates)
        >>> parts.personeel_clientgebonden, parts.personeel_niet_clientgebonden, parts.overhead, parts.totaal
        (Decimal('500.00'), Decimal('250.00'), Decimal('630.00'), Decimal('1590.44'))
    """
    if rates.client_hours <= 0 or rates.paid_hours < rates.client_hours:
        raise InvoerFout(f"clientgebonden uren ({rates.client_hours}) moeten positief zijn en niet meer dan de "
                         f"betaalde uren ({rates.paid_hours})")
    if hours < 0:
        raise InvoerFout("uren per eenheid mogen niet negatief zijn")
    staff = hours * rates.salary_cost / rates.client_hours
    client = hours * rates.salary_cost / rates.paid_hours
    other = staff * rates.other
    overhead = (staff + other) * rates.overhead
    indexation = (staff + other + overhead) * (rates.index_factor - 1)
    margin = (staff + other + overhead + indexation) * rates.margin
    return CostElements(hours, *(round_cents(part) for part in (client, staff - client, other, overhead, indexation,
                                                                 margin)))


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


def weight_path(code: str) -> str:
    """Parameter path of the weight of product ``code`` (``kostprijs.zwaarte.<code>``)."""
    return f"kostprijs.zwaarte.{code}"


def weight(tree: ParameterTree, code: str, on: dt.date) -> Decimal:
    """Weight of a ``maand`` product relative to an OTS (``kostprijs.zwaarte``); the norm holds for weight 1."""
    return tree.value(weight_path(code), on)


def caseload_norm(tree: ParameterTree, on: dt.date) -> Decimal:
    """The caseload norm in use on ``on`` (``normen.caseload.gehanteerd``)."""
    return tree.value(CASELOAD_NORM_PATH, on)


def cost_rates(tree: ParameterTree, on: dt.date) -> CostRates:
    """The cost blocks in force on ``on`` (``kostprijs.bouwstenen``), indexed to ``on``'s year."""
    salary = tree.entry(f"{BLOCKS}.bruto_maandsalaris", on)
    return CostRates(
        salary_cost=salary_cost_per_fte(*(tree.value(f"{BLOCKS}.{name}", on) for name in SALARY_BLOCKS)),
        paid_hours=tree.value(f"{BLOCKS}.jaaruren", on),
        client_hours=tree.value(f"{BLOCKS}.productieve_uren", on),
        other=tree.value(f"{BLOCKS}.overige_clientgebonden_kosten", on),
        overhead=tree.value(f"{BLOCKS}.overhead", on),
        index_factor=index_factor(tree, salary.start.year, on.year),
        margin=tree.value(f"{BLOCKS}.marge", on),
    )


def hours_per_unit(tree: ParameterTree, product: Product, on: dt.date, norm: Decimal | None = None) -> Decimal:
    """Client-related hours of one unit: from the caseload norm (``maand``) or ``uren_per_eenheid``."""
    if product.eenheid == "maand":
        return hours_per_client_month(tree.value(f"{BLOCKS}.productieve_uren", on),
                                      caseload_norm(tree, on) if norm is None else norm, weight(tree, product.code, on))
    return tree.value(f"{BLOCKS}.uren_per_eenheid.{product.code}", on)


def cost_price_elements(
    tree: ParameterTree, product: Product, on: dt.date, norm: Decimal | None = None
) -> CostElements:
    """Cost price of one unit of ``product`` on ``on`` by element; ``norm`` overrides the caseload norm in use."""
    return cost_elements(hours_per_unit(tree, product, on, norm), cost_rates(tree, on))


def cost_price(tree: ParameterTree, product: Product, on: dt.date, norm: Decimal | None = None) -> Decimal:
    """Reasonable price of one unit of ``product`` on ``on``: the elements of :func:`cost_price_elements` summed."""
    return cost_price_elements(tree, product, on, norm).totaal
