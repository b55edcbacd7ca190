"""Read a returned workbook exactly as a spreadsheet shows it: sheets and their states, cells, styles.

Only what Excel and LibreOffice display is read: the cells of each sheet's
``sheetData`` (never rows inside extensions or alternate content), shared and
inline strings without phonetic runs, each cell's number format, hidden rows
and columns, merged cells and hyperlinks. Cells out of order or far outside a
template, and more cells or strings than the limits allow, are refused while
streaming.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from jbjr_budget.a1 import column_letters, column_number
from jbjr_budget.monitoring.number_format import builtin_format
from jbjr_budget.monitoring.package import (
    REL_OFFICE_DOCUMENT,
    REL_STRINGS,
    REL_STYLES,
    REL_WORKSHEET,
    Limits,
    Package,
    open_package,
)
from jbjr_budget.monitoring.xml_stream import MAIN, MAX_DEPTH, REL, X15AC, Handler, Refusal

__all__ = ["Cell", "Sheet", "Workbook", "read_workbook", "split_cell"]

_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})", re.ASCII)
KINDS = {"n": "number", "s": "text", "inlineStr": "text", "str": "text", "b": "bool", "e": "error", "d": "date"}
TRUE = ("1", "true")
SHEET_DATA, ROW, CELL, VALUE, FORMULA, INLINE, TEXT, RUN, RUN_PROPERTIES, EXTENSIONS = (
    f"{MAIN} {name}" for name in ("sheetData", "row", "c", "v", "f", "is", "t", "r", "rPr", "extLst"))
MAX_STYLES = 65_536


@dataclass(slots=True)
class Cell:
    """A cell with content: its kind (number, text, bool, error, date), stored text, style and formula flag."""

    kind: str
    raw: str | None
    style: int
    formula: bool


@dataclass
class Sheet:
    """One sheet as shown: state, cells with content, hidden rows and columns, merges and hyperlinks."""

    name: str
    state: str
    cells: dict[str, Cell] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    hyperlinks: list[str] = field(default_factory=list)
    rows_hidden_by_default: bool = False

    def hidden(self, cell: str) -> bool:
        """Whether the row or column of ``cell`` is hidden."""
        if not (self.rows_hidden_by_default or self.hidden_rows or self.hidden_columns):
            return False
        row, column = split_cell(cell)
        return (self.rows_hidden_by_default or row in self.hidden_rows
                or any(low <= column <= high for low, high in self.hidden_columns))


@dataclass
class Workbook:
    """The sheets in workbook order, the number format of each style, and notes from the package check."""

    sheets: list[Sheet]
    formats: list[str]
    conditional_formats: bool
    notes: list[str]

    def sheet(self, name: str) -> Sheet | None:
        """The sheet called ``name``, if there is one."""
        return next((sheet for sheet in self.sheets if sheet.name == name), None)

    def number_format(self, cell: Cell) -> str:
        """The number format code a cell is shown with."""
        return self.formats[cell.style] if cell.style < len(self.formats) else "General"


def split_cell(cell: str) -> tuple[int, int]:
    """``B3`` -> (3, 2).

    Examples:
        >>> split_cell("AA10")
        (10, 27)
    """
    match = _CELL.fullmatch(cell)
    if not match:
        raise ValueError(cell)
    return int(match.group(2)), column_number(match.group(1))


def read_workbook(data: bytes, limits: Limits) -> Workbook:
    """Read sheets, cells and number formats from the bytes of an .xlsx file.

    Raises:
        Refusal: the file is not a plain, bounded .xlsx workbook, or holds what a template may not.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise Refusal("geen geldig Excel-bestand (.xlsx); sla het sjabloon op als Excel-werkmap") from None
    package = open_package(archive, limits)
    workbook_part = _main_part(package)
    listing = _WorkbookReader()
    package.parse(workbook_part, listing, frozenset({X15AC}))
    strings = _strings(package, workbook_part, limits)
    formats, conditional = _styles(package, workbook_part)
    targets = {rel.id: rel.target for rel in package.related(workbook_part, REL_WORKSHEET)}
    sheets: list[Sheet] = []
    seen: set[str] = set()
    for name, state, rel_id in listing.sheets:
        part = targets.get(rel_id)
        if part is None or part.lower() in seen or name.lower() in {s.name.lower() for s in sheets}:
            raise Refusal(f"blad '{name}' verwijst naar een ontbrekend of dubbel onderdeel; het bestand is beschadigd")
        seen.add(part.lower())
        sheet = Sheet(name, state)
        try:
            package.parse(part, _SheetReader(sheet, strings, limits))
        except Refusal as refusal:
            raise Refusal(refusal.message, refusal.sheet or name, refusal.cell) from None
        sheets.append(sheet)
    return Workbook(sheets, formats, conditional, package.notes)


def _main_part(package: Package) -> str:
    rels = package.related("", REL_OFFICE_DOCUMENT)
    if len(rels) != 1:
        raise Refusal("geen geldig Excel-bestand (.xlsx): het bestand heeft geen werkmap")
    return rels[0].target


def _strings(package: Package, workbook_part: str, limits: Limits) -> list[str]:
    reader = _StringsReader(limits.max_strings)
    for rel in package.related(workbook_part, REL_STRINGS)[:1]:
        package.parse(rel.target, reader)
    return reader.strings


def _styles(package: Package, workbook_part: str) -> tuple[list[str], bool]:
    reader = _StylesReader()
    for rel in package.related(workbook_part, REL_STYLES)[:1]:
        package.parse(rel.target, reader)
    formats = [reader.codes.get(number, builtin_format(number)) for number in reader.xfs]
    return formats or ["General"], reader.conditional


def _true(attrs: dict[str, str], name: str) -> bool:
    return attrs.get(name, "0").strip().lower() in TRUE


def _number(text: str | None, what: str) -> int:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise Refusal(f"ongeldig getal '{text}' bij {what}; het bestand is beschadigd")
    return int(text)


class _WorkbookReader(Handler):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str, str]] = []

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        if name == f"{MAIN} sheet" and depth == 2:
            self.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), attrs.get(f"{REL} id", "")))
        return False


class _StringsReader(Handler):
    """Shared strings: the text runs of each item, without phonetic guides (rPh), which are not shown."""

    def __init__(self, limit: int) -> None:
        self.limit, self.strings, self.parts = limit, list[str](), list[str]()
        self.phonetic = False

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        if name == f"{MAIN} si" and depth == 1:
            if len(self.strings) >= self.limit:
                raise Refusal(f"bestand bevat meer dan {self.limit:,} teksten; een ingevuld sjabloon heeft er "
                              "veel minder".replace(",", "."))
            self.parts = []
        elif name == f"{MAIN} rPh":
            self.phonetic = True
        return name == f"{MAIN} t" and not self.phonetic

    def end(self, name: str, depth: int, text: str | None) -> None:
        if text is not None:
            self.parts.append(text)
        elif name == f"{MAIN} rPh":
            self.phonetic = False
        elif name == f"{MAIN} si" and depth == 1:
            self.strings.append("".join(self.parts))


class _StylesReader(Handler):
    """Number format codes by id, the number format of each cell style, and dxf number formats."""

    def __init__(self) -> None:
        self.codes: dict[int, str] = {}
        self.xfs: list[int] = []
        self.section = ""
        self.conditional = False

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        if depth == 1:
            self.section = name
        elif name == f"{MAIN} numFmt" and depth == 2:
            self.codes[_number(attrs.get("numFmtId"), "een getalnotatie")] = attrs.get("formatCode", "")
        elif name == f"{MAIN} xf" and depth == 2 and self.section == f"{MAIN} cellXfs":
            if len(self.xfs) >= MAX_STYLES:
                raise Refusal("bestand bevat te veel celopmaken")
            self.xfs.append(_number(attrs.get("numFmtId", "0"), "een celopmaak"))
        elif name == f"{MAIN} numFmt" and self.section == f"{MAIN} dxfs":
            self.conditional = True
        return False


class _SheetReader(Handler):
    """One worksheet: cells of sheetData in order, within the limits, and what hides or links them."""

    CELL_CHILDREN = frozenset((FORMULA, VALUE, INLINE, EXTENSIONS))

    def __init__(self, sheet: Sheet, strings: list[str], limits: Limits) -> None:
        self.sheet, self.strings, self.limits = sheet, strings, limits
        self.path = [""] * (MAX_DEPTH + 1)
        self.row = self.column = self.count = 0
        self.skip: int | None = None
        self.cell: tuple[str, str, int] | None = None
        self.value: str | None = None
        self.text: list[str] = []
        self.formula = False

    def _refuse(self, message: str, cell: str | None = None) -> Refusal:
        return Refusal(message, self.sheet.name, cell)

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        parent = self.path[depth - 1] if depth else ""
        self.path[depth] = name
        if self.skip is not None:
            return False
        if depth == 1:
            self._top(name, attrs)
        elif parent == SHEET_DATA:
            self._row(name, attrs)
        elif parent == ROW and depth == 3:
            self._cell(name, attrs)
        elif depth >= 4 and self.cell is not None:
            return self._content(name, parent, depth)
        elif depth == 2:
            self._sheet_part(name, parent, attrs)
        return False

    def _top(self, name: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN} sheetFormatPr":
            self.sheet.rows_hidden_by_default = _true(attrs, "zeroHeight")

    def _sheet_part(self, name: str, parent: str, attrs: dict[str, str]) -> None:
        if name == f"{MAIN} col" and parent == f"{MAIN} cols":
            low, high = (_number(attrs.get(key), "een kolom") for key in ("min", "max"))
            if _true(attrs, "hidden") or _zero(attrs.get("width")):
                self.sheet.hidden_columns.append((low, high))
        elif name == f"{MAIN} mergeCell" and parent == f"{MAIN} mergeCells":
            self.sheet.merged.append(attrs.get("ref", ""))
        elif name == f"{MAIN} hyperlink" and parent == f"{MAIN} hyperlinks":
            self.sheet.hyperlinks.append(attrs.get("ref", ""))

    def _row(self, name: str, attrs: dict[str, str]) -> None:
        if name != ROW:
            raise self._refuse("blad bevat onbekende inhoud tussen de rijen; sla het bestand opnieuw op als "
                               "Excel-werkmap")
        row = _number(attrs["r"], "een rij") if "r" in attrs else self.row + 1
        if row <= self.row:
            raise self._refuse(f"rij {row} staat dubbel of niet op volgorde; het bestand is beschadigd")
        if row > self.limits.max_row:
            raise self._refuse(f"blad loopt door tot rij {row}; het sjabloon gebruikt hoogstens "
                               f"{self.limits.max_row:,} rijen: verwijder wat daar staat of is opgemaakt"
                               .replace(",", "."))
        self.row, self.column = row, 0
        if _true(attrs, "hidden") or (_true(attrs, "customHeight") and _zero(attrs.get("ht"))):
            self.sheet.hidden_rows.add(row)

    def _cell(self, name: str, attrs: dict[str, str]) -> None:
        if name != CELL:
            raise self._refuse(f"rij {self.row} bevat onbekende inhoud; sla het bestand opnieuw op als Excel-werkmap")
        reference = attrs.get("r")
        try:
            row, column = split_cell(reference) if reference else (self.row, self.column + 1)
        except ValueError:
            raise self._refuse(f"ongeldige celverwijzing '{reference}'; het bestand is beschadigd") from None
        coordinate = reference or f"{column_letters(column)}{row}"
        if row != self.row or column <= self.column:
            raise self._refuse("cel staat dubbel of niet op volgorde; het bestand is beschadigd", coordinate)
        self.count += 1
        if column > self.limits.max_column or self.count > self.limits.max_cells:
            raise self._refuse(f"cel ligt ver buiten het sjabloon (meer dan {self.limits.max_column} kolommen of "
                               f"{self.limits.max_cells:,} cellen); verwijder wat daar staat of is opgemaakt"
                               .replace(",", "."), coordinate)
        kind = attrs.get("t", "n")
        if kind not in KINDS:
            raise self._refuse(f"onbekend celtype '{kind}'; het bestand is beschadigd", coordinate)
        self.column = column
        self.cell = (coordinate, kind, _number(attrs.get("s", "0"), "een celopmaak"))
        self.value, self.text, self.formula = None, [], False

    def _content(self, name: str, parent: str, depth: int) -> bool:
        if depth == 4:
            if name not in self.CELL_CHILDREN:
                raise self._refuse("cel bevat onbekende inhoud; sla het bestand opnieuw op als Excel-werkmap",
                                   self.cell[0] if self.cell else None)
            self.formula |= name == FORMULA
            if name == EXTENSIONS:
                self.skip = depth
            return name == VALUE
        if name == RUN_PROPERTIES:
            self.skip = depth
        return name == TEXT and parent in (INLINE, RUN)

    def end(self, name: str, depth: int, text: str | None) -> None:
        if self.skip is not None:
            if self.skip == depth:
                self.skip = None
            return
        if text is not None:
            if name == VALUE:
                self.value = text
            else:
                self.text.append(text)
        elif name == CELL and depth == 3 and self.cell is not None:
            self._store(*self.cell)
            self.cell = None

    def _store(self, coordinate: str, kind: str, style: int) -> None:
        raw = "".join(self.text) if kind == "inlineStr" else self.value
        if kind == "s" and raw is not None:
            index = _number(raw, f"cel {coordinate}")
            if index >= len(self.strings):
                raise self._refuse("cel verwijst naar een tekst die ontbreekt; het bestand is beschadigd", coordinate)
            raw = self.strings[index]
        if raw is not None or self.formula:
            self.sheet.cells[coordinate] = Cell(KINDS[kind], raw, style, self.formula)


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False
