"""A table of tariffs (published or contracted) from a spreadsheet or CSV file, as a validated overlay file.

The table has a header row with at least a product-code column (``productcode``,
``code`` or ``product``) and an amount column (``tarief``, ``bedrag`` or
``prijs``); optional columns ``bron`` and ``ingangsdatum`` give a row its own
source and start date, otherwise the ones given for the whole file apply. Every
row is checked against the catalogue; one bad row refuses the whole table, with
every problem named by row and column, and nothing is written.

Rekenregel (tarieftabel inlezen):
    Een ingelezen tarief geldt vanaf de ingangsdatum op het prijspeil van dat jaar, precies als een
    meegeleverd tarief, en heeft de opgegeven bron. Bedragen zijn euro's met hoogstens twee decimalen;
    een bedrag als tekst in een Excel-cel wordt geweigerd, in een CSV-bestand mag de komma of de punt het
    decimaalteken zijn.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jbjr_budget.errors import GegevensFout, InvoerFout
from jbjr_budget.rules.catalog import EENHEID_LABEL, Catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.tariffs import NATIONAL, REGIONAL

__all__ = [
    "TariffRow", "allowed_products", "contracted_before", "overlay_text", "parse_date", "read_tariffs", "tariff_family",
]

HEADERS = {
    "code": ("productcode", "code", "product", "productcodes"),
    "bedrag": ("tarief", "bedrag", "prijs", "tarief eur", "bedrag eur", "tarief per eenheid"),
    "bron": ("bron", "referentie", "reference"),
    "ingangsdatum": ("ingangsdatum", "datum", "geldig vanaf", "vanaf"),
}
LABELS = {"code": "productcode", "bedrag": "tarief", "bron": "bron", "ingangsdatum": "ingangsdatum"}
OPTIONS = {"bron": "--bron", "ingangsdatum": "--ingangsdatum"}
"""The command-line option that gives a column's value for the whole table."""
MAX_ROWS = 10_000
Parse = Callable[[object], object]


@dataclass(frozen=True)
class TariffRow:
    """One validated tariff: product, amount in euros, start date, source and where it came from."""

    code: str
    bedrag: Decimal
    ingangsdatum: dt.date
    bron: str
    rij: int


@dataclass(frozen=True)
class _Table:
    where: str
    rows: list[tuple[int, list[object]]]


def tariff_family(catalog: Catalog, contract: str | None = None, regio: str | None = None) -> str:
    """The parameter node the tariffs go to: national, or regional for a contract or one region."""
    if contract and regio:
        raise InvoerFout("geef een contract of een regio, niet allebei")
    if regio:
        return f"{REGIONAL}.{catalog.regio(regio).key}"
    if contract:
        catalog.contract_regios(contract)
        return f"{REGIONAL}.{contract}"
    return NATIONAL


def allowed_products(catalog: Catalog, family: str) -> tuple[str, ...] | None:
    """The products a family takes: those its regions buy (a contract or region), or all (national)."""
    key = family.removeprefix(f"{REGIONAL}.")
    if family == NATIONAL:
        return None
    regios = [catalog.regios[key]] if key in catalog.regios else catalog.contract_regios(key)
    return tuple(dict.fromkeys(code for regio in regios for code in regio.producten))


def contracted_before(tree: ParameterTree, catalog: Catalog, rows: Sequence[TariffRow], family: str) -> list[str]:
    """For national tariffs: where a contracted tariff goes before them (a region pays what it contracted).

    Regional tariffs go to a region's own node or its contract's: for those nothing takes precedence.
    """
    if family != NATIONAL:
        return []
    keys = [*dict.fromkeys(r.contract for r in catalog.regios.values()), *catalog.regios]
    return [f"{row.code}: in {key} geldt op {row.ingangsdatum:%d-%m-%Y} een gecontracteerd tarief "
            f"({REGIONAL}.{key}.{row.code}); dat gaat voor het landelijke"
            for row in rows for key in keys if tree.has_value(f"{REGIONAL}.{key}.{row.code}", row.ingangsdatum)]


def _normal(header: object) -> str:
    return re.sub(r"[^a-z0-9 ]", "", str(header or "").lower().replace("€", "eur")).strip()


def _read(path: Path, sheet: str | None) -> _Table:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    raise InvoerFout(f"{path}: lees een Excel-bestand (.xlsx) of een CSV-bestand (.csv), geen '{path.suffix}'")


def _read_xlsx(path: Path, sheet: str | None) -> _Table:
    import openpyxl  # noqa: PLC0415 - only this reader needs it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise GegevensFout(f"{path}: geen leesbaar Excel-bestand ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvoerFout(f"{path}: blad '{sheet}' bestaat niet (bladen: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [(n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), start=1)]
        return _Table(f"{path.name}, blad '{ws.title}'", rows[:MAX_ROWS])
    finally:
        book.close()


def _read_csv(path: Path) -> _Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
    rows: list[tuple[int, list[object]]] = [
        (n, list(values)) for n, values in enumerate(csv.reader(text.splitlines(), dialect), start=1)]
    return _Table(path.name, rows[:MAX_ROWS])


def _columns(table: _Table) -> tuple[int, dict[str, int]]:
    """The header row and the column index of each known header; the code and amount columns are required."""
    for number, cells in table.rows:
        found = {key: i for i, cell in enumerate(cells) for key, names in HEADERS.items() if _normal(cell) in names}
        if "code" in found and "bedrag" in found:
            return number, found
    raise GegevensFout(f"{table.where}: geen kopregel met een kolom productcode en een kolom tarief gevonden")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    return str(get_column_letter(index + 1))


def _amount(value: object, from_csv: bool) -> Decimal:
    """An amount in euros; text only in a CSV file, where the comma or the point is the decimal sign."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("bedrag ontbreekt")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    elif from_csv and isinstance(value, str):
        cleaned = value.strip().replace("€", "").replace(" ", "")
        cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"tekst in een bedrag: '{value.strip()}'; vul een getal in") from None
    else:
        raise ValueError(f"tekst in een bedrag: '{str(value).strip()}'; typ een getal, geen tekst")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"bedrag {value} moet een getal van 0 of meer zijn")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"bedrag {value} heeft meer dan twee decimalen; rond het af op centen")
    return amount.quantize(Decimal("0.01"))


def parse_date(value: object) -> dt.date:
    """A date from a date cell or a text such as ``1-1-2026`` or ``2026-01-01``.

    Examples:
        >>> parse_date("1-7-2026"), parse_date("2026-07-01")
        (datetime.date(2026, 7, 1), datetime.date(2026, 7, 1))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1])) if match else dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ingangsdatum '{text}' is geen datum (bijv. 1-1-2026 of 2026-01-01)") from None


class _Checker:
    """Checks the rows of a table, collecting every problem by row and column."""

    def __init__(self, table: _Table, columns: dict[str, int], from_csv: bool) -> None:
        self.table, self.columns, self.from_csv = table, columns, from_csv
        self.problems: list[str] = []

    def cell(self, cells: list[object], key: str) -> object:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def fail(self, row: int, key: str | None, message: str) -> None:
        column = f", kolom {_letter(self.columns[key])} ({LABELS[key]})" if key in self.columns else ""
        self.problems.append(f"{self.table.where}, rij {row}{column}: {message}")

    def field(self, row: int, cells: list[object], key: str, given: object, parse: Parse) -> object:
        value = self.cell(cells, key)
        if value in (None, "") and given is not None:
            return given
        if value in (None, "") and key in OPTIONS:
            self.fail(row, key, f"{LABELS[key]} ontbreekt; vul de kolom {LABELS[key]} of geef {OPTIONS[key]}")
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.fail(row, key, str(exc))
            return None


def read_tariffs(
    path: Path, catalog: Catalog, family: str, bron: str | None, ingangsdatum: dt.date | None,
    sheet: str | None = None,
) -> list[TariffRow]:
    """The validated tariffs of ``path`` for ``family`` (:func:`tariff_family`).

    Any problem refuses the whole table (:class:`GegevensFout`); ``bron`` and
    ``ingangsdatum`` apply to rows without their own.
    """
    allowed = allowed_products(catalog, family)
    table = _read(path, sheet)
    header, columns = _columns(table)
    for key, given in (("bron", bron), ("ingangsdatum", ingangsdatum)):
        if key not in columns and not given:
            raise GegevensFout(f"{table.where}: geen {key}: de tabel heeft geen kolom {key} (kopregel rij {header}) "
                               f"en {OPTIONS[key]} is niet gegeven")
    check = _Checker(table, columns, path.suffix.lower() not in (".xlsx", ".xlsm"))
    found: list[TariffRow] = []
    seen: dict[tuple[str, object], int] = {}
    for number, cells in table.rows:
        if number <= header or all(c in (None, "") or not str(c).strip() for c in cells):
            continue
        code = _code(check, number, cells, catalog, allowed, family)
        amount = check.field(number, cells, "bedrag", None, lambda v: _amount(v, check.from_csv))
        source = check.field(number, cells, "bron", (bron or "").strip() or None, lambda v: str(v).strip())
        start = check.field(number, cells, "ingangsdatum", ingangsdatum, parse_date)
        if code and (code, start) in seen:
            check.fail(number, "code", f"productcode {code} staat al in rij {seen[(code, start)]} (dubbele regel)")
        elif code:
            seen[(code, start)] = number
        if code and isinstance(amount, Decimal) and isinstance(source, str) and isinstance(start, dt.date):
            found.append(TariffRow(code, amount, start, source, number))
    if check.problems:
        raise GegevensFout("tarieftabel geweigerd, er is niets geschreven:\n" + "\n".join(f"  - {p}"
                                                                                           for p in check.problems))
    if not found:
        raise GegevensFout(f"{table.where}: de tabel heeft geen tarieven onder de kopregel (rij {header})")
    return found


def _code(
    check: _Checker, row: int, cells: list[object], catalog: Catalog, allowed: Sequence[str] | None, family: str
) -> str:
    raw = check.cell(cells, "code")
    text = str(int(raw)) if isinstance(raw, float) and raw == int(raw) else str(raw or "").strip().upper()
    if not text:
        check.fail(row, "code", "productcode ontbreekt")
    elif text not in catalog.producten:
        check.fail(row, "code", f"onbekende productcode {text}")
    elif allowed is not None and text not in allowed:
        check.fail(row, "code", f"product {text} wordt niet ingekocht in {family.removeprefix(REGIONAL + '.')}")
    else:
        return text
    return ""


def _quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def overlay_text(rows: Sequence[TariffRow], family: str, catalog: Catalog, made_from: str) -> str:
    """The rows as a parameter overlay (YAML) under ``family``, every value with its date and source."""
    lines = [f"# {made_from}", f"description: {_quoted('Ingelezen tarieven: ' + made_from)}"]
    parts = family.split(".")
    lines += [f"{'  ' * depth}{part}:" for depth, part in enumerate(parts)]
    indent = "  " * len(parts)
    for code in dict.fromkeys(row.code for row in rows):
        unit = "EUR/" + EENHEID_LABEL[catalog.product(code).eenheid].removeprefix("per ")
        mine = sorted((r for r in rows if r.code == code), key=lambda r: r.ingangsdatum)
        lines += [f'{indent}"{code}":',
                  f"{indent}  metadata: {{unit: {json.dumps(unit)}, reference: {_quoted(mine[0].bron)}}}",
                  f"{indent}  values:"]
        lines += [f"{indent}    {r.ingangsdatum.isoformat()}: {{value: {r.bedrag}, reference: {_quoted(r.bron)}}}"
                  for r in mine]
    return "\n".join(lines) + "\n"
