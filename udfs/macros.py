"""Macros for the controller workbook: read named input ranges, call the engine, write named results.

Every macro exists twice, thinly: a function taking the workbook (for
``RunPython`` and as an xlwings Lite script) and a parameterless ``JBJR_...``
Sub that "Import Functions" adds to the workbook's macro list on Windows.
Progress goes to the status bar, and every message to the log sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import xlwings as xw

from jbjr_budget.errors import JbjrFout
from udfs.begroting import jbjr_begrotingstabel
from udfs.spec import ERROR_PREFIX, Cel, macro

__all__ = ["NAMEN", "herbereken", "jbjr_herbereken"]

NAMEN = {
    "regios": "Invoer_Regios",
    "jaren": "Invoer_Jaren",
    "scenario": "Invoer_Scenario",
    "begin": "Invoer_Contractbegin",
    "einde": "Invoer_Contracteinde",
    "begroting": "Uitkomst_Begroting",
    "logboek": "Uitkomst_Logboek",
}
"""Workbook-scope defined names the macros read and write; the workbook builder defines them."""

LOG_HEADERS = ("Tijdstip", "Macro", "Melding")


def _range(book: xw.Book, key: str) -> xw.Range:
    return book.names[NAMEN[key]].refers_to_range


def _read(book: xw.Book, key: str) -> Cel:
    return _range(book, key).options(ndim=2).value


def _write_table(book: xw.Book, key: str, rows: list[list[Any]]) -> None:
    anchor = _range(book, key)
    anchor.expand("table").clear_contents()
    anchor.value = rows


def _run(book: xw.Book, name: str, work: Callable[[Callable[[str], None]], None]) -> None:
    """Run ``work`` with a ``report`` callback; log every message, never raise into Excel."""
    log: list[list[Any]] = [list(LOG_HEADERS)]

    def report(message: str) -> None:
        book.app.status_bar = f"JBJR {name}: {message}"
        log.append([dt.datetime.now().replace(microsecond=0), name, message])  # noqa: DTZ005 - local time for the user

    report("gestart")
    try:
        work(report)
        report("klaar")
    except JbjrFout as exc:
        report(f"{ERROR_PREFIX}{exc}")
    finally:
        _write_table(book, "logboek", log)
        book.app.status_bar = False


@xw.script
def herbereken(book: xw.Book) -> None:
    """Herbereken de begrotingstabel uit de invoerbladen en zet hem op het blad Uitkomsten."""

    def work(report: Callable[[str], None]) -> None:
        report("begroting berekenen")
        table = jbjr_begrotingstabel(
            _read(book, "regios"), _read(book, "jaren"), None, None,
            _read(book, "begin"), _read(book, "einde"), _read(book, "scenario"),
        )
        if isinstance(table, str):
            raise JbjrFout(table.removeprefix(ERROR_PREFIX))
        _write_table(book, "begroting", table)
        report(f"{len(table) - 1} begrotingsregels geschreven")
        book.app.calculate()

    _run(book, "herbereken", work)


@macro
def jbjr_herbereken() -> Cel:  # xlwings converts even a Sub's result by its hint; Cel is one it knows
    """Herbereken de begrotingstabel uit de invoerbladen."""
    herbereken(xw.Book.caller())
    return None
