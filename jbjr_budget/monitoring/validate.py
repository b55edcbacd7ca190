"""Strict validation of one returned monitoring file; every problem named with file, sheet and cell.

Only values are accepted in input cells: formulas, hyperlinks and external
links are refused, as are macros and oversized or over-compressed archives.
This module is the security boundary between GI files and the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.errors import JbjrFout
from jbjr_budget.monitoring.layout import (
    META_KEYS,
    META_SHEET,
    SJABLOON,
    TEMPLATE_VERSION,
    Check,
    Field,
    Layout,
    build_layout,
)
from jbjr_budget.monitoring.periode import PERIODE_PATROON, Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.money import to_cents, to_decimal

__all__ = ["Issue", "Limits", "Submission", "Validation", "Value", "validate_file"]

Value = int | float | str | None
MAX_LAYOUT_MESSAGES = 5
MAX_GETAL = Decimal(10**12)
"""Ceiling for numbers without an upper bound of their own: keeps every count within SQLite's 64-bit integers."""


@dataclass(frozen=True)
class Limits:
    """Size limits that stop oversized files and zip bombs before anything is parsed."""

    max_bytes: int = 5 * 1024 * 1024
    max_unpacked: int = 50 * 1024 * 1024
    max_entries: int = 500


@dataclass(frozen=True)
class Issue:
    """One problem in a file, with the sheet and cell it is about (when there is one)."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        """The Dutch report line: ``bestand, blad 'X', cel B5: melding``."""
        where = "".join([f", blad '{self.sheet}'" if self.sheet else "", f", cel {self.cell}" if self.cell else ""])
        return f"{self.file}{where}: {self.message}"


@dataclass(frozen=True)
class Submission:
    """A valid file's content: identity, provenance and rows per ledger table."""

    source: str
    bestand_hash: str
    gi: str
    regio: str
    periode: str
    versie: str
    rows: dict[str, list[dict[str, Value]]]


@dataclass(frozen=True)
class Validation:
    """What validating one file found: a submission, or the issues."""

    source: str
    submission: Submission | None
    issues: tuple[Issue, ...]


class _Reject(Exception):
    """Stops validation of a file after a problem that makes further checks meaningless."""


class _Collector:
    """Collects problems for one file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Issue] = []

    def add(self, melding: str, blad: str | None = None, cel: str | None = None) -> None:
        self.problems.append(Issue(self.name, melding, blad, cel))

    def stop(self, melding: str, blad: str | None = None, cel: str | None = None) -> _Reject:
        self.add(melding, blad, cel)
        return _Reject()


def validate_file(
    path: Path, catalog: Catalog, periode: Periode | None = None, limits: Limits = Limits()
) -> Validation:
    """Validate one returned template; ``periode`` is the period the controller asked for, if any.

    Returns:
        A :class:`Validation` with a :class:`Submission` when the file has no problems.
    """
    found = _Collector(path.name)
    submission = None
    try:
        data = _read_safely(path, limits, found)
        workbook = _open(data, found)
        layout = _layout_from_meta(workbook, path, catalog, periode, found)
        _check_layout(workbook, layout, found)
        _check_stray_values(workbook, layout, found)
        values = _read_values(workbook, layout, found)
        _run_checks(layout, values, found)
        if not found.problems:
            meta = layout.meta()
            submission = Submission(str(path.resolve()), hashlib.sha256(data).hexdigest(), meta["gi"],
                                    meta["regio"], meta["periode"], meta["versie"], _rows(layout, values))
    except _Reject:
        pass
    return Validation(str(path), submission, tuple(found.problems))


def _read_safely(path: Path, limits: Limits, found: _Collector) -> bytes:
    """Read the file after checking size, archive expansion, macros and external links."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise found.stop(f"bestand is te groot ({size:,} bytes; maximaal {limits.max_bytes:,})".replace(",", "."))
        data = path.read_bytes()
    except OSError as exc:
        raise found.stop(f"bestand kan niet worden gelezen ({exc.strerror})") from None
    if path.suffix.lower() == ".xlsm":
        raise found.stop("bestand met macro's (.xlsm) wordt niet geaccepteerd; sla op als .xlsx zonder macro's")
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise found.stop("geen geldig Excel-bestand (.xlsx); sla het sjabloon op als Excel-werkmap") from None
    unpacked = sum(entry.file_size for entry in entries)
    # Python's zipfile never inflates an entry beyond its declared size, so checking the declared sizes suffices.
    if unpacked > limits.max_unpacked or len(entries) > limits.max_entries:
        raise found.stop(f"bestand pakt uit tot {unpacked:,} bytes in {len(entries)} delen; "
                         f"maximaal {limits.max_unpacked:,} bytes (mogelijk een zip-bom)".replace(",", "."))
    names = [entry.filename.lower() for entry in entries]
    if any(name.endswith("vbaproject.bin") for name in names):
        raise found.stop("bestand bevat macro's (VBA); alleen .xlsx zonder macro's wordt geaccepteerd")
    if any(name.startswith("xl/externallinks/") for name in names):
        found.add("bestand bevat koppelingen naar andere werkmappen (externe verwijzingen); verwijder ze")
    return data


def _open(data: bytes, found: _Collector) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except Exception as exc:
        raise found.stop(f"bestand kan niet als Excel-werkmap worden gelezen ({type(exc).__name__})") from None


def _layout_from_meta(
    workbook: Workbook, path: Path, catalog: Catalog, periode: Periode | None, found: _Collector
) -> Layout:
    """Rebuild the layout the file was made with from its metadata, and check the metadata."""
    if META_SHEET not in workbook.sheetnames:
        raise found.stop("geen JBJR-monitoringsjabloon: het verborgen blad Metadata ontbreekt")
    ws = workbook[META_SHEET]
    meta = {str(row[0]).strip(): str(row[1]).strip() for row in ws.iter_rows(min_row=2, max_col=2, values_only=True)
            if row[0] is not None and row[1] is not None}
    cells = {key: f"B{row}" for row, key in enumerate(META_KEYS, start=2)}
    if meta.get("sjabloon") != SJABLOON or any(key not in meta for key in META_KEYS):
        raise found.stop("geen JBJR-monitoringsjabloon: de metadata ontbreekt of is onvolledig", META_SHEET)
    if meta["versie"] != TEMPLATE_VERSION:
        raise found.stop(f"sjabloonversie {meta['versie']} wordt niet ondersteund (dit programma leest versie "
                         f"{TEMPLATE_VERSION}); vraag een nieuw sjabloon aan", META_SHEET, cells["versie"])
    try:
        layout = build_layout(catalog, meta["gi"], meta["regio"], Periode.parse(meta["periode"]),
                              tuple(meta["producten"].split(",")), tuple(meta["gemeenten"].split(",")))
    except JbjrFout as exc:
        raise found.stop(f"metadata klopt niet: {exc}", META_SHEET) from None
    if ws.sheet_state == "visible":
        found.add("het verborgen blad Metadata is zichtbaar gemaakt; gebruik het originele sjabloon", META_SHEET)
    if meta["vingerafdruk"] != layout.fingerprint():
        raise found.stop("metadata of lay-out is gewijzigd: de vingerafdruk klopt niet bij GI, regio, periode "
                         "en productlijst", META_SHEET, cells["vingerafdruk"])
    if periode is not None and periode != layout.periode:
        found.add(f"bestand is voor periode {layout.periode.code}, gevraagd is periode {periode.code}",
                  META_SHEET, cells["periode"])
    _check_file_name(path, layout, catalog, found)
    return layout


def _check_file_name(path: Path, layout: Layout, catalog: Catalog, found: _Collector) -> None:
    """The file name may not name another period, GI or region than the metadata."""
    stem = path.stem.upper()
    periods = {Periode.parse(m.group(0)).code for m in PERIODE_PATROON.finditer(stem)}
    if periods and layout.periode.code not in periods:
        found.add(f"bestandsnaam noemt periode {', '.join(sorted(periods))}, het bestand zelf is voor "
                  f"periode {layout.periode.code}")
    words = "_" + "_".join(re.split(r"[^a-z0-9]+", path.stem.lower())) + "_"
    for kind, keys, own in (("GI", catalog.gis, layout.gi), ("regio", catalog.regios, layout.regio)):
        named = [key for key in keys if f"_{key}_" in words]
        if named and own not in named:
            found.add(f"bestandsnaam noemt {kind} {', '.join(named)}, het bestand zelf is voor {kind} {own}")


def _check_layout(workbook: Workbook, layout: Layout, found: _Collector) -> None:
    """Every sheet present and every fixed label in its place; otherwise values would be misread."""
    before = len(found.problems)
    for sheet in layout.sheets:
        if sheet.name not in workbook.sheetnames:
            found.add("blad ontbreekt of is hernoemd", sheet.name)
            continue
        ws = workbook[sheet.name]
        wrong = [lb for lb in sheet.labels if lb.checked and _text(ws[lb.cell].value) != lb.text]
        for label in wrong[:MAX_LAYOUT_MESSAGES]:
            found.add(f"lay-out gewijzigd: verwacht '{label.text}', gevonden '{_text(ws[label.cell].value)}'",
                      sheet.name, label.cell)
        if len(wrong) > MAX_LAYOUT_MESSAGES:
            found.add(f"lay-out gewijzigd: nog {len(wrong) - MAX_LAYOUT_MESSAGES} cellen wijken af "
                      "(rijen of kolommen ingevoegd of verwijderd?)", sheet.name)
    if len(found.problems) > before:
        raise _Reject


def _check_stray_values(workbook: Workbook, layout: Layout, found: _Collector) -> None:
    """A value outside the template's cells would silently not be imported: refuse it, so nothing is lost."""
    for sheet in layout.sheets:
        known = {lb.cell for lb in sheet.labels} | {f.cell for f in sheet.fields} | {c.cell for c in sheet.checks}
        known |= {coordinate for coordinate, _, _ in sheet.formulas}
        stray = [cell.coordinate for row in workbook[sheet.name].iter_rows() for cell in row
                 if cell.value is not None and cell.coordinate not in known]
        for coordinate in stray[:MAX_LAYOUT_MESSAGES]:
            found.add("waarde buiten de invoercellen wordt niet ingelezen; zet cijfers alleen in de gele cellen "
                      "en uitleg op het blad Toelichting", sheet.name, coordinate)
        if len(stray) > MAX_LAYOUT_MESSAGES:
            found.add(f"nog {len(stray) - MAX_LAYOUT_MESSAGES} waarden buiten de invoercellen", sheet.name)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_values(workbook: Workbook, layout: Layout, found: _Collector) -> dict[tuple[str, str], Value]:
    values: dict[tuple[str, str], Value] = {}
    for field in layout.fields():
        ws: Worksheet = workbook[field.sheet]
        cell = ws[field.cell]
        if cell.hyperlink is not None:
            found.add("hyperlink in invoercel niet toegestaan; typ alleen een waarde", field.sheet, field.cell)
        elif cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula):
            found.add("formule in invoercel niet toegestaan; typ alleen een waarde", field.sheet, field.cell)
        elif isinstance(cell.value, dt.date | dt.time | dt.timedelta):
            found.add("datum of tijd in een invoercel; typ een getal of tekst", field.sheet, field.cell)
        elif isinstance(cell.value, bool):
            found.add("ja/nee-waarde (WAAR of ONWAAR) in een invoercel; typ een getal of tekst", field.sheet,
                      field.cell)
        elif cell.data_type == "e":
            found.add(f"foutwaarde {cell.value} in een invoercel; typ een getal of tekst", field.sheet, field.cell)
        else:
            message, value = _parse(field, cell.value)
            if message:
                found.add(message, field.sheet, field.cell)
            else:
                values[(field.sheet, field.cell)] = value
    return values


def _parse(field: Field, raw: int | float | str | None) -> tuple[str, Value]:
    """Parse one input value; returns ``(problem, value)`` with an empty problem when valid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.empty == "verplicht":
            return f"verplicht veld is leeg: {field.label}", None
        return "", (0 if field.empty == "nul" else None)
    if field.kind == "tekst":
        return _parse_text(field, str(raw).strip())
    if field.kind == "keuze":
        text = str(raw).strip()
        return ("" if text in field.choices else f"ongeldige keuze '{text}'; kies uit: {', '.join(field.choices)}",
                text)
    if isinstance(raw, str):
        return f"tekst in een getalcel: '{raw}'; vul een getal in", None
    return _parse_number(field, raw)


def _parse_text(field: Field, text: str) -> tuple[str, Value]:
    """Free text up to the field's length; a leading '=' is refused, since it would turn into a formula."""
    limit = int(field.bounds[1] or 0)
    if text.startswith("="):
        return "tekst begint met '=' en zou in een rapport een formule worden; begin de tekst anders", None
    return (f"toelichting is {len(text)} tekens; maximaal {limit}" if len(text) > limit else ""), text


def _parse_number(field: Field, raw: int | float) -> tuple[str, Value]:
    number = to_decimal(raw) if isinstance(raw, int) or math.isfinite(raw) else None
    if number is None:
        return f"ongeldig getal: {raw}", None
    problem = _range_problem(field, number)
    if problem:
        return problem, None
    if field.kind == "geheel":
        return "", int(number)
    if field.kind == "bedrag":
        return "", to_cents(number)
    return "", float(number)


def _range_problem(field: Field, number: Decimal) -> str:
    """Why a number does not fit its field (kind and bounds), or an empty string."""
    low, high = field.bounds
    high = MAX_GETAL if high is None else high
    shown = format(number.normalize(), "f").replace(".", ",")
    too_low, too_high = low is not None and number < low, high is not None and number > high
    if field.kind == "geheel" and number != number.to_integral_value():
        return f"alleen hele getallen toegestaan, niet {shown}"
    if field.kind == "percentage" and (too_low or too_high):
        return f"percentage {shown} ligt buiten {_bound(low)} tot en met {_bound(high)}"
    if too_low:
        return "negatief getal niet toegestaan" if low == 0 else f"waarde {shown} is kleiner dan {_bound(low)}"
    return f"waarde {shown} is groter dan {_bound(high)}" if too_high else ""


def _bound(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _run_checks(layout: Layout, values: dict[tuple[str, str], Value], found: _Collector) -> None:
    """Re-evaluate every live check on the values read (checks whose inputs are invalid are skipped)."""
    for check in layout.checks():
        keys = [(check.sheet, cell) for cell in check.operands]
        if all(key in values for key in keys) and not _holds(check, [values[key] for key in keys]):
            found.add(f"controle mislukt: {check.message}", check.sheet, check.target)


def _holds(check: Check, operands: list[Value]) -> bool:
    numbers = [v if isinstance(v, int | float) else 0 for v in operands]
    if check.kind == "balans":
        return numbers[0] + numbers[1] - numbers[2] == numbers[3]
    if check.kind == "hoogstens":
        return numbers[0] <= numbers[1]
    return numbers[0] - numbers[1] == numbers[2]


def _rows(layout: Layout, values: dict[tuple[str, str], Value]) -> dict[str, list[dict[str, Value]]]:
    """Group field values into ledger rows: one per table and row keys."""
    rows: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Value]] = defaultdict(dict)
    for field in layout.fields():
        row = rows[(field.table, field.keys)]
        row.update(dict(field.keys))
        row[field.column] = values[(field.sheet, field.cell)]
    tables: dict[str, list[dict[str, Value]]] = defaultdict(list)
    for (table, _), row in rows.items():
        tables[table].append(row)
    return dict(tables)
