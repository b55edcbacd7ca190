"""Read cells, formulas, names, tables and calculation settings from .xlsx/.xlsm packages.

Reading parses the XML directly (no openpyxl: it is slow to import and never keeps cached values
together with formulas).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.book import Book, FormulaSpec, Iteration, Sheet, Table, area_of, split_address
from jbjr_budget.formula_engine.values import DATE_1904, ERROR_CODES, ExcelError, Scalar, serial_date

__all__ = ["read_book"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TRUE = ("1", "true")
_STRICT = ((b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
           (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))
_SHEET_PREFIX = re.compile(r"(?:'((?:[^']|'')+)'|([^\W\d][\w.]*))!")


def _member_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts: list[str] = []
    for part in (*PurePosixPath(base).parent.parts, *PurePosixPath(target).parts):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _part(package: zipfile.ZipFile, member: str) -> bytes:
    """A package part, Strict Open XML namespaces read as their transitional twins (the same elements)."""
    data = package.read(member)
    for strict, transitional in _STRICT:
        data = data.replace(strict, transitional)
    return data


def _relationships(package: zipfile.ZipFile, member: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (package member, type) of one part; empty when it has none."""
    path = PurePosixPath(member)
    rels = str(path.parent / "_rels" / f"{path.name}.rels")
    if rels not in package.namelist():
        return {}
    root = ET.fromstring(_part(package, rels))
    return {rel.get("Id", ""): (_member_path(member, rel.get("Target", "")), rel.get("Type", ""))
            for rel in root.iter(f"{_PKG_REL}Relationship")}


def _unescaped(text: str) -> str:
    """Text with Excel's ``_xHHHH_`` escapes (control characters; ``_x005F_`` for an underscore) decoded."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _text(element: ET.Element) -> str:
    """The text of a string item, skipping phonetic runs."""
    if (plain := element.find(f"{_MAIN}t")) is not None:
        return _unescaped(plain.text or "")
    return _unescaped("".join(run.findtext(f"{_MAIN}t") or "" for run in element.iter(f"{_MAIN}r")))


def _value(cell: ET.Element, strings: list[str], date1904: bool) -> Scalar:  # noqa: PLR0911 - one return per type
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        # ``<c t="inlineStr"/>`` with no ``<is>`` (openpyxl writes "" this way) holds nothing: a blank cell.
        inline = cell.find(f"{_MAIN}is")
        return _text(inline) if inline is not None else None
    raw = cell.findtext(f"{_MAIN}v")
    if raw is None or (raw == "" and kind != "str"):
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "str":
        return _unescaped(raw)
    if kind == "b":
        return raw.strip() in _TRUE
    if kind == "e":
        return ExcelError(raw if raw in ERROR_CODES else "#VALUE!")
    if kind == "d":
        stamp = dt.datetime.fromisoformat(raw)
        seconds = stamp.hour * 3600 + stamp.minute * 60 + stamp.second
        token = DATE_1904.set(date1904)
        try:
            return serial_date(stamp.date()) + seconds / 86400
        finally:
            DATE_1904.reset(token)
    return float(raw)


def _read_sheet(sheet: Sheet, data: bytes, strings: list[str], dynamic: set[str], date1904: bool) -> None:
    masters: dict[str, tuple[int, int, str]] = {}
    pending: list[tuple[tuple[int, int], str]] = []
    root = ET.fromstring(data)
    sheet.hidden_rows.update(int(row.get("r", "0")) for row in root.iter(f"{_MAIN}row") if row.get("hidden") in _TRUE)
    for cell in root.iter(f"{_MAIN}c"):
        address = cell.get("r")
        if address is None:
            raise JbjrFout(f"blad '{sheet.name}': cel zonder adres wordt niet ondersteund")
        position = split_address(address)
        value = _value(cell, strings, date1904)
        if value is not None:
            sheet.values[position] = value
        formula = cell.find(f"{_MAIN}f")
        if formula is None:
            continue
        kind, text = formula.get("t", "normal"), _unescaped(formula.text or "")
        if kind == "shared":
            index = formula.get("si", "")
            if text:
                masters[index] = (*position, text)
                sheet.formulas[position] = FormulaSpec(text)
            else:
                pending.append((position, index))
        elif text or kind == "dataTable":
            sheet.formulas[position] = FormulaSpec(
                text, kind=kind if kind != "normal" else "", ref=formula.get("ref"),
                dynamic=kind == "array" and cell.get("cm") in dynamic,
                inputs=_table_inputs(formula) if kind == "dataTable" else None)
    for position, index in pending:
        if index not in masters:
            raise JbjrFout(f"blad '{sheet.name}': gedeelde formule {index} zonder oorsprong")
        row, col, text = masters[index]
        sheet.formulas[position] = FormulaSpec(text, (position[0] - row, position[1] - col))


def _table_inputs(formula: ET.Element) -> tuple[str | None, str | None] | None:
    """A data table's row and column input cells, None if Excel marks one deleted.

    A two-variable table has both (``r1``, ``r2``); a one-variable one has ``r1`` as its row input when ``dtr``
    says its values lie in the row above it, else as its column input.
    """
    if formula.get("del1") in _TRUE or formula.get("del2") in _TRUE or not formula.get("r1"):
        return None
    first, second = formula.get("r1"), formula.get("r2")
    if formula.get("dt2D") in _TRUE:
        return (first, second) if second else None
    return (first, None) if formula.get("dtr") in _TRUE else (None, first)


def _dynamic_array_metadata(data: bytes) -> set[str]:
    """The ``cm`` values (1-based cell metadata records) that mark a dynamic array (XLDAPR, fDynamic)."""
    root = ET.fromstring(data)
    types = [element.get("name") for element in root.iter(f"{_MAIN}metadataType")]
    future = {element.get("name"): element.findall(f"{_MAIN}bk") for element in root.iter(f"{_MAIN}futureMetadata")}
    found: set[str] = set()
    cells = root.find(f"{_MAIN}cellMetadata")
    for number, block in enumerate(cells.findall(f"{_MAIN}bk") if cells is not None else [], start=1):
        record = block.find(f"{_MAIN}rc")
        if record is None or not 0 < int(record.get("t", "0")) <= len(types):
            continue
        name = types[int(record.get("t", "0")) - 1]
        blocks = future.get(name, [])
        index = int(record.get("v", "0"))
        if name == "XLDAPR" and index < len(blocks) and any(
                element.get("fDynamic") in _TRUE for element in blocks[index].iter()
                if element.tag.endswith("}dynamicArrayProperties")):
            found.add(str(number))
    return found


def _table(data: bytes, sheet: int) -> Table:
    root = ET.fromstring(data)
    columns = tuple(_unescaped(column.get("name", "")) for column in root.iter(f"{_MAIN}tableColumn"))
    return Table(root.get("displayName") or root.get("name") or "", area_of(sheet, root.get("ref", "A1")),
                 int(root.get("headerRowCount", "1")), int(root.get("totalsRowCount", "0")), columns)


def _calculation(workbook: ET.Element) -> tuple[bool, Iteration | None]:
    """Whether the workbook uses the 1904 date system, and its iteration settings when it enables iteration."""
    properties = workbook.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "0") in _TRUE
    settings = workbook.find(f"{_MAIN}calcPr")
    if settings is None or settings.get("iterate", "0") not in _TRUE:
        return date1904, None
    return date1904, Iteration(int(settings.get("iterateCount", "100")), float(settings.get("iterateDelta", "0.001")))


def _read_package(package: zipfile.ZipFile, path: Path) -> Book:
    members = set(package.namelist())
    workbook = ET.fromstring(_part(package, "xl/workbook.xml"))
    if workbook.tag != f"{_MAIN}workbook":
        raise JbjrFout(f"{path.name}: geen werkboekdeel (xl/workbook.xml) gevonden")
    date1904, iteration = _calculation(workbook)
    parts = _relationships(package, "xl/workbook.xml")
    strings: list[str] = []
    dynamic: set[str] = set()
    for member, kind in parts.values():
        if kind.endswith("/sharedStrings") and member in members:
            strings = [_text(item) for item in ET.fromstring(_part(package, member)).iter(f"{_MAIN}si")]
        elif kind.endswith("/sheetMetadata") and member in members:
            dynamic = _dynamic_array_metadata(_part(package, member))
    book = Book(path, [], {}, date1904=date1904, iteration=iteration)
    for element in workbook.iter(f"{_MAIN}sheet"):
        member, kind = parts.get(element.get(f"{_REL}id", ""), ("", ""))
        sheet = Sheet(element.get("name", ""), member if kind.endswith("/worksheet") and member in members else None)
        if sheet.member:
            _read_sheet(sheet, _part(package, sheet.member), strings, dynamic, date1904)
            for part, part_kind in _relationships(package, sheet.member).values():
                if part_kind.endswith("/table") and part in members:
                    table = _table(_part(package, part), len(book.sheets))
                    book.tables[table.name.upper()] = table
        book.sheets.append(sheet)
    for name in workbook.iter(f"{_MAIN}definedName"):
        scope = name.get("localSheetId")
        book.names[(int(scope) if scope is not None else None, name.get("name", "").upper())] = name.text or ""
    for number, link in enumerate(workbook.iter(f"{_MAIN}externalReference"), start=1):
        member, _ = parts.get(link.get(f"{_REL}id", ""), ("", ""))
        if member in members:
            _read_external_book(book, number, _part(package, member))
    return book


def _read_external_book(book: Book, number: int, data: bytes) -> None:
    """The values Excel cached of another workbook (link ``[number]``): sheets ``[1]Blad`` and names ``[1]!Naam``.

    Excel itself shows these until the link is updated; the sheets come after the workbook's own.
    """
    root = ET.fromstring(data)
    sheets = [Sheet(f"[{number}]{element.get('val', '')}", None) for element in root.iter(f"{_MAIN}sheetName")]
    for cached in root.iter(f"{_MAIN}sheetData"):
        index = int(cached.get("sheetId", "0"))
        for cell in cached.iter(f"{_MAIN}cell") if index < len(sheets) else ():
            value = _value(cell, [], book.date1904)
            if value is not None:
                sheets[index].values[split_address(cell.get("r", ""))] = value
    for name in root.iter(f"{_MAIN}definedName"):
        target = _SHEET_PREFIX.sub(lambda m: f"'[{number}]{m.group(1) or m.group(2)}'!", name.get("refersTo", ""))
        book.names[(None, f"[{number}]!{name.get('name', '').upper()}")] = target.removeprefix("=")
    book.sheets.extend(sheets)


def read_book(path: Path) -> Book:
    """Read every sheet, formula, stored value, defined name and table of a workbook."""
    try:
        with zipfile.ZipFile(path) as package:
            return _read_package(package, path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError) as exc:
        raise JbjrFout(f"{path.name}: geen leesbaar Excel-werkboek ({exc})") from exc
