"""The monitoring template layout: the single source for the template writer and the importer.

A layout is built from the catalogue for one GI, region and period. It lists
every sheet, every fixed label (which the importer checks to detect a changed
layout), every input field (cell, kind, range, ledger table and column) and
every live check. Its fingerprint is a hash of that semantic content only, so
a file re-saved by another spreadsheet application (other styles, other bytes)
keeps the same fingerprint.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jbjr_budget.errors import InvoerFout
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.template_content import (
    DEFAULT_RANGE,
    FINANCIEN_FIELDS,
    INSTRUCTIES,
    NORM_COLUMNS,
    PERSONEEL_FIELDS,
    SECTIES,
    VOLUME_COLUMNS,
    CheckKind,
    Empty,
    FormSpec,
    Kind,
)
from jbjr_budget.rules.catalog import Catalog, Regio

__all__ = [
    "META_KEYS",
    "META_SHEET",
    "SJABLOON",
    "SUBTITLE_SEPARATOR",
    "TEMPLATE_VERSION",
    "VOTS",
    "Check",
    "Field",
    "Label",
    "Layout",
    "SheetLayout",
    "build_layout",
    "template_name",
]

TEMPLATE_VERSION = "1.1"
"""1.1: the Controle cells round counts to whole numbers and amounts to cents before comparing, as the importer does."""
SJABLOON = "JBJR-monitoring"
META_SHEET = "Metadata"
META_KEYS = ("sjabloon", "versie", "gi", "regio", "periode", "producten", "gemeenten", "vingerafdruk")
VOTS = "VOTS"
VOTS_NAAM = "Voorlopige ondertoezichtstelling (VOTS), alleen ter monitoring"
HEADER_ROW = 4
FIRST_ROW = 5
CHECK_OK = "OK"
SUBTITLE_SEPARATOR = " — "

LabelStyle = Literal["titel", "ondertitel", "kop", "rij", "tekst"]



@dataclass(frozen=True)
class Label:
    """A fixed text in a locked cell; ``checked`` labels define the layout."""

    sheet: str
    cell: str
    text: str
    style: LabelStyle = "rij"
    checked: bool = True


@dataclass(frozen=True)
class Field:
    """An input cell and where its value goes in the ledger.

    ``table`` and ``keys`` name the ledger row (e.g. ``volume`` with product and
    municipality), ``column`` the ledger column. ``empty`` says what an empty
    cell means: ``nul`` (zero), ``leeg`` (unknown) or ``verplicht`` (an error).
    """

    sheet: str
    cell: str
    table: str
    keys: tuple[tuple[str, str], ...]
    column: str
    label: str
    kind: Kind
    empty: Empty = "nul"
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """Lower and upper bound: the field's own, else the default of its kind."""
        low, high = DEFAULT_RANGE[self.kind]
        return (self.minimum if self.minimum is not None else low, self.maximum if self.maximum is not None else high)


@dataclass(frozen=True)
class Check:
    """A live check: a formula cell in the template, re-evaluated by the importer.

    ``balans``: ``a + b - c = d``; ``hoogstens``: ``a <= b``; ``verschil``:
    ``a - b = c``. The formula computes what the importer computes: counts as
    whole numbers (so float noise such as 39.00000000000001 cannot turn a
    Controle cell red), amounts in whole cents, each rounded half away from
    zero first (Excel's ROUND, the ledger's cents). ``target`` is the input
    cell a failure is reported on.
    """

    sheet: str
    cell: str
    kind: CheckKind
    operands: tuple[str, ...]
    target: str
    message: str

    @property
    def formula(self) -> str:
        """The Excel formula showing ``OK`` or ``FOUT: ...`` in the check cell."""
        whole = [f"ROUND({cell},0)" for cell in self.operands]
        if self.kind == "balans":
            condition = f"{whole[0]}+{whole[1]}-{whole[2]}={whole[3]}"
        elif self.kind == "hoogstens":
            condition = f"{whole[0]}<={whole[1]}"
        else:
            cents = [f"ROUND({cell},2)" for cell in self.operands]
            condition = f"ROUND({cents[0]}-{cents[1]}-{cents[2]},2)=0"
        return f'=IF({condition},"{CHECK_OK}","FOUT: {self.message}")'


@dataclass(frozen=True)
class SheetLayout:
    """One sheet: labels, input fields, checks, display formulas and column widths."""

    name: str
    labels: tuple[Label, ...] = ()
    fields: tuple[Field, ...] = ()
    checks: tuple[Check, ...] = ()
    formulas: tuple[tuple[str, str, str], ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Layout:
    """The full template layout for one GI, region and period."""

    gi: str
    regio: str
    periode: Periode
    producten: tuple[str, ...]
    gemeenten: tuple[str, ...]
    sheets: tuple[SheetLayout, ...]
    version: str = TEMPLATE_VERSION

    def fields(self) -> Iterator[Field]:
        """Every input field, sheet by sheet."""
        for sheet in self.sheets:
            yield from sheet.fields

    def checks(self) -> Iterator[Check]:
        """Every live check."""
        for sheet in self.sheets:
            yield from sheet.checks

    @functools.cached_property
    def by_cell(self) -> dict[tuple[str, str], Field]:
        """Input fields by (sheet, cell)."""
        return {(f.sheet, f.cell): f for f in self.fields()}

    def fingerprint(self) -> str:
        """Hash of identity and semantic layout: sheets, checked labels, fields and checks (not styles)."""
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> str:
        content = {
            "versie": self.version,
            "identiteit": [self.gi, self.regio, self.periode.code, self.producten, self.gemeenten],
            "bladen": [s.name for s in self.sheets],
            "labels": [[lb.sheet, lb.cell, lb.text] for s in self.sheets for lb in s.labels if lb.checked],
            "velden": [
                [f.sheet, f.cell, f.table, f.keys, f.column, f.kind, f.empty, str(f.bounds), f.choices]
                for f in self.fields()
            ],
            "controles": [[c.sheet, c.cell, c.kind, c.operands, c.target] for c in self.checks()],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]

    def meta(self) -> dict[str, str]:
        """The metadata the template carries on its hidden sheet."""
        return {
            "sjabloon": SJABLOON,
            "versie": self.version,
            "gi": self.gi,
            "regio": self.regio,
            "periode": self.periode.code,
            "producten": ",".join(self.producten),
            "gemeenten": ",".join(self.gemeenten),
            "vingerafdruk": self.fingerprint(),
        }


def template_name(gi: str, regio: str, periode: Periode) -> str:
    """File name of a template: ``monitoring_<gi>_<regio>_<periode>.xlsx``."""
    return f"monitoring_{gi}_{regio}_{periode.code}.xlsx"


def _check_belongs(regio: Regio, gi: str, gemeenten: tuple[str, ...]) -> None:
    """A template is for a GI the region contracts and for the region's own municipalities only."""
    if gi not in regio.gis:
        raise InvoerFout(f"GI {gi} is niet gecontracteerd door {regio.naam}")
    own = {g.key for g in regio.gemeenten}
    foreign = [key for key in gemeenten if key not in own]
    if foreign:
        raise InvoerFout(f"gemeente {', '.join(foreign)} hoort niet bij {regio.naam}")


def build_layout(
    catalog: Catalog,
    gi: str,
    regio: str,
    periode: Periode,
    producten: tuple[str, ...] | None = None,
    gemeenten: tuple[str, ...] | None = None,
) -> Layout:
    """Build the layout for ``gi`` and ``regio``; products and municipalities default to the catalogue's.

    The importer passes the lists stored in a file's metadata, so a file made
    before a catalogue change is still read with the layout it was made with.
    """
    regio_def, gi_def = catalog.regio(regio), catalog.gi(gi)
    codes = producten if producten is not None else regio_def.producten
    names = {p: catalog.product(p).naam for p in codes}
    keys = gemeenten if gemeenten is not None else tuple(g.key for g in regio_def.gemeenten)
    munis = tuple((k, catalog.gemeente(k).naam) for k in keys)
    _check_belongs(regio_def, gi_def.key, keys)
    subtitle = SUBTITLE_SEPARATOR.join((gi_def.naam, regio_def.naam, f"periode {periode.code} "
                                        f"({periode.start:%d-%m-%Y} t/m {periode.end:%d-%m-%Y})"))
    sheets = (
        _instructie(subtitle),
        _volumes(subtitle, [*names.items(), (VOTS, VOTS_NAAM)], munis),
        _inspectie(subtitle, munis),
        _form(PERSONEEL, "Personeel", "personeel", subtitle, PERSONEEL_FIELDS),
        _form(FINANCIEN, "Financiën", "financien", subtitle, FINANCIEN_FIELDS),
        _toelichting(subtitle),
    )
    return Layout(gi_def.key, regio_def.key, periode, tuple(codes), keys, sheets)


INSTRUCTIE, VOLUMES, INSPECTIE, PERSONEEL, FINANCIEN, TOELICHTING = (
    "Instructie", "Volumes", "Inspectienormen", "Personeel", "Financiën", "Toelichting",
)

def _cell(column: str, row: int) -> str:
    return f"{column}{row}"


def _col(index: int) -> str:
    """Column letter for a 1-based index below 27."""
    return chr(ord("A") + index - 1)


def _header(sheet: str, title: str, subtitle: str, headers: tuple[str, ...]) -> list[Label]:
    labels = [Label(sheet, "A1", title, "titel"), Label(sheet, "A2", subtitle, "ondertitel", checked=False)]
    labels += [Label(sheet, _cell(_col(i), HEADER_ROW), h, "kop") for i, h in enumerate(headers, start=1)]
    return labels


def _instructie(subtitle: str) -> SheetLayout:
    labels = [Label(INSTRUCTIE, "A1", "Monitoring jeugdbescherming en jeugdreclassering", "titel"),
              Label(INSTRUCTIE, "A2", subtitle, "ondertitel", checked=False),
              Label(INSTRUCTIE, "A4", "Zo vult u dit sjabloon in", "kop", checked=False)]
    labels += [Label(INSTRUCTIE, f"A{row}", f"{n}. {text}", "tekst", checked=False)
               for n, (row, text) in enumerate(enumerate(INSTRUCTIES, start=FIRST_ROW), start=1)]
    return SheetLayout(INSTRUCTIE, tuple(labels), widths=(100,))


def _volumes(subtitle: str, products: list[tuple[str, str]], munis: tuple[tuple[str, str], ...]) -> SheetLayout:
    headers = ("Productcode", "Product", "Gemeente", *(c[1] for c in VOLUME_COLUMNS), "Controle")
    labels, fields, checks = _header(VOLUMES, "Volumes per product en gemeente", subtitle, headers), [], []
    check_col = _col(len(headers))
    row = FIRST_ROW
    for code, naam in products:
        for gemeente, gemeente_naam in munis:
            labels += [Label(VOLUMES, f"A{row}", code), Label(VOLUMES, f"B{row}", naam),
                       Label(VOLUMES, f"C{row}", gemeente_naam)]
            keys = (("product", code), ("gemeente", gemeente))
            cells = []
            for i, (column, title, kind, empty) in enumerate(VOLUME_COLUMNS, start=4):
                cells.append(_cell(_col(i), row))
                fields.append(Field(VOLUMES, cells[-1], "volume", keys, column,
                                    f"{title}, {code} {gemeente_naam}", kind, empty))
            checks.append(Check(VOLUMES, f"{check_col}{row}", "balans", tuple(cells[:4]), cells[3],
                                "begin + instroom - uitstroom is niet gelijk aan einde"))
            row += 1
    return SheetLayout(VOLUMES, tuple(labels), tuple(fields), tuple(checks),
                       widths=(12, 48, 20, 12, 11, 11, 12, 13, 14, 13, 50))


def _inspectie(subtitle: str, munis: tuple[tuple[str, str], ...]) -> SheetLayout:
    headers = ("Gemeente", "Nieuwe zaken in de periode", *(n[1] for n in NORM_COLUMNS),
               *(f"% {n[2]}" for n in NORM_COLUMNS), *(f"Controle {n[2]}" for n in NORM_COLUMNS))
    labels, fields, checks, formulas = _header(INSPECTIE, "Inspectienormen (IGJ)", subtitle, headers), [], [], []
    for row, (gemeente, naam) in enumerate(munis, start=FIRST_ROW):
        labels.append(Label(INSPECTIE, f"A{row}", naam))
        keys = (("gemeente", gemeente),)
        fields.append(Field(INSPECTIE, f"B{row}", "inspectie", keys, "zaken", f"Nieuwe zaken, {naam}", "geheel"))
        for i, (column, title, short) in enumerate(NORM_COLUMNS):
            count = f"{_col(3 + i)}{row}"
            fields.append(Field(INSPECTIE, count, "inspectie", keys, column, f"{title}, {naam}", "geheel"))
            formulas.append((f"{_col(6 + i)}{row}", f'=IF(B{row}>0,{count}/B{row},"")', "0.0%"))
            checks.append(Check(INSPECTIE, f"{_col(9 + i)}{row}", "hoogstens", (count, f"B{row}"), count,
                                f"aantal binnen {short} is groter dan het aantal zaken"))
    return SheetLayout(INSPECTIE, tuple(labels), tuple(fields), tuple(checks), tuple(formulas),
                       widths=(22, 14, 22, 22, 22, 12, 12, 12, 40, 40, 40))


def _form(sheet: str, title: str, table: str, subtitle: str, specs: tuple[FormSpec, ...]) -> SheetLayout:
    labels = _header(sheet, title, subtitle, ("Onderwerp", "Waarde", "Eenheid", "Controle"))
    fields = []
    for row, spec in enumerate(specs, start=FIRST_ROW):
        labels += [Label(sheet, f"A{row}", spec.label), Label(sheet, f"C{row}", spec.unit)]
        fields.append(Field(sheet, f"B{row}", table, (), spec.column, spec.label, spec.kind, "verplicht",
                            minimum=spec.minimum, choices=spec.choices))
    checks = []
    if table == "financien":
        omzet, kosten, resultaat = (f"B{FIRST_ROW + i}" for i in range(3))
        checks.append(Check(sheet, f"D{FIRST_ROW + 2}", "verschil", (omzet, kosten, resultaat), resultaat,
                            "resultaat is niet gelijk aan omzet min kosten"))
    return SheetLayout(sheet, tuple(labels), tuple(fields), tuple(checks), widths=(48, 18, 30, 45))


def _toelichting(subtitle: str) -> SheetLayout:
    labels = _header(TOELICHTING, "Toelichting per onderdeel", subtitle, ("Onderdeel", "Toelichting"))
    fields = []
    for row, (key, naam) in enumerate(SECTIES, start=FIRST_ROW):
        labels.append(Label(TOELICHTING, f"A{row}", naam))
        fields.append(Field(TOELICHTING, f"B{row}", "toelichting", (("sectie", key),), "tekst",
                            f"Toelichting {naam}", "tekst", "leeg"))
    return SheetLayout(TOELICHTING, tuple(labels), tuple(fields), widths=(20, 100))
