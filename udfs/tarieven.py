"""Worksheet functions for tariffs, indexation and parameters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jbjr_budget.rules.indexation import applied_rate, index_factor, indexed_amount
from jbjr_budget.rules.parameters import ParameterValue
from jbjr_budget.rules.provenance import marked
from jbjr_budget.rules.scenarios import scenario_names
from jbjr_budget.rules.tariffs import tariff
from jbjr_budget.writers.mark_texts import mark_text
from udfs import convert, results
from udfs.registration import Cel, udf

__all__ = [
    "jbjr_geindexeerd", "jbjr_indexfactor", "jbjr_indexpercentage", "jbjr_parameter", "jbjr_tarief", "jbjr_voorbeelden",
]

SCENARIO_DOC = f"Optioneel: naam van een scenario ({', '.join(scenario_names())}); leeg = meegeleverde parameters."


@udf(
    "waarde",
    productcode="Productcode, bijv. 48A04 (spaties en kleine letters mogen).",
    datum_of_jaar="Datum, of een jaartal (dan 1 januari van dat jaar).",
    scenario=SCENARIO_DOC,
    regio="Optioneel: regio (sleutel of naam) voor een regionaal gecontracteerd tarief; leeg = alleen landelijk.",
)
def jbjr_tarief(productcode: Cel, datum_of_jaar: Cel, scenario: Cel = None, regio: Cel = None) -> Cel:
    """Tarief van een product op een datum: landelijk, of dat van de regio; geïndexeerd naar dat jaar (EUR)."""
    return results.output(
        tariff(convert.parameters(scenario), convert.product_code(productcode), convert.date_or_year(datum_of_jaar),
               convert.optional_regio(regio))
    )


@udf("waarde", jaar="Jaar waarin de indexatie wordt toegepast, bijv. 2025.", scenario=SCENARIO_DOC)
def jbjr_indexpercentage(jaar: Cel, scenario: Cel = None) -> Cel:
    """Toegepast indexatiepercentage van een jaar, inclusief nacalculatie (0,0496 = 4,96%)."""
    return results.output(applied_rate(convert.parameters(scenario), convert.year(jaar)))


@udf(
    "waarde",
    van_jaar="Prijspeiljaar van het bedrag, bijv. 2024.",
    naar_jaar="Jaar waarnaar geïndexeerd wordt, bijv. 2026.",
    scenario=SCENARIO_DOC,
)
def jbjr_indexfactor(van_jaar: Cel, naar_jaar: Cel, scenario: Cel = None) -> Cel:
    """Indexatiefactor van het prijspeil van het ene jaar naar dat van het andere."""
    return results.output(
        index_factor(
            convert.parameters(scenario), convert.year(van_jaar, "van_jaar"), convert.year(naar_jaar, "naar_jaar")
        )
    )


@udf(
    "waarde",
    bedrag="Bedrag in euro's op prijspeil van van_jaar.",
    van_jaar="Prijspeiljaar van het bedrag, bijv. 2024.",
    naar_jaar="Jaar waarnaar geïndexeerd wordt, bijv. 2026.",
    scenario=SCENARIO_DOC,
)
def jbjr_geindexeerd(bedrag: Cel, van_jaar: Cel, naar_jaar: Cel, scenario: Cel = None) -> Cel:
    """Bedrag geïndexeerd van het ene prijspeiljaar naar het andere, afgerond op centen."""
    return results.output(
        indexed_amount(
            convert.number(bedrag, "bedrag"),
            convert.parameters(scenario),
            convert.year(van_jaar, "van_jaar"),
            convert.year(naar_jaar, "naar_jaar"),
        )
    )


@udf(
    "waarde",
    pad="Pad van de parameter, bijv. normen.caseload.gehanteerd.",
    datum_of_jaar="Datum, of een jaartal (dan 1 januari van dat jaar).",
    scenario=SCENARIO_DOC,
)
def jbjr_parameter(pad: Cel, datum_of_jaar: Cel, scenario: Cel = None) -> Cel:
    """Waarde van een parameter die op een datum geldt (de bron staat in het parameterbestand)."""
    return results.output(
        convert.parameters(scenario).value(convert.text(pad, "pad"), convert.date_or_year(datum_of_jaar))
    )


MARKED_HEADERS = ("Parameter", "Geldig vanaf", "Waarde", "Soort", "Bron")


@udf(
    "tabel",
    datum_of_jaar="Optioneel: alleen de waarden die op deze datum (of 1 januari van dit jaar) gelden; leeg = alle.",
    scenario=SCENARIO_DOC,
)
def jbjr_voorbeelden(datum_of_jaar: Cel = None, scenario: Cel = None) -> Cel:
    """Parameters met een voorbeeldwaarde of een voorlopig cijfer: pad, ingangsdatum, waarde, soort en bron (tabel)."""
    return _marked_table(
        marked(convert.parameters(scenario), None if convert.is_empty(datum_of_jaar)
               else convert.date_or_year(datum_of_jaar)),
        MARKED_HEADERS,
    )


def _marked_table(values: Sequence[tuple[str, ParameterValue]], headers: Sequence[str]) -> list[list[Any]]:
    """Example and provisional parameter values as a table (one row saying so when there are none).

    The start date is a date serial number, as Excel stores a date; format the column as a date.
    """
    rows: list[tuple[object, ...]] = [
        (path, convert.serial(v.start), v.value, mark_text(v.voorbeeld, v.voorlopig), v.reference)
        for path, v in values]
    return results.table(headers, rows or [("geen voorbeeldwaarden of voorlopige cijfers", None, None, None, None)])
