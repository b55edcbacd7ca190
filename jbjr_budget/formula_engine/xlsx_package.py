"""Read cells, formulas and names from .xlsx/.xlsm packages, and write cached values back into them.

Reading parses the XML directly (no openpyxl: it is slow to import and never keeps cached values
together with formulas). Writing rewrites only the ``<c>`` elements that change in each worksheet's
XML; every other package member is copied unchanged, ``vbaProject.bin`` included.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.values import ERROR_CODES, ExcelError, Scalar, serial_date

__all__ = ["Book", "FormulaSpec", "Sheet", "SheetUpdate", "cell_address", "read_book", "split_address", "write_book"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ADDRESS = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


@dataclass(frozen=True, slots=True)
class FormulaSpec:
    """A cell's formula: the (master) text, its offset from the master cell, its kind and spill range."""

    text: str
    offset: tuple[int, int] = (0, 0)
    kind: str = ""
    ref: str | None = None


@dataclass(slots=True)
class Sheet:
    """One sheet: stored values (constants and cached results) and formulas, keyed by (row, column)."""

    name: str
    member: str | None
    values: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    formulas: dict[tuple[int, int], FormulaSpec] = field(default_factory=dict)


@dataclass(slots=True)
class Book:
    """A workbook as the evaluator needs it."""

    path: Path
    sheets: list[Sheet]
    names: dict[tuple[int | None, str], str]


@dataclass(slots=True)
class SheetUpdate:
    """What to write into one sheet: formula results, spilled values, cleared cells and new spill ranges."""

    results: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    spilled: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    cleared: set[tuple[int, int]] = field(default_factory=set)
    array_refs: dict[tuple[int, int], str] = field(default_factory=dict)


def split_address(address: str) -> tuple[int, int]:
    """``B3`` -> (3, 2)."""
    match = _ADDRESS.fullmatch(address)
    if not match:
        raise JbjrFout(f"ongeldig celadres '{address}'")
    col = 0
    for char in match.group(1):
        col = col * 26 + ord(char) - 64
    return int(match.group(2)), col


def cell_address(row: int, col: int) -> str:
    """(3, 2) -> ``B3``."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


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


def _text(element: ET.Element) -> str:
    """The text of a string item, skipping phonetic runs."""
    if (plain := element.find(f"{_MAIN}t")) is not None:
        return plain.text or ""
    return "".join(run.findtext(f"{_MAIN}t") or "" for run in element.iter(f"{_MAIN}r"))


def _value(cell: ET.Element, strings: list[str]) -> Scalar:  # noqa: PLR0911 - one return per cell type
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
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return ExcelError(raw if raw in ERROR_CODES else "#VALUE!")
    if kind == "d":
        stamp = dt.datetime.fromisoformat(raw)
        return serial_date(stamp.date()) + (stamp.hour * 3600 + stamp.minute * 60 + stamp.second) / 86400
    return float(raw)


def _read_sheet(sheet: Sheet, data: bytes, strings: list[str]) -> None:
    masters: dict[str, tuple[int, int, str]] = {}
    pending: list[tuple[tuple[int, int], str]] = []
    root = ET.fromstring(data)
    for cell in root.iter(f"{_MAIN}c"):
        address = cell.get("r")
        if address is None:
            raise JbjrFout(f"blad '{sheet.name}': cel zonder adres wordt niet ondersteund")
        position = split_address(address)
        value = _value(cell, strings)
        if value is not None:
            sheet.values[position] = value
        formula = cell.find(f"{_MAIN}f")
        if formula is None:
            continue
        kind = formula.get("t", "normal")
        if kind == "shared":
            index = formula.get("si", "")
            if formula.text:
                masters[index] = (*position, formula.text)
                sheet.formulas[position] = FormulaSpec(formula.text)
            else:
                pending.append((position, index))
        elif formula.text or kind == "dataTable":
            sheet.formulas[position] = FormulaSpec(formula.text or "", kind=kind if kind != "normal" else "",
                                                   ref=formula.get("ref"))
    for position, index in pending:
        if index not in masters:
            raise JbjrFout(f"blad '{sheet.name}': gedeelde formule {index} zonder oorsprong")
        row, col, text = masters[index]
        sheet.formulas[position] = FormulaSpec(text, (position[0] - row, position[1] - col))


def read_book(path: Path) -> Book:
    """Read every sheet, formula, stored value and defined name of a workbook."""
    try:
        with zipfile.ZipFile(path) as package:
            members = set(package.namelist())
            workbook_xml = ET.fromstring(package.read("xl/workbook.xml"))
            rels = ET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): (rel.get("Target", ""), rel.get("Type", ""))
                       for rel in rels.iter(f"{_PKG_REL}Relationship")}
            strings: list[str] = []
            if "xl/sharedStrings.xml" in members:
                shared = ET.fromstring(package.read("xl/sharedStrings.xml"))
                strings = [_text(item) for item in shared.iter(f"{_MAIN}si")]
            sheets: list[Sheet] = []
            for element in workbook_xml.iter(f"{_MAIN}sheet"):
                target, kind = targets.get(element.get(f"{_REL}id"), ("", ""))
                member = _member_path("xl/workbook.xml", target) if kind.endswith("/worksheet") else None
                sheet = Sheet(element.get("name", ""), member if member in members else None)
                if sheet.member:
                    _read_sheet(sheet, package.read(sheet.member), strings)
                sheets.append(sheet)
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as exc:
        raise JbjrFout(f"{path.name}: geen leesbaar Excel-werkboek ({exc})") from exc
    if workbook_xml.tag != f"{_MAIN}workbook":
        raise JbjrFout(f"{path.name}: Strict Open XML wordt niet ondersteund; sla op als gewoon Excel-werkboek")
    names: dict[tuple[int | None, str], str] = {}
    for name in workbook_xml.iter(f"{_MAIN}definedName"):
        scope = name.get("localSheetId")
        names[(int(scope) if scope is not None else None, name.get("name", "").upper())] = name.text or ""
    return Book(path, sheets, names)


_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.DOTALL)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_FORMULA = re.compile(r"<f\b[^>]*?(?:/>|>.*?</f>)", re.DOTALL)
_EXTLST = re.compile(r"<extLst>.*?</extLst>", re.DOTALL)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _escape(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def _value_xml(value: Scalar, *, formula: bool) -> tuple[str | None, str]:
    """The ``t`` attribute and the content elements for a value."""
    if isinstance(value, bool):
        return "b", f"<v>{int(value)}</v>"
    if isinstance(value, float):
        return None, f"<v>{_number(value)}</v>"
    if isinstance(value, ExcelError):
        return "e", f"<v>{value.code}</v>"
    if value is None:
        return None, ""
    if formula:
        return "str", f"<v>{_escape(value)}</v>"
    return "inlineStr", f'<is><t xml:space="preserve">{_escape(value)}</t></is>'


def _start_tag(tag: str, attrs: str, changes: dict[str, str | None]) -> str:
    pairs = dict(_ATTR.findall(attrs))
    for key, new in changes.items():
        if new is None:
            pairs.pop(key, None)
        else:
            pairs[key] = new
    return f"<{tag}" + "".join(f' {key}="{val}"' for key, val in pairs.items())


def _rewrite_cell(attrs: str, inner: str, position: tuple[int, int], update: SheetUpdate) -> str:
    if position in update.results:
        kind, content = _value_xml(update.results[position], formula=True)
        formula = _FORMULA.search(inner)
        formula_xml = formula.group(0) if formula else ""
        if position in update.array_refs and formula:
            formula_xml = _array_formula(formula_xml, update.array_refs[position])
    elif position in update.spilled:
        kind, content = _value_xml(update.spilled[position], formula=False)
        formula_xml = ""
    else:
        kind, content, formula_xml = None, "", ""
    extension = _EXTLST.search(inner)
    body = formula_xml + content + (extension.group(0) if extension else "")
    head = _start_tag("c", attrs, {"t": kind})
    return f"{head}>{body}</c>" if body else f"{head}/>"


def _array_formula(formula_xml: str, ref: str) -> str:
    """Mark a spilling formula as an array formula over its spill range, as Excel stores dynamic arrays."""
    match = re.match(r"<f\b([^>]*?)(/?>)", formula_xml)
    if match is None or 't="shared"' in match.group(1):
        return formula_xml
    head = _start_tag("f", match.group(1), {"t": "array", "ref": ref})
    return head + match.group(2) + formula_xml[match.end():]


def _new_cell(position: tuple[int, int], value: Scalar) -> str:
    kind, content = _value_xml(value, formula=False)
    attrs = f' t="{kind}"' if kind else ""
    return f'<c r="{cell_address(*position)}"{attrs}>{content}</c>' if content else ""


def _rewrite_row(match: re.Match[str], update: SheetUpdate, new_cells: dict[int, dict[int, Scalar]]) -> str:
    attrs, inner = match.group(1), match.group(2) or ""
    row = int(dict(_ATTR.findall(attrs))["r"])
    inserts = new_cells.pop(row, {})
    touched = update.results.keys() | update.spilled.keys() | update.cleared
    parts: list[str] = []
    for cell in _CELL.finditer(inner):
        position = split_address(dict(_ATTR.findall(cell.group(1)))["r"])
        for col in sorted(c for c in inserts if c < position[1]):
            parts.append(_new_cell((row, col), inserts.pop(col)))
        inserts.pop(position[1], None)
        if position in touched:
            parts.append(_rewrite_cell(cell.group(1), cell.group(2) or "", position, update))
        else:
            parts.append(cell.group(0))
    parts.extend(_new_cell((row, col), inserts[col]) for col in sorted(inserts))
    head = _start_tag("row", attrs, {"spans": None} if inserts else {})
    body = "".join(parts)
    return f"{head}>{body}</row>" if body else f"{head}/>"


def _rewrite_sheet(xml: str, update: SheetUpdate) -> str:
    new_cells: dict[int, dict[int, Scalar]] = {}
    for (row, col), value in update.spilled.items():
        new_cells.setdefault(row, {})[col] = value
    start = xml.find("<sheetData")
    end = xml.find("</sheetData>")
    if start < 0:
        raise JbjrFout("werkblad zonder sheetData")
    if end < 0:  # <sheetData/>
        close = xml.index(">", start) + 1
        xml, end = xml[:close - 2] + "></sheetData>" + xml[close:], close - 1
    open_end = xml.index(">", start) + 1
    parts: list[str] = []
    for match in _ROW.finditer(xml, open_end, end):
        row = int(dict(_ATTR.findall(match.group(1)))["r"])
        for new_row in sorted(r for r in new_cells if r < row):
            parts.append(_new_row(new_row, new_cells.pop(new_row)))
        parts.append(_rewrite_row(match, update, new_cells))
    parts.extend(_new_row(row, new_cells[row]) for row in sorted(new_cells))
    return xml[:open_end] + "".join(parts) + xml[end:]


def _new_row(row: int, cells: dict[int, Scalar]) -> str:
    return f'<row r="{row}">' + "".join(_new_cell((row, col), cells[col]) for col in sorted(cells)) + "</row>"


def _dimension(xml: str, update: SheetUpdate) -> str:
    if not update.spilled:
        return xml
    match = re.search(r'<dimension ref="([^"]*)"', xml)
    if not match:
        return xml
    bounds = [split_address(part) for part in match.group(1).split(":")]
    cells = [*bounds, *update.spilled]
    ref = f"{cell_address(min(r for r, _ in cells), min(c for _, c in cells))}:" \
          f"{cell_address(max(r for r, _ in cells), max(c for _, c in cells))}"
    return xml[:match.start(1)] + ref + xml[match.end(1):]


def write_book(book: Book, updates: dict[int, SheetUpdate], target: Path) -> None:
    """Write ``book`` with new cached values to ``target`` atomically (temporary file, then rename)."""
    members = {book.sheets[index].member: (index, update) for index, update in updates.items()
               if book.sheets[index].member}
    with (atomic_path(target) as temporary, zipfile.ZipFile(book.path) as source,
          zipfile.ZipFile(temporary, "w") as result):
        for info in source.infolist():
            data = source.read(info)
            if info.filename in members:
                _, update = members[info.filename]
                xml = _dimension(_rewrite_sheet(data.decode("utf-8"), update), update)
                data = xml.encode("utf-8")
            result.writestr(info, data)
