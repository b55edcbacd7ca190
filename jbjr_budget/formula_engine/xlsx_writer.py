"""Write recalculated values into a copy of an .xlsx/.xlsm package.

Only the ``<c>`` elements that change in each worksheet's XML are rewritten; every other package
member is copied unchanged, ``vbaProject.bin`` included.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.book import Book, cell_address, split_address
from jbjr_budget.formula_engine.package_copy import copy_package
from jbjr_budget.formula_engine.values import ExcelError, Scalar

__all__ = ["SheetUpdate", "write_book"]


@dataclass(slots=True)
class SheetUpdate:
    """What to write into one sheet: formula results, spilled values, cleared cells and new spill ranges."""

    results: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    spilled: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    cleared: set[tuple[int, int]] = field(default_factory=set)
    array_refs: dict[tuple[int, int], str] = field(default_factory=dict)
    values_only: set[tuple[int, int]] = field(default_factory=set)  # results written without their formula


_ROW_START = re.compile(r"<row\b([^>]*?)(/?)>")
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_R = re.compile(r'\br="([^"]*)"')
_TYPE = re.compile(r'\st="[^"]*"')
_METADATA = re.compile(r'\scm="[^"]*"')
_FORMULA = re.compile(r"<f\b[^>]*?(?:/>|>.*?</f>)", re.DOTALL)
_EXTLST = re.compile(r"<extLst>.*?</extLst>", re.DOTALL)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x')
_COL = re.compile(r"<col\b([^>]*?)/?>")


class _Styles:
    """The style a cell without its own ``<c>`` element shows: its row's, else its column's (as Excel does).

    A spilled value written into such a cell gets that style, so it keeps the number format the sheet
    gives its column (a euro amount stays a euro amount) instead of falling back to General.
    """

    def __init__(self, xml: str) -> None:
        self.columns: list[tuple[int, int, str]] = []
        for match in _COL.finditer(xml, 0, max(xml.find("<sheetData"), 0)):
            attrs = dict(_ATTR.findall(match.group(1)))
            if attrs.get("style", "0") != "0":
                self.columns.append((int(attrs["min"]), int(attrs["max"]), attrs["style"]))

    def of(self, col: int, row_attrs: str = "") -> str:
        """The ``s`` attribute (with its leading space) for a new cell in ``col`` of a row with ``row_attrs``."""
        attrs = dict(_ATTR.findall(row_attrs))
        if attrs.get("customFormat") in ("1", "true") and attrs.get("s", "0") != "0":
            return f' s="{attrs["s"]}"'
        style = next((s for low, high, s in self.columns if low <= col <= high), None)
        return f' s="{style}"' if style else ""


def _escape(text: str) -> str:
    """Text for XML: markup escaped, characters XML cannot hold as Excel writes them (``_x000C_``)."""
    if _SPECIAL.search(text) is None:
        return text
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def _value_xml(value: object, *, formula: bool) -> tuple[str | None, str]:
    """The ``t`` attribute and the content elements for a value of any type (text for unknown types)."""
    if type(value) is float or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
        number = float(value)
        return (None, f"<v>{_number(number)}</v>") if math.isfinite(number) else ("e", "<v>#NUM!</v>")
    if isinstance(value, bool):
        return "b", f"<v>{int(value)}</v>"
    if isinstance(value, ExcelError):
        return "e", f"<v>{value.code}</v>"
    if value is None:
        return None, ""
    text = _escape(value if isinstance(value, str) else str(value))
    if formula:
        return "str", f"<v>{text}</v>"
    return "inlineStr", f'<is><t xml:space="preserve">{text}</t></is>'


def _start_tag(tag: str, attrs: str, changes: dict[str, str | None]) -> str:
    pairs = dict(_ATTR.findall(attrs))
    for key, new in changes.items():
        if new is None:
            pairs.pop(key, None)
        else:
            pairs[key] = new
    return f"<{tag}" + "".join(f' {key}="{val}"' for key, val in pairs.items())


def _rewrite_cell(attrs: str, inner: str, position: tuple[int, int], update: SheetUpdate) -> str:
    if position in update.values_only:  # the result as a constant: no formula, no dynamic-array metadata
        kind, content = _value_xml(update.results[position], formula=False)
        formula_xml, attrs = "", _METADATA.sub("", attrs)
    elif position in update.results:
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
    extension = _EXTLST.search(inner) if "<extLst" in inner else None
    body = formula_xml + content + (extension.group(0) if extension else "")
    head = "<c" + _TYPE.sub("", attrs) + (f' t="{kind}"' if kind else "")
    return f"{head}>{body}</c>" if body else f"{head}/>"


def _array_formula(formula_xml: str, ref: str) -> str:
    """Mark a spilling formula as an array formula over its spill range, as Excel stores dynamic arrays."""
    match = re.match(r"<f\b([^>]*?)(/?>)", formula_xml)
    if match is None or 't="shared"' in match.group(1):
        return formula_xml
    head = _start_tag("f", match.group(1), {"t": "array", "ref": ref})
    return head + match.group(2) + formula_xml[match.end():]


def _new_cell(position: tuple[int, int], value: Scalar, style: str) -> str:
    kind, content = _value_xml(value, formula=False)
    attrs = style + (f' t="{kind}"' if kind else "")
    return f'<c r="{cell_address(*position)}"{attrs}>{content}</c>' if content else ""


def _rewrite_row(attrs: str, inner: str, update: SheetUpdate, touched: set[tuple[int, int]],
                 new_cells: dict[int, dict[int, Scalar]], styles: _Styles) -> str:
    row = int(_address_of(attrs))
    inserts = new_cells.pop(row, {})
    waiting, next_new = sorted(inserts), 0  # columns that get a new cell, in order
    parts: list[str] = []
    for cell in _CELL.finditer(inner):
        col = split_address(_address_of(cell.group(1)))[1]
        while next_new < len(waiting) and waiting[next_new] <= col:
            if waiting[next_new] < col:  # else the existing cell takes the value
                column = waiting[next_new]
                parts.append(_new_cell((row, column), inserts[column], styles.of(column, attrs)))
            next_new += 1
        if (row, col) in touched:
            parts.append(_rewrite_cell(cell.group(1), cell.group(2) or "", (row, col), update))
        else:
            parts.append(cell.group(0))
    parts.extend(_new_cell((row, col), inserts[col], styles.of(col, attrs)) for col in waiting[next_new:])
    head = _start_tag("row", attrs, {"spans": None} if inserts else {})
    body = "".join(parts)
    return f"{head}>{body}</row>" if body else f"{head}/>"


def _address_of(attrs: str) -> str:
    """The ``r`` attribute of a ``<row>`` or ``<c>`` start tag."""
    found = _R.search(attrs)
    if found is None:
        raise JbjrFout("rij of cel zonder adres wordt niet ondersteund")
    return found.group(1)


def _touched(update: SheetUpdate, stored: Mapping[tuple[int, int], Scalar]) -> set[tuple[int, int]]:
    """The cells whose XML changes: not those that hold what is to be written already (most, on a rerun)."""
    get = stored.get
    changed = {position for values in (update.results, update.spilled) for position, new in values.items()
               if type(new) is not type(old := get(position)) or new != old}
    return changed | update.cleared | update.values_only | update.array_refs.keys()


def _sheet_data(xml: str) -> tuple[str, int, int]:
    """The sheet's XML with an open ``<sheetData>`` element, where its rows begin and where they end."""
    start = xml.find("<sheetData")
    end = xml.find("</sheetData>")
    if start < 0:
        raise JbjrFout("werkblad zonder sheetData")
    if end < 0:  # <sheetData/>
        close = xml.index(">", start) + 1
        xml, end = xml[:close - 2] + "></sheetData>" + xml[close:], close - 1
    return xml, xml.index(">", start) + 1, end


def _row_content(xml: str, start: re.Match[str]) -> tuple[str, int]:
    """The cells of the row that ``start`` opens, and where the row ends."""
    if start.group(2):  # <row .../>
        return "", start.end()
    close = xml.index("</row>", start.end())
    return xml[start.end():close], close + len("</row>")


def _new_rows_before(row: int, new_cells: dict[int, dict[int, Scalar]], pending: deque[int], styles: _Styles) -> str:
    """The new rows numbered below ``row`` that no existing row took, in order (taken from ``new_cells``)."""
    created: list[str] = []
    while pending and pending[0] < row:
        number = pending.popleft()
        if number in new_cells:  # else the row exists and took its new cells
            created.append(_new_row(number, new_cells.pop(number), styles))
    return "".join(created)


def _rewrite_sheet(xml: str, update: SheetUpdate, stored: Mapping[tuple[int, int], Scalar]) -> str:
    """The sheet with its touched rows rewritten and new rows added; the text between them is copied as it is.

    Rows come in ascending order, so the scan stops after the last row that changes.
    """
    touched = _touched(update, stored)
    new_cells: dict[int, dict[int, Scalar]] = {}  # spilled values by row and column (a cell may exist already)
    for row, col in touched & update.spilled.keys():
        new_cells.setdefault(row, {})[col] = update.spilled[(row, col)]
    rows_touched = {row for row, _ in touched}
    last = max(rows_touched, default=0)
    xml, position, end = _sheet_data(xml)
    parts, styles, pending = [xml[:position]], _Styles(xml), deque(sorted(new_cells))
    for match in _ROW_START.finditer(xml, position, end):
        row = int(_address_of(match.group(1)))
        if created := _new_rows_before(row, new_cells, pending, styles):
            parts += [xml[position:match.start()], created]
            position = match.start()
        if row > last:
            break
        if row in rows_touched:
            inner, close = _row_content(xml, match)
            parts += [xml[position:match.start()], _rewrite_row(match.group(1), inner, update, touched, new_cells,
                                                                styles)]
            position = close
    parts.append(xml[position:end])
    parts.extend(_new_row(row, new_cells[row], styles) for row in sorted(new_cells))
    return "".join(parts) + xml[end:]


def _new_row(row: int, cells: dict[int, Scalar], styles: _Styles) -> str:
    return f'<row r="{row}">' + "".join(_new_cell((row, col), cells[col], styles.of(col))
                                        for col in sorted(cells)) + "</row>"


def _dimension(xml: str, update: SheetUpdate) -> str:
    if not update.spilled:
        return xml
    match = re.search(r'<dimension ref="([^"]*)"', xml)
    if not match:
        return xml
    bounds = [split_address(part) for part in match.group(1).split(":")]
    rows, cols = zip(*[*bounds, *update.spilled], strict=True)
    ref = f"{cell_address(min(rows), min(cols))}:{cell_address(max(rows), max(cols))}"
    return xml[:match.start(1)] + ref + xml[match.end(1):]


def write_book(book: Book, updates: dict[int, SheetUpdate], target: Path) -> None:
    """Write ``book`` with new cached values to ``target`` atomically (temporary file, then rename).

    A sheet whose XML comes out the same (a rerun) and every other member keep their compressed bytes.
    """
    with zipfile.ZipFile(book.path) as source:
        replaced: dict[str, bytes] = {}
        for index, update in updates.items():
            if (member := book.sheets[index].member) is None:
                continue
            data = source.read(member)
            xml = _dimension(_rewrite_sheet(data.decode("utf-8"), update, book.sheets[index].values), update)
            if (new := xml.encode("utf-8")) != data:
                replaced[member] = new
        with atomic_path(target) as temporary, temporary.open("wb") as result, book.path.open("rb") as archive:
            copy_package(source, archive, result, replaced)
