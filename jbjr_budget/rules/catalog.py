"""The catalogue: products, regions with their municipalities, and GIs, read from YAML.

Regions, municipalities and GIs are data (``jbjr_budget/catalogus/``), so a
region outside NW4 is added by a file, not by code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from jbjr_budget.errors import InvoerFout, ParameterFout
from jbjr_budget.rules.compiled import compiled_yaml

__all__ = ["GROUPS", "Catalog", "Gemeente", "Gi", "Product", "Regio", "load_catalog"]

Soort = Literal["jb", "jr", "jbjr", "extra"]
Eenheid = Literal["maand", "traject", "uur", "stuk"]
SOORTEN: tuple[Soort, ...] = ("jb", "jr", "jbjr", "extra")
EENHEDEN: tuple[Eenheid, ...] = ("maand", "traject", "uur", "stuk")
EENHEID_LABEL = {"maand": "per maand", "traject": "per traject", "uur": "per uur", "stuk": "per stuk"}
Groep = Literal["ots", "maatregelen", "wettelijk", "extra"]
GROUPS: dict[Groep, str] = {
    "ots": "ondertoezichtstellingen (doelgroep ots)",
    "maatregelen": "door de rechter opgelegde maatregelen (maatregel: true)",
    "wettelijk": "wettelijke taken JB en JR (soort jb, jr of jbjr)",
    "extra": "aanvullende diensten (soort extra)",
}
"""The product groups targets and scenarios name, with what puts a product in each (catalogue data)."""


@dataclass(frozen=True)
class Product:
    """A product a region buys: code, Dutch name, kind (jb/jr/jbjr/extra) and unit."""

    code: str
    naam: str
    soort: Soort
    eenheid: Eenheid
    doelgroep: str
    maatregel: bool = False
    """True for a measure imposed by a court (or the public prosecutor)."""

    def in_group(self, groep: Groep) -> bool:
        """True when the product belongs to ``groep`` (see :data:`GROUPS`)."""
        if groep == "ots":
            return self.doelgroep == "ots"
        if groep == "maatregelen":
            return self.maatregel
        return (self.soort == "extra") == (groep == "extra")

    @property
    def eenheid_label(self) -> str:
        """The unit as users read it, e.g. ``per maand``."""
        return EENHEID_LABEL[self.eenheid]


@dataclass(frozen=True)
class Gemeente:
    """A municipality and the region it buys with."""

    key: str
    naam: str
    regio: str


@dataclass(frozen=True)
class Gi:
    """A certified institution (gecertificeerde instelling)."""

    key: str
    naam: str


@dataclass(frozen=True)
class Regio:
    """A youth-care region: its municipalities, contracted GIs and products."""

    key: str
    naam: str
    contract: str
    gis: tuple[str, ...]
    gemeenten: tuple[Gemeente, ...]
    producten: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    """Products, regions and GIs, with the source they come from."""

    producten: dict[str, Product]
    regios: dict[str, Regio]
    gis: dict[str, Gi]
    reference: str
    geldig_vanaf: dt.date

    def product(self, code: object) -> Product:
        """Look up a product by code; stray spaces and case are ignored."""
        key = str(code).strip().upper()
        if key not in self.producten:
            raise InvoerFout(f"onbekende productcode {key}")
        return self.producten[key]

    def group(self, groep: Groep) -> tuple[str, ...]:
        """Codes of the products in ``groep``, in catalogue order.

        Examples:
            >>> load_catalog().group("ots")
            ('48A04', '48A05')
        """
        return tuple(code for code, product in self.producten.items() if product.in_group(groep))

    def regio(self, key: object) -> Regio:
        """Look up a region by key (``alkmaar``) or by name (``Regio Alkmaar``)."""
        wanted = str(key).strip().lower()
        if wanted in self.regios:
            return self.regios[wanted]
        for regio in self.regios.values():
            if wanted == regio.naam.lower():
                return regio
        raise InvoerFout(f"onbekende regio {str(key).strip()}; kies uit: {_choices(self.regios.values())}")

    def gi(self, key: object) -> Gi:
        """Look up a GI by key (``jgb``)."""
        wanted = str(key).strip().lower()
        if wanted not in self.gis:
            raise InvoerFout(f"onbekende GI {str(key).strip()}; kies uit: {_choices(self.gis.values())}")
        return self.gis[wanted]

    def gemeente(self, key: object) -> Gemeente:
        """Look up a municipality by key (``bergen_nh``) or name (``Bergen (NH)``)."""
        wanted = str(key).strip().lower()
        for gemeente in self.gemeenten():
            if wanted in (gemeente.key, gemeente.naam.lower()):
                return gemeente
        raise InvoerFout(f"onbekende gemeente {str(key).strip()}; kies uit: {_choices(self.gemeenten())}")

    def gemeenten(self, regios: Iterable[str] | None = None) -> list[Gemeente]:
        """Municipalities of the given regions (all regions when ``None``), in catalogue order."""
        keys = list(self.regios) if regios is None else [self.regio(r).key for r in regios]
        return [g for key in keys for g in self.regios[key].gemeenten]

    def contract_regios(self, contract: str) -> list[Regio]:
        """Regions that buy together under one contract (e.g. ``nw4``)."""
        found = [r for r in self.regios.values() if r.contract == contract]
        if not found:
            contracts = ", ".join(sorted({r.contract for r in self.regios.values()}))
            raise InvoerFout(f"onbekend contract {contract}; kies uit: {contracts}")
        return found


def _choices(entries: Iterable[Regio | Gi | Gemeente]) -> str:
    """Keys with their names, as an error message lists the valid choices."""
    return ", ".join(f"{entry.key} ({entry.naam})" for entry in entries)


CATALOGUS = Path(str(resources.files("jbjr_budget") / "catalogus"))


def load_catalog(root: Path = CATALOGUS) -> Catalog:
    """Read and validate ``producten.yaml`` and ``organisatie.yaml`` under ``root``."""
    producten_file, organisatie_file = root / "producten.yaml", root / "organisatie.yaml"
    raw_producten = compiled_yaml(producten_file)
    raw_org = compiled_yaml(organisatie_file)
    if not isinstance(raw_org, dict):
        raise ParameterFout(f"{organisatie_file}: verwacht een groep met gis en regios.")
    _source(producten_file, raw_producten)
    reference, geldig_vanaf = _source(organisatie_file, raw_org)
    producten = {
        str(code): _product(producten_file, str(code), spec)
        for code, spec in _mapping(producten_file, raw_producten, "producten").items()
    }
    gis = {
        str(k): Gi(str(k), _naam(organisatie_file, f"gis.{k}", v))
        for k, v in _mapping(organisatie_file, raw_org, "gis").items()
    }
    regios = {
        str(key): _regio(organisatie_file, str(key), spec, producten, gis)
        for key, spec in _mapping(organisatie_file, raw_org, "regios").items()
    }
    return Catalog(producten, regios, gis, reference, geldig_vanaf)


def _source(file: Path, content: object) -> tuple[str, dt.date]:
    """The catalogue file's source and the date it holds from; both are required."""
    reference = content.get("reference") if isinstance(content, dict) else None
    geldig_vanaf = content.get("geldig_vanaf") if isinstance(content, dict) else None
    if not isinstance(reference, str) or not reference.strip() or not isinstance(geldig_vanaf, dt.date):
        raise ParameterFout(f"{file}: 'reference' en 'geldig_vanaf' (JJJJ-MM-DD) zijn verplicht.")
    return reference.strip(), geldig_vanaf


def _naam(file: Path, where: str, spec: object) -> str:
    """The Dutch name of a catalogue entry, or a Dutch error naming file and key."""
    naam = spec.get("naam") if isinstance(spec, dict) else None
    if not isinstance(naam, str) or not naam.strip():
        raise ParameterFout(f"{file}: '{where}' mist 'naam'.")
    return naam.strip()


def _mapping(file: Path, content: object, key: str) -> dict[Any, Any]:
    section = content.get(key) if isinstance(content, dict) else None
    if not isinstance(section, dict) or not section:
        raise ParameterFout(f"{file}: sectie '{key}' ontbreekt of is leeg.")
    return section


def _product(file: Path, code: str, spec: object) -> Product:
    if not isinstance(spec, dict) or spec.get("soort") not in SOORTEN or spec.get("eenheid") not in EENHEDEN:
        raise ParameterFout(
            f"{file}: product '{code}' heeft een ongeldige soort of eenheid "
            f"(soort: {', '.join(SOORTEN)}; eenheid: {', '.join(EENHEDEN)})."
        )
    if not isinstance(spec.get("maatregel", False), bool):
        raise ParameterFout(f"{file}: product '{code}': 'maatregel' moet true of false zijn.")
    return Product(
        code, _naam(file, f"producten.{code}", spec), cast(Soort, spec["soort"]), cast(Eenheid, spec["eenheid"]),
        str(spec.get("doelgroep", "overig")), spec.get("maatregel", False),
    )


def _flatten(items: Iterable[Any]) -> list[str]:
    flat: list[str] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [str(item)])
    return flat


def _regio(file: Path, key: str, spec: object, producten: dict[str, Product], gis: dict[str, Gi]) -> Regio:
    gemeenten = spec.get("gemeenten") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not isinstance(gemeenten, dict) or not gemeenten:
        raise ParameterFout(f"{file}: regio '{key}' heeft geen gemeenten.")
    codes = _flatten(spec.get("producten", []))
    unknown = [c for c in codes if c not in producten] + [g for g in spec.get("gis", []) if g not in gis]
    if unknown:
        raise ParameterFout(f"{file}: regio '{key}' noemt onbekend product of onbekende GI '{unknown[0]}'.")
    return Regio(
        key=key,
        naam=_naam(file, f"regios.{key}", spec),
        contract=str(spec.get("contract", key)),
        gis=tuple(spec.get("gis", [])),
        gemeenten=tuple(Gemeente(str(k), str(v), key) for k, v in gemeenten.items()),
        producten=tuple(dict.fromkeys(codes)),
    )
