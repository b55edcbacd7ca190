"""Worksheet functions for cost price, the cost-covering gap and fte."""

from __future__ import annotations

from jbjr_budget.rules.costprice import cost_covering_gap, cost_price, fte_needed
from udfs import convert, results
from udfs.registration import Cel, udf
from udfs.tarieven import SCENARIO_DOC

__all__ = ["jbjr_dekkingsgat", "jbjr_fte", "jbjr_kostprijs"]


@udf(
    "waarde",
    productcode="Productcode, bijv. 48A04.",
    datum_of_jaar="Datum, of een jaartal (dan 1 januari van dat jaar).",
    caseloadnorm="Optioneel: maatregelen per fulltime jeugdbeschermer; leeg = gehanteerde norm.",
    scenario=SCENARIO_DOC,
)
def jbjr_kostprijs(productcode: Cel, datum_of_jaar: Cel, caseloadnorm: Cel = None, scenario: Cel = None) -> Cel:
    """Redelijke kostprijs per eenheid uit caseloadnorm en kostenbouwstenen, inclusief marge (EUR)."""
    return results.output(
        cost_price(
            convert.parameters(scenario),
            convert.catalog().product(convert.product_code(productcode)),
            convert.date_or_year(datum_of_jaar),
            convert.optional_number(caseloadnorm, "caseloadnorm", None),
        )
    )


@udf(
    "waarde",
    tarief="Tarief per eenheid in euro's, bijv. uit JBJR_TARIEF.",
    kostprijs="Kostprijs per eenheid in euro's, bijv. uit JBJR_KOSTPRIJS.",
)
def jbjr_dekkingsgat(tarief: Cel, kostprijs: Cel) -> Cel:
    """Tarief min kostprijs: negatief betekent niet kostendekkend (EUR per eenheid)."""
    return results.output(cost_covering_gap(convert.number(tarief, "tarief"), convert.number(kostprijs, "kostprijs")))


@udf(
    "waarde",
    volume="Gemiddeld aantal lopende maatregelen.",
    caseloadnorm="Maatregelen per fulltime jeugdbeschermer, bijv. 12.",
    zwaarte="Optioneel: zwaarte van het product ten opzichte van een OTS; leeg = 1.",
)
def jbjr_fte(volume: Cel, caseloadnorm: Cel, zwaarte: Cel = None) -> Cel:
    """Benodigde fulltime jeugdbeschermers voor een volume bij een caseloadnorm."""
    return results.output(
        fte_needed(
            convert.number(volume, "volume"),
            convert.number(caseloadnorm, "caseloadnorm"),
            convert.optional_number(zwaarte, "zwaarte", convert.ONE),
        )
    )
