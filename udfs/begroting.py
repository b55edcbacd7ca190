"""Worksheet functions for budgets: pro-rata share of a year, one budget line, the full table."""

from __future__ import annotations

from jbjr_budget.rules.budget_lines import Deelname, budget_lines, period_amount, year_fraction
from jbjr_budget.writers.mark_texts import MARK_HEADER
from udfs import convert, results
from udfs.registration import Cel, udf
from udfs.tarieven import SCENARIO_DOC

__all__ = ["jbjr_begroting", "jbjr_begrotingstabel", "jbjr_deeljaar"]

BEGIN_DOC = "Optioneel: eerste dag van deelname; leeg = 1 januari."
END_DOC = "Optioneel: laatste dag van deelname; leeg = 31 december."


@udf("waarde", jaar="Begrotingsjaar, bijv. 2026.", begindatum=BEGIN_DOC, einddatum=END_DOC)
def jbjr_deeljaar(jaar: Cel, begindatum: Cel = None, einddatum: Cel = None) -> Cel:
    """Deel van het jaar dat binnen de periode valt, per maand naar rato (vanaf 1 juli = 0,5)."""
    return results.output(
        year_fraction(
            convert.year(jaar),
            convert.optional_date(begindatum, "begindatum"),
            convert.optional_date(einddatum, "einddatum"),
        )
    )


@udf(
    "waarde",
    volume="Gemiddeld aantal lopende maatregelen (maandproduct) of aantal eenheden per jaar.",
    productcode="Productcode, bijv. 48A04; bepaalt de eenheid (per maand, traject, uur, stuk).",
    tarief="Tarief per eenheid in euro's, bijv. uit JBJR_TARIEF.",
    jaar="Begrotingsjaar, bijv. 2026.",
    begindatum=BEGIN_DOC,
    einddatum=END_DOC,
)
def jbjr_begroting(
    volume: Cel, productcode: Cel, tarief: Cel, jaar: Cel, begindatum: Cel = None, einddatum: Cel = None
) -> Cel:
    """Begroting van één regel: volume x tarief, naar rato van de periode, afgerond op centen."""
    return results.output(
        period_amount(
            convert.number(volume, "volume"),
            convert.catalog().product(convert.product_code(productcode)).eenheid,
            convert.number(tarief, "tarief"),
            convert.year(jaar),
            convert.optional_date(begindatum, "begindatum"),
            convert.optional_date(einddatum, "einddatum"),
        )
    )


TABLE_HEADERS = ("Regio", "Gemeente", "Product", "Jaar", "Volume", "Tarief (EUR)", "Bedrag (EUR)", MARK_HEADER)


@udf(
    "tabel",
    bereik=("regios", "jaren", "producten", "gemeenten"),
    regios="Regio's (sleutel of naam), één cel of een bereik.",
    jaren="Begrotingsjaren, één cel of een bereik.",
    producten="Optioneel: alleen deze productcodes; leeg = alle producten van de regio.",
    gemeenten="Optioneel: alleen deze gemeenten; leeg = alle gemeenten van de regio.",
    begindatum="Optioneel: begin van de contractperiode; leeg = hele jaren.",
    einddatum="Optioneel: einde van de contractperiode; leeg = hele jaren.",
    scenario=SCENARIO_DOC,
)
def jbjr_begrotingstabel(
    regios: Cel,
    jaren: Cel,
    producten: Cel = None,
    gemeenten: Cel = None,
    begindatum: Cel = None,
    einddatum: Cel = None,
    scenario: Cel = None,
) -> Cel:
    """Begroting per regio, gemeente, product en jaar als tabel met kopregel (volume x tarief)."""
    lines = budget_lines(
        convert.parameters(scenario),
        convert.catalog(),
        convert.regios(regios),
        convert.years(jaren),
        Deelname(convert.optional_date(begindatum, "begindatum"), convert.optional_date(einddatum, "einddatum")),
        producten=convert.optional_product_codes(producten),
        gemeenten=convert.optional_gemeenten(gemeenten),
    )
    return results.budget_table(lines, TABLE_HEADERS)
