"""Policy targets (doelen): what each target measures, from when to when, and which products it counts.

One parameter family holds every target (``doelen.beleid.<doel>``): the
reduction, the measure (``maatstaf``), the reference date and the target date.
Which products a target counts follows from the catalogue's product groups,
and the budget's volume path (``volumes.pad``) only names the target it follows.

Measures:
- ``stand``: the number running on the reference date against the number
  running at the end of the target date (OTS, all measures, staff).
- ``aantal_per_jaar``: the number started in the year from the reference date
  against the number started in the year up to and including the target date
  (VOTS: the number over 2021 against the number over 2026).

Rekenregel (doelen):
    Het doel OTS en het doel alle maatregelen vergelijken de stand op de referentiedatum met de stand aan
    het einde van de doeldatum; het doel VOTS vergelijkt het aantal dat in het referentiejaar is gestart met
    het aantal in het jaar tot en met de doeldatum. Het doel OTS telt de producten 48A04 en 48A05; alle
    maatregelen telt de door de rechter opgelegde maatregelen (niet het GBM-advies 47A02 en niet het LET
    48A10). Het scenario doelpad_min20 laat alleen de volumes van die opgelegde maatregelen dalen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jbjr_budget.errors import ParameterFout
from jbjr_budget.rules.catalog import Catalog, Groep
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.volumes import METHODES, Methode, path_factor, year_factor

__all__ = [
    "DOELEN",
    "NO_TARGET",
    "PRODUCT_GROUP",
    "Target",
    "VolumePath",
    "parameter_path",
    "target",
    "target_products",
    "volume_path_setting",
]

ROOT = "doelen.beleid"
PATH_ROOT = "volumes.pad"
NO_TARGET = "geen"
"""The value of ``volumes.pad.doel`` with which volumes stay at the reference level."""
DOELEN = {
    "ots": "Ondertoezichtstellingen (OTS)",
    "vots": "Voorlopige OTS (VOTS)",
    "maatregelen": "Alle door de rechter opgelegde maatregelen (JB en JR)",
    "personeel": "Personeelsverloop en verzuim",
}
"""Every target by key, with the Dutch name users read."""
PRODUCT_GROUP: dict[str, Groep] = {"ots": "ots", "maatregelen": "maatregelen"}
"""The catalogue group a target counts; VOTS is no product (the templates have a row of its own)."""
Maatstaf = Literal["stand", "aantal_per_jaar"]
MAATSTAVEN: tuple[Maatstaf, ...] = ("stand", "aantal_per_jaar")


def parameter_path(doel: str, field: str) -> str:
    """Parameter path of one field of a target, e.g. ``doelen.beleid.ots.reductie``."""
    return f"{ROOT}.{doel}.{field}"


@dataclass(frozen=True)
class Target:
    """One target as the source defines it."""

    doel: str
    reductie: Decimal
    maatstaf: Maatstaf
    referentiedatum: dt.date
    doeldatum: dt.date

    @property
    def naam(self) -> str:
        """The Dutch name of the target."""
        return DOELEN[self.doel]

    @property
    def path_start(self) -> dt.date:
        """Where the path starts: the reference date (a stock), or the day after the reference year (a count).

        Examples:
            >>> Target("vots", Decimal("0.2"), "aantal_per_jaar", dt.date(2021, 1, 1), dt.date(2026, 12, 31)).path_start
            datetime.date(2022, 1, 1)
        """
        if self.maatstaf == "stand":
            return self.referentiedatum
        return self.referentiedatum.replace(year=self.referentiedatum.year + 1)

    def factor(self, moment: dt.date, methode: Methode = "lineair") -> Decimal:
        """Target as a share of the reference figure at ``moment`` (00:00): 1 at the start, ``1 - reductie`` at the end.

        Notes:
            ``path_factor(reductie, path_start, doeldatum, moment)``; for a count the
            moment is the day after the twelve months counted.

        Examples:
            >>> vots = Target("vots", Decimal("0.2"), "aantal_per_jaar", dt.date(2021, 1, 1), dt.date(2026, 12, 31))
            >>> vots.factor(dt.date(2025, 1, 1)), vots.factor(dt.date(2027, 1, 1))
            (Decimal('0.88'), Decimal('0.8'))
        """
        return path_factor(self.reductie, self.path_start, self.doeldatum, moment, methode)


def _date(tree: ParameterTree, doel: str, field: str, on: dt.date) -> dt.date:
    path = parameter_path(doel, field)
    try:
        return dt.date.fromisoformat(tree.text(path, on))
    except ValueError:
        raise ParameterFout(f"parameter '{path}' is geen datum (JJJJ-MM-DD)") from None


def target(tree: ParameterTree, doel: str, on: dt.date) -> Target:
    """The target ``doel`` (``ots``, ``vots``, ``maatregelen``, ``personeel``) in force on ``on``."""
    if doel not in DOELEN:
        raise ParameterFout(f"onbekend doel '{doel}' (kies uit: {', '.join(DOELEN)})")
    maatstaf = tree.text(parameter_path(doel, "maatstaf"), on)
    if maatstaf not in MAATSTAVEN:
        raise ParameterFout(f"onbekende maatstaf '{maatstaf}' bij doel {doel} (kies uit: {', '.join(MAATSTAVEN)})")
    return Target(
        doel, tree.value(parameter_path(doel, "reductie"), on), maatstaf,
        _date(tree, doel, "referentiedatum", on), _date(tree, doel, "doeldatum", on),
    )


def target_products(catalog: Catalog, doel: str) -> tuple[str, ...]:
    """Codes of the catalogue products a target counts (none for VOTS and staff)."""
    groep = PRODUCT_GROUP.get(doel)
    return catalog.group(groep) if groep else ()


@dataclass(frozen=True)
class VolumePath:
    """The target the budget volumes follow, the products it changes and the shape of the path."""

    target: Target | None
    products: frozenset[str]
    methode: Methode

    def year_factor(self, year: int) -> Decimal:
        """Factor on the reference volume of a product on the path in ``year`` (1 without a target)."""
        if self.target is None:
            return Decimal(1)
        t = self.target
        return year_factor(t.reductie, t.path_start, t.doeldatum, year, self.methode)


def volume_path_setting(tree: ParameterTree, catalog: Catalog, on: dt.date) -> VolumePath:
    """The volume path of ``volumes.pad`` on ``on``: its target (or none) and the products that follow it."""
    doel = tree.text(f"{PATH_ROOT}.doel", on)
    methode = tree.text(f"{PATH_ROOT}.methode", on)
    if methode not in METHODES:
        raise ParameterFout(f"onbekende methode '{methode}' in {PATH_ROOT}.methode (kies lineair of samengesteld)")
    if doel == NO_TARGET:
        return VolumePath(None, frozenset(), methode)
    products = target_products(catalog, doel)
    if not products:
        raise ParameterFout(f"{PATH_ROOT}.doel '{doel}' telt geen producten (kies {NO_TARGET}, "
                            f"{' of '.join(PRODUCT_GROUP)})")
    return VolumePath(target(tree, doel, on), frozenset(products), methode)
