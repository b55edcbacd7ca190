"""Strict validation of one returned monitoring file; every problem named with file, sheet and cell.

This module is the security boundary between GI files and the ledger. A file
is read with the project's own hardened reader (:mod:`xlsx_reader`), never
with a general-purpose one, and booked only when what the ledger gets is
what a person sees in the file: the same identity on every sheet and in the
metadata, exactly the template's sheets and parts, nothing hidden, values as
shown, and every live check holding as the template's Controle cells show.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jbjr_budget.monitoring.identity import check_header, layout_from_meta
from jbjr_budget.monitoring.issues import Collector, Issue, Stop, quoted
from jbjr_budget.monitoring.layout import META_SHEET, Check, Layout
from jbjr_budget.monitoring.package import Limits
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.values import Value, field_value
from jbjr_budget.monitoring.xlsx_reader import Cell, Sheet, Workbook, read_workbook
from jbjr_budget.monitoring.xml_stream import Refusal
from jbjr_budget.rules.catalog import Catalog

__all__ = ["Submission", "Validation", "read_upload", "validate_bytes", "validate_file"]

MAX_LAYOUT_MESSAGES = 5
HIDDEN_STATES = ("hidden", "veryHidden")
DEFAULT_LIMITS = Limits()


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


def read_upload(path: Path, limits: Limits) -> bytes | Issue:
    """The bytes of a returned file, or the issue why it cannot be read (too large, unreadable)."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return Issue(path.name, f"bestand is te groot ({size:,} bytes; maximaal {limits.max_bytes:,})"
                         .replace(",", "."))
        return path.read_bytes()
    except OSError as exc:
        return Issue(path.name, f"bestand kan niet worden gelezen ({exc.strerror})")


def validate_file(path: Path, catalog: Catalog, periode: Periode | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> Validation:
    """Read and validate one returned template; ``periode`` is the period the controller asked for, if any.

    Returns:
        A :class:`Validation` with a :class:`Submission` when the file has no problems.
    """
    data = read_upload(path, limits)
    if isinstance(data, Issue):
        return Validation(str(path), None, (data,))
    return validate_bytes(data, path, catalog, periode, limits)


def validate_bytes(data: bytes, path: Path, catalog: Catalog, periode: Periode | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> Validation:
    """Validate the bytes of a returned template read from ``path``."""
    found = Collector(path.name)
    submission = None
    try:
        if path.suffix.lower() == ".xlsm":
            raise found.stop("bestand met macro's (.xlsm) wordt niet geaccepteerd; sla op als .xlsx zonder macro's")
        book = _read(data, limits, found)
        layout = layout_from_meta(book, path, catalog, periode, found)
        check_header(book, layout, found)
        _check_sheets(book, layout, found)
        sheets = _check_labels(book, layout, found)
        _check_hidden(book, sheets, layout, found)
        _check_stray_values(sheets, layout, found)
        values = _read_values(book, sheets, layout, found)
        _run_checks(layout, values, found)
        if not found.issues:
            submission = Submission(str(path.resolve()), hashlib.sha256(data).hexdigest(), layout.gi, layout.regio,
                                    layout.periode.code, layout.version, _rows(layout, values))
    except Stop:
        pass
    return Validation(str(path), submission, tuple(found.issues))


def _read(data: bytes, limits: Limits, found: Collector) -> Workbook:
    try:
        book = read_workbook(data, limits)
    except Refusal as refusal:
        raise found.stop(refusal.message, refusal.sheet, refusal.cell) from None
    for note in book.notes:
        found.add(note)
    return book


def _check_sheets(book: Workbook, layout: Layout, found: Collector) -> None:
    """Exactly the template's sheets: none added, none hidden; only Metadata is hidden."""
    expected = {sheet.name for sheet in layout.sheets}
    for sheet in book.sheets:
        if sheet.name == META_SHEET:
            continue
        if sheet.name not in expected:
            found.add("extra blad hoort niet bij het sjabloon en wordt niet ingelezen; verwijder het", sheet.name)
        elif sheet.state in HIDDEN_STATES:
            found.add("blad van het sjabloon is verborgen; maak het zichtbaar", sheet.name)
        elif sheet.state != "visible":
            found.add(f"onbekende bladstatus '{sheet.state[:20]}'; sla het bestand opnieuw op", sheet.name)


def _check_labels(book: Workbook, layout: Layout, found: Collector) -> dict[str, Sheet]:
    """Every sheet present and every fixed label in its place; otherwise values would be misread.

    Returns:
        The template's sheets by name.
    """
    before = len(found.issues)
    sheets = {}
    for sheet_layout in layout.sheets:
        sheet = book.sheet(sheet_layout.name)
        if sheet is None:
            found.add("blad ontbreekt of is hernoemd", sheet_layout.name)
            continue
        sheets[sheet.name] = sheet
        texts = {label.cell: _text(sheet.cells.get(label.cell)) for label in sheet_layout.labels if label.checked}
        wrong = [label for label in sheet_layout.labels if label.checked and texts[label.cell] != label.text]
        for label in wrong[:MAX_LAYOUT_MESSAGES]:
            found.add(f"lay-out gewijzigd: verwacht '{label.text}', gevonden {quoted(texts[label.cell])}",
                      sheet.name, label.cell)
        if len(wrong) > MAX_LAYOUT_MESSAGES:
            found.add(f"lay-out gewijzigd: nog {len(wrong) - MAX_LAYOUT_MESSAGES} cellen wijken af "
                      "(rijen of kolommen ingevoegd of verwijderd?)", sheet.name)
    if len(found.issues) > before:
        raise Stop
    return sheets


def _text(cell: Cell | None) -> str:
    return "" if cell is None or cell.raw is None or cell.formula else cell.raw.strip()


def _check_hidden(book: Workbook, sheets: dict[str, Sheet], layout: Layout, found: Collector) -> None:
    """Input cells in hidden rows or columns, merged cells and hyperlinks hide what would be booked."""
    for sheet_layout in layout.sheets:
        sheet = sheets[sheet_layout.name]
        inputs = {field.cell for field in sheet_layout.fields}
        hidden = [field.cell for field in sheet_layout.fields if sheet.hidden(field.cell)]
        if hidden:
            found.add("rij of kolom met invoercellen is verborgen; maak alle rijen en kolommen zichtbaar",
                      sheet.name, hidden[0])
        for ref in sheet.merged[:MAX_LAYOUT_MESSAGES]:
            found.add("samengevoegde cellen verbergen waarden; maak de samenvoeging ongedaan", sheet.name, ref[:20])
        for ref in sheet.hyperlinks[:MAX_LAYOUT_MESSAGES]:
            where = "in invoercel " if ref in inputs else ""
            found.add(f"hyperlink {where}niet toegestaan; typ alleen een waarde", sheet.name, ref[:20])
    if book.conditional_formats:
        found.add("voorwaardelijke opmaak met een eigen getalnotatie kan getallen anders tonen; verwijder die opmaak")


def _check_stray_values(sheets: dict[str, Sheet], layout: Layout, found: Collector) -> None:
    """A value outside the template's cells would silently not be imported: refuse it, so nothing is lost."""
    for sheet_layout in layout.sheets:
        sheet = sheets[sheet_layout.name]
        known = {lb.cell for lb in sheet_layout.labels} | {f.cell for f in sheet_layout.fields}
        known |= {c.cell for c in sheet_layout.checks} | {coordinate for coordinate, _, _ in sheet_layout.formulas}
        stray = [coordinate for coordinate in sheet.cells if coordinate not in known]
        for coordinate in stray[:MAX_LAYOUT_MESSAGES]:
            found.add("waarde buiten de invoercellen wordt niet ingelezen; zet cijfers alleen in de gele cellen "
                      "en uitleg op het blad Toelichting", sheet.name, coordinate)
        if len(stray) > MAX_LAYOUT_MESSAGES:
            found.add(f"nog {len(stray) - MAX_LAYOUT_MESSAGES} waarden buiten de invoercellen", sheet.name)


def _read_values(book: Workbook, sheets: dict[str, Sheet], layout: Layout,
                 found: Collector) -> dict[tuple[str, str], Value]:
    values: dict[tuple[str, str], Value] = {}
    for sheet_layout in layout.sheets:
        sheet = sheets[sheet_layout.name]
        linked = set(sheet.hyperlinks)
        for field in sheet_layout.fields:
            if field.cell in linked:
                continue  # reported with the hidden content
            cell = sheet.cells.get(field.cell)
            message, value = field_value(field, cell, book.number_format(cell) if cell else "General")
            if message:
                found.add(message, field.sheet, field.cell)
            else:
                values[(field.sheet, field.cell)] = value
    return values


def _run_checks(layout: Layout, values: dict[tuple[str, str], Value], found: Collector) -> None:
    """Re-evaluate every live check on the values read (checks whose inputs are invalid are skipped)."""
    for check in layout.checks():
        keys = [(check.sheet, cell) for cell in check.operands]
        if all(key in values for key in keys) and not _holds(check, [values[key] for key in keys]):
            found.add(f"controle mislukt: {check.message}", check.sheet, check.target)


def _holds(check: Check, operands: list[Value]) -> bool:
    """The check as the template's Controle cell computes it; amounts are whole cents, so equality is exact."""
    numbers = [v if isinstance(v, int | float) else 0 for v in operands]
    if check.kind == "balans":
        return numbers[0] + numbers[1] - numbers[2] == numbers[3]
    if check.kind == "hoogstens":
        return numbers[0] <= numbers[1]
    return numbers[0] - numbers[1] == numbers[2]


def _rows(layout: Layout, values: dict[tuple[str, str], Value]) -> dict[str, list[dict[str, Value]]]:
    """Group field values into ledger rows: one per table and row keys."""
    rows: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Value]] = {}
    for field in layout.fields():
        row = rows.get((field.table, field.keys))
        if row is None:
            row = rows[(field.table, field.keys)] = dict(field.keys)
        row[field.column] = values[(field.sheet, field.cell)]
    tables: dict[str, list[dict[str, Value]]] = defaultdict(list)
    for (table, _), row in rows.items():
        tables[table].append(row)
    return dict(tables)
