"""Worksheet function for a volume path towards a target."""

from __future__ import annotations

from jbjr_budget.rules.volumes import volume_path
from udfs import convert, results
from udfs.registration import Cel, udf

__all__ = ["jbjr_volumepad"]


@udf(
    "rij of kolom",
    bereik=("jaren",),
    referentievolume="Volume op de startdatum (gemiddeld aantal lopende maatregelen).",
    reductie="Beoogde daling als fractie, bijv. 0,2 voor -20%.",
    startdatum="Datum van de referentiestand, bijv. 1-1-2022.",
    doeldatum="Datum waarop het doel bereikt is, bijv. 31-12-2026.",
    jaren="Jaren als rij of kolom; het resultaat volgt die richting.",
    methode="Optioneel: lineair (standaard) of samengesteld.",
)
def jbjr_volumepad(
    referentievolume: Cel, reductie: Cel, startdatum: Cel, doeldatum: Cel, jaren: Cel, methode: Cel = None
) -> Cel:
    """Volume per jaar op het pad van de referentiestand naar het doel (jaargemiddelde)."""
    return results.as_shaped(
        volume_path(
            convert.number(referentievolume, "referentievolume"),
            convert.number(reductie, "reductie"),
            convert.date(startdatum, "startdatum"),
            convert.date(doeldatum, "doeldatum"),
            convert.years(jaren),
            convert.methode(methode),
        ),
        convert.orientation(jaren),
    )
