"""Worksheet functions for the reserve path, its Monte Carlo, and investment appraisal."""

from __future__ import annotations

from jbjr_budget.rules.investment import net_present_value, payback_period
from jbjr_budget.rules.money import cents_to_euro
from jbjr_budget.rules.reserves import reserve_path, simulate_reserves, working_capital
from udfs import convert, results
from udfs.registration import Cel, udf

__all__ = ["jbjr_montecarlo", "jbjr_ncw", "jbjr_reservepad", "jbjr_terugverdientijd", "jbjr_werkkapitaal"]

DOCS = {
    "jaren": "Jaren als rij of kolom, bijv. 2026 t/m 2030.",
    "omzet": "Omzet exclusief opslag in euro's: één bedrag voor elk jaar, of een bedrag per jaar.",
    "kosten": "Kosten in euro's: één bedrag voor elk jaar, of een bedrag per jaar.",
    "beginreserve": "Reserve (weerstandsvermogen) aan het begin van het eerste jaar, in euro's.",
    "opslag": "Risico-opslag op het tarief als fractie, bijv. 0,02.",
    "norm": "Norm weerstandsvermogen als fractie van de omzet, bijv. 0,1.",
}
PATH_HEADERS = (
    "Jaar", "Omzet excl. opslag (EUR)", "Opslag actief", "Opslag (EUR)", "Omzet (EUR)",
    "Kosten (EUR)", "Resultaat (EUR)", "Reserve eind (EUR)", "Reserve % omzet",
)


@udf("tabel", bereik=("jaren", "omzet", "kosten"), **DOCS)
def jbjr_reservepad(jaren: Cel, omzet: Cel, kosten: Cel, beginreserve: Cel, opslag: Cel, norm: Cel) -> Cel:
    """Reserve per jaar met risico-opslag tot de norm bereikt is, als tabel met kopregel."""
    years = convert.years(jaren)
    path = reserve_path(
        years,
        convert.cents_per_year(omzet, "omzet"),
        convert.cents_per_year(kosten, "kosten"),
        convert.cents(beginreserve, "beginreserve"),
        convert.number(opslag, "opslag"),
        convert.number(norm, "norm"),
    )
    return results.reserve_table(path, PATH_HEADERS)


@udf(
    "waarde",
    omzet="Omzet per jaar exclusief opslag, in euro's.",
    maanden="Gevraagd werkkapitaal in maanden omzet, bijv. 2,5.",
)
def jbjr_werkkapitaal(omzet: Cel, maanden: Cel) -> Cel:
    """Werkkapitaal: een aantal maanden van de jaaromzet, afgerond op centen (EUR)."""
    return results.output(
        cents_to_euro(working_capital(convert.cents(omzet, "omzet"), convert.number(maanden, "maanden")))
    )


@udf(
    "tabel",
    bereik=("jaren",),
    **{
        **DOCS,
        "omzet": "Verwachte omzet per jaar exclusief opslag, in euro's (één bedrag).",
        "kosten": "Verwachte kosten per jaar in euro's (één bedrag).",
    },
    spreiding_volume="Standaardafwijking van de volumefactor per jaar, bijv. 0,05.",
    spreiding_kosten="Standaardafwijking van de kostenfactor per jaar, bijv. 0,03.",
    runs="Optioneel: aantal simulaties; leeg = 10.000.",
    startgetal="Optioneel: startgetal van de toevalsgenerator (zelfde getal, zelfde uitkomst); leeg = 2026.",
)
def jbjr_montecarlo(
    jaren: Cel,
    omzet: Cel,
    kosten: Cel,
    beginreserve: Cel,
    opslag: Cel,
    norm: Cel,
    spreiding_volume: Cel,
    spreiding_kosten: Cel,
    runs: Cel = None,
    startgetal: Cel = None,
) -> Cel:
    """Samenvatting van gesimuleerde reservepaden: kansen en percentielen, als tabel."""
    result = simulate_reserves(
        convert.years(jaren),
        convert.cents(omzet, "omzet"),
        convert.cents(kosten, "kosten"),
        convert.cents(beginreserve, "beginreserve"),
        convert.number(opslag, "opslag"),
        convert.number(norm, "norm"),
        float(convert.number(spreiding_volume, "spreiding_volume")),
        float(convert.number(spreiding_kosten, "spreiding_kosten")),
        convert.optional_whole(runs, "runs", 10_000),
        convert.optional_whole(startgetal, "startgetal", 2026),
    )
    return results.monte_carlo_table(result)


@udf(
    "waarde",
    bereik=("kasstromen",),
    disconteringsvoet="Disconteringsvoet per jaar als fractie, bijv. 0,025.",
    kasstromen="Kasstromen per jaar in euro's, de eerste (investering, negatief) op t = 0.",
)
def jbjr_ncw(disconteringsvoet: Cel, kasstromen: Cel) -> Cel:
    """Netto contante waarde van jaarlijkse kasstromen, de eerste onverdisconteerd (EUR)."""
    return results.output(
        net_present_value(
            convert.number(disconteringsvoet, "disconteringsvoet"), convert.numbers(kasstromen, "kasstromen")
        )
    )


@udf(
    "waarde",
    bereik=("kasstromen",),
    kasstromen="Kasstromen per jaar in euro's, de eerste (investering, negatief) op t = 0.",
)
def jbjr_terugverdientijd(kasstromen: Cel) -> Cel:
    """Jaren tot de cumulatieve kasstroom niet meer negatief is; tekst als dat niet gebeurt."""
    return results.output_or(payback_period(convert.numbers(kasstromen, "kasstromen")), "niet terugverdiend")
