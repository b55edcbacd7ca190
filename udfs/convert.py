"""Turn what Excel gives a UDF into engine input (what a cell shows is :mod:`udfs.results`).

Excel gives numbers as floats (a year is ``2026.0``), dates as datetimes or
as serial numbers (1 = 1 January 1900), text with stray spaces, a product
code such as 4711 as a number, empty cells as ``None`` and ranges as lists
(nested when xlwings is told ``ndim=2``). Every problem is an
:class:`~jbjr_budget.errors.InvoerFout` with a short Dutch message.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Hashable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Catalog, Regio, load_catalog
from jbjr_budget.rules.money import to_cents, to_decimal
from jbjr_budget.rules.parameters import ParameterTree, load_parameters
from jbjr_budget.rules.scenarios import load_scenario
from jbjr_budget.rules.user_folder import user_overlays
from jbjr_budget.rules.volumes import METHODES, Methode
from udfs import cache
from udfs.registration import Cel

__all__ = [
    "ONE",
    "catalog",
    "cells",
    "cents",
    "cents_per_year",
    "date",
    "date_or_year",
    "is_empty",
    "methode",
    "number",
    "numbers",
    "optional_date",
    "optional_gemeenten",
    "optional_number",
    "optional_product_codes",
    "optional_regio",
    "optional_text",
    "optional_whole",
    "orientation",
    "parameter_files",
    "parameters",
    "product_code",
    "regios",
    "reload",
    "serial",
    "single",
    "text",
    "whole",
    "year",
    "years",
]

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system for serials from 61 on (Excel counts a 29 February 1900)."""
FIRST_YEAR, LAST_YEAR = 1900, 9999
ONE = Decimal(1)
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")

Orientation = Literal["rij", "kolom"]


def is_empty(value: Cel) -> bool:
    """True for an empty cell: ``None``, an empty or blank text, or an empty range."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    return False


def cells(value: Cel) -> list[Any]:
    """The non-empty cells of a scalar, a row/column (list) or a 2D range, row by row."""
    if isinstance(value, list | tuple):
        return [cell for item in value for cell in cells(item)]
    return [] if is_empty(value) else [value]


def orientation(value: Cel) -> Orientation:
    """``kolom`` for a 2D range of one column and several rows, ``rij`` otherwise."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else None
    return "kolom" if rows and len(rows) > 1 and all(len(r) == 1 for r in rows) else "rij"


def single(value: Cel, name: str) -> Cel:
    """The value of one cell, also when it comes as a 1x1 range (``[[v]]``)."""
    if not isinstance(value, list | tuple):
        return value
    found = cells(value)
    if len(found) > 1:
        raise InvoerFout(f"{name}: verwacht één cel, niet {len(found)}")
    return found[0] if found else None


def number(value: Cel, name: str) -> Decimal:
    """A number from a numeric cell or a text such as ``12,5`` or ``0.02``."""
    value = single(value, name)
    if is_empty(value):
        raise InvoerFout(f"{name} ontbreekt")
    if isinstance(value, bool):
        raise InvoerFout(f"{name} moet een getal zijn, niet {'WAAR' if value else 'ONWAAR'}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvoerFout(f"{name} moet een eindig getal zijn")
    if isinstance(value, int | float | Decimal):
        return to_decimal(value)
    raw = str(value).strip().replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise InvoerFout(f"{name} moet een getal zijn, niet '{str(value).strip()}'") from None
    if not result.is_finite():
        raise InvoerFout(f"{name} moet een eindig getal zijn")
    return result


_Default = TypeVar("_Default", Decimal, None)


def optional_number(value: Cel, name: str, default: _Default) -> Decimal | _Default:
    """A number, or ``default`` for an empty cell."""
    return default if is_empty(value) else number(value, name)


def whole(value: Cel, name: str) -> int:
    """A whole number (``2026.0`` is 2026)."""
    result = number(value, name)
    if result != result.to_integral_value():
        raise InvoerFout(f"{name} moet een geheel getal zijn, niet {result}")
    return int(result)


def year(value: Cel, name: str = "jaar") -> int:
    """A year between 1900 and 9999, from a number, a text or a date (its year)."""
    value = single(value, name)
    if isinstance(value, dt.date):
        return value.year
    result = whole(value, name)
    if not FIRST_YEAR <= result <= LAST_YEAR:
        raise InvoerFout(f"{name} {result} is geen jaartal")
    return result


def years(value: Cel, name: str = "jaren") -> list[int]:
    """Years from a single cell or a range, in the order given."""
    found = [year(v, name) for v in cells(value)]
    if not found:
        raise InvoerFout(f"{name} ontbreekt")
    return found


def _serial(serial: Decimal, name: str) -> dt.date:
    if serial != serial.to_integral_value():
        serial = serial.to_integral_value(rounding="ROUND_FLOOR")  # time of day is ignored
    days = int(serial)
    if days == 60:
        raise InvoerFout(f"{name}: 29-2-1900 bestaat niet")
    if not 1 <= days <= 2958465:
        raise InvoerFout(f"{name}: {days} is geen geldige datum")
    return EXCEL_EPOCH + dt.timedelta(days=days if days > 60 else days + 1)


def _date_text(raw: str, name: str) -> dt.date:
    match = _DUTCH_DATE.match(raw)
    try:
        if match:
            day, month, year_ = (int(g) for g in match.groups())
            return dt.date(year_, month, day)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvoerFout(f"{name} '{raw}' is geen datum (gebruik bijv. 1-7-2026)") from None


def date(value: Cel, name: str = "datum") -> dt.date:
    """A date from a datetime, a date, an Excel serial number or a text (``1-7-2026``, ``2026-07-01``)."""
    value = single(value, name)
    if is_empty(value):
        raise InvoerFout(f"{name} ontbreekt")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        if not re.fullmatch(r"[\d.,]+", stripped):
            return _date_text(stripped, name)
    return _serial(number(value, name), name)


def optional_date(value: Cel, name: str) -> dt.date | None:
    """A date, or ``None`` for an empty cell."""
    return None if is_empty(value) else date(value, name)


def date_or_year(value: Cel, name: str = "datum of jaar") -> dt.date:
    """A date; a whole number from 1900 to 9999 means 1 January of that year."""
    value = single(value, name)
    if not isinstance(value, dt.date | str) or str(value).strip().isdigit():
        candidate = number(value, name)
        if candidate == candidate.to_integral_value() and FIRST_YEAR <= candidate <= LAST_YEAR:
            return dt.date(int(candidate), 1, 1)
    return date(value, name)


def text(value: Cel, name: str) -> str:
    """Text without stray spaces; a whole number (a code typed as 4711) becomes its digits."""
    value = single(value, name)
    if is_empty(value):
        raise InvoerFout(f"{name} ontbreekt")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise InvoerFout(f"{name} moet tekst of een eindig getal zijn")
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value).strip()


def optional_text(value: Cel, name: str, default: str) -> str:
    """Text, or ``default`` for an empty cell."""
    return default if is_empty(value) else text(value, name)


@functools.cache
def catalog() -> Catalog:
    """The bundled product and region catalogue (read once per Excel session)."""
    return load_catalog()


@functools.lru_cache(maxsize=16)
def _tree(scenario: str, files: Hashable) -> ParameterTree:
    return load_scenario(scenario) if scenario else load_parameters()


def parameter_files() -> tuple[tuple[str, int, int], ...]:
    """The user's own parameter files as they are now: name, modification time and size of each.

    Every tree includes them (:func:`~jbjr_budget.rules.parameters.user_overlays`), so a
    tree, and every kept result (:func:`udfs.cache.watch`), is keyed on this stamp: a
    file added, changed or removed during an Excel session is read at the next call.
    """
    found = []
    for file in user_overlays():
        status = file.stat()
        found.append((str(file), status.st_mtime_ns, status.st_size))
    return tuple(found)


def parameters(scenario: Cel = None) -> ParameterTree:
    """The parameter tree of a bundled scenario (with the user's own files); an empty cell: the bundled parameters."""
    return _tree("" if is_empty(scenario) else text(scenario, "scenario").lower(), parameter_files())


cache.watch(parameter_files)


def reload() -> None:
    """Read the catalogue and the parameter trees again at the next call, and forget the kept results.

    The worksheet functions keep their results (:mod:`udfs.cache`) for as long
    as the trees they read stay the same; this is the one place that changes them.
    """
    catalog.cache_clear()
    _tree.cache_clear()
    cache.new_generation()


def product_code(value: Cel) -> str:
    """A catalogue product code; ``' 48a04 '`` is ``48A04``, an unknown code is an error."""
    return catalog().product(text(value, "productcode")).code


def numbers(value: Cel, name: str) -> list[Decimal]:
    """Numbers from a single cell or a range; empty cells are skipped."""
    found = [number(v, name) for v in cells(value)]
    if not found:
        raise InvoerFout(f"{name} ontbreekt")
    return found


def cents(value: Cel, name: str) -> int:
    """An amount in euros as integer cents (half up, the project's rounding rule)."""
    return to_cents(number(value, name))


def optional_whole(value: Cel, name: str, default: int) -> int:
    """A whole number, or ``default`` for an empty cell."""
    return default if is_empty(value) else whole(value, name)


def methode(value: Cel) -> Methode:
    """Shape of a volume path: ``lineair`` (default for an empty cell) or ``samengesteld``."""
    chosen = optional_text(value, "methode", "lineair").lower()
    if chosen not in METHODES:
        raise InvoerFout(f"onbekende methode '{chosen}' (kies lineair of samengesteld)")
    return chosen


def optional_regio(value: Cel) -> Regio | None:
    """A region from its key or name, or ``None`` for an empty cell."""
    return None if is_empty(value) else catalog().regio(text(value, "regio"))


def regios(value: Cel) -> list[str]:
    """Region keys from keys or names in a cell or range."""
    found = [catalog().regio(text(v, "regio")).key for v in cells(value)]
    if not found:
        raise InvoerFout("regio's ontbreken")
    return found


def optional_product_codes(value: Cel) -> set[str] | None:
    """Catalogue product codes from a cell or range, or ``None`` (all) for an empty one."""
    return None if is_empty(value) else {product_code(v) for v in cells(value)}


def optional_gemeenten(value: Cel) -> set[str] | None:
    """Municipality keys from keys or names in a cell or range, or ``None`` (all) for an empty one."""
    return None if is_empty(value) else {catalog().gemeente(text(v, "gemeente")).key for v in cells(value)}


def serial(day: dt.date) -> int:
    """The Excel serial number of a date after 1 March 1900 (what a date cell holds).

    Examples:
        >>> serial(dt.date(2022, 1, 1))
        44562
    """
    return (day - EXCEL_EPOCH).days


def _size(value: Cel) -> int:
    """Number of cells in a scalar (1) or a (nested) range, empty cells included."""
    if isinstance(value, list | tuple):
        return sum(_size(item) for item in value)
    return 1


def cents_per_year(value: Cel, name: str) -> int | list[int]:
    """One amount in euros for every year (one cell) or one per year (a range), in cents.

    One cell is a scalar or a 1x1 range: xlwings hands a range argument
    (``ndim=2``) over as ``[[v]]`` even when a single number is typed.
    """
    if _size(value) == 1:
        return cents(single(value, name), name)
    amounts = cells(value)
    if not amounts:
        raise InvoerFout(f"{name} ontbreekt")
    return [cents(v, name) for v in amounts]
