"""Macros for the controller workbook: read named input ranges, call the engine, write named results.

Every macro exists twice, thinly: a function taking the workbook (for
``RunPython`` and as an xlwings Lite script) and a parameterless ``JBJR_...``
Sub that "Import Functions" adds to the workbook's macro list on Windows.
Progress goes to the status bar, and every message to the log sheet. Paths
typed in the workbook are relative to the workbook's folder unless absolute.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlwings as xw

from jbjr_budget.errors import InvoerFout, JbjrFout
from jbjr_budget.monitoring.importer import STATUS_TEXT, Outcome, import_files
from jbjr_budget.monitoring.issues import printable
from jbjr_budget.monitoring.ledger import default_ledger_path
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import load_catalog
from jbjr_budget.writers.template_workbook import contract_pairs, write_templates
from udfs.begroting import jbjr_begrotingstabel
from udfs.registration import ERROR_PREFIX, Cel, macro

__all__ = [
    "NAMEN", "herbereken", "importeer", "jbjr_herbereken", "jbjr_importeer", "jbjr_sjablonen", "sjablonen",
]

NAMEN = {
    "regios": "Invoer_Regios",
    "jaren": "Invoer_Jaren",
    "scenario": "Invoer_Scenario",
    "begin": "Invoer_Contractbegin",
    "einde": "Invoer_Contracteinde",
    "producten": "Invoer_Filter_producten",
    "gemeenten": "Invoer_Filter_gemeenten",
    "periode": "Invoer_Periode",
    "contract": "Invoer_Contract",
    "sjabloonmap": "Invoer_Sjabloonmap",
    "importmap": "Invoer_Importmap",
    "grootboek": "Invoer_Grootboek",
    "begroting": "Uitkomst_Begroting",
    "sjablonen": "Uitkomst_Sjablonen",
    "import": "Uitkomst_Import",
    "logboek": "Uitkomst_Logboek",
}
"""Workbook-scope defined names the macros read and write; the workbook builder defines them."""

LOG_HEADERS = ("Tijdstip", "Macro", "Melding")
SJABLOON_HEADERS = ("Sjabloon", "GI", "Regio", "Stand begin voorgevuld (regels)")
IMPORT_HEADERS = ("Bestand", "Status", "Problemen")
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""


def _range(book: xw.Book, key: str) -> xw.Range:
    return book.names[NAMEN[key]].refers_to_range


def _read(book: xw.Book, key: str) -> Cel:
    return _range(book, key).options(ndim=2).value


def _text(book: xw.Book, key: str) -> str:
    value = _range(book, key).value
    return "" if value is None else str(value).strip()


def _required(book: xw.Book, key: str, what: str) -> str:
    text = _text(book, key)
    if not text:
        raise InvoerFout(f"vul {what} in op het blad Monitoring")
    return text


def _path(book: xw.Book, text: str) -> Path:
    """``text`` as a path; a relative one counts from the workbook's folder."""
    return Path(book.fullname).parent / Path(text).expanduser()


def _ledger_path(book: xw.Book) -> Path:
    text = _text(book, "grootboek")
    return _path(book, text) if text else default_ledger_path()


def _write_table(book: xw.Book, key: str, rows: list[list[Any]]) -> None:
    anchor = _range(book, key)
    anchor.expand("table").clear_contents()
    anchor.value = rows


def _status(book: xw.Book, name: str, message: str) -> None:
    book.app.status_bar = f"JBJR {name}: {message}"


def _run(book: xw.Book, name: str, work: Callable[[Callable[[str], None]], None]) -> None:
    """Run ``work`` with a ``report`` callback; log every message, never raise into Excel."""
    log: list[list[Any]] = [list(LOG_HEADERS)]

    def report(message: str) -> None:
        _status(book, name, message)
        log.append([dt.datetime.now().replace(microsecond=0), name, message])  # noqa: DTZ005 - local time for the user

    report("gestart")
    try:
        work(report)
        report("klaar")
    except JbjrFout as exc:
        report(f"{ERROR_PREFIX}{exc}")
    except OSError as exc:
        where = exc.filename2 or exc.filename or exc
        report(f"{ERROR_PREFIX}bestand of map niet te gebruiken: {where}; "
               "controleer het pad, of het bestand nog open staat en of u er rechten op hebt")
    except Exception as exc:  # a macro must never show a traceback
        report(f"{ERROR_PREFIX}onverwachte fout ({type(exc).__name__}: {exc})")
    finally:
        _write_table(book, "logboek", log)
        book.app.status_bar = False


@xw.script
def herbereken(book: xw.Book) -> None:
    """Herbereken de begrotingstabel uit de invoerbladen en zet hem op het blad Uitkomsten."""

    def work(report: Callable[[str], None]) -> None:
        report("begroting berekenen")
        table = jbjr_begrotingstabel(
            _read(book, "regios"), _read(book, "jaren"), _read(book, "producten"), _read(book, "gemeenten"),
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


@xw.script
def sjablonen(book: xw.Book) -> None:
    """Maak de monitoringssjablonen van het contract voor de periode en zet de lijst op het blad Sjablonen."""

    def work(report: Callable[[str], None]) -> None:
        periode = Periode.parse(_required(book, "periode", "de periode"))
        folder = _path(book, _required(book, "sjabloonmap", "de map voor de sjablonen"))
        catalog = load_catalog()
        pairs = contract_pairs(catalog, _required(book, "contract", "het contract"))
        report(f"{len(pairs)} sjablonen voor {periode.code} maken in {folder}")
        count = itertools.count(1)
        written = write_templates(periode, folder, pairs, _ledger_path(book), catalog,
                                  on_written=lambda w: _status(book, "sjablonen", f"{next(count)} van {len(pairs)}"))
        rows = [[str(w.pad), w.gi, w.regio, w.voorgevuld] for w in written]
        _write_table(book, "sjablonen", [list(SJABLOON_HEADERS), *rows])
        report(f"{len(written)} sjablonen geschreven")

    _run(book, "sjablonen", work)


def _import_row(outcome: Outcome) -> list[Any]:
    problems = "; ".join(str(p) for p in outcome.issues)
    if len(problems) > MAX_CELL_TEXT:
        problems = problems[: MAX_CELL_TEXT - 1] + "…"
    return [printable(outcome.source), STATUS_TEXT[outcome.status], problems or None]


@xw.script
def importeer(book: xw.Book) -> None:
    """Lees de ingevulde sjablonen uit de importmap in het grootboek in en zet de uitkomst op het blad Import."""

    def work(report: Callable[[str], None]) -> None:
        text = _text(book, "periode")
        periode = Periode.parse(text) if text else None
        folder = _path(book, _required(book, "importmap", "de map met ingevulde sjablonen"))
        ledger = _ledger_path(book)
        report(f"bestanden in {folder} controleren en inlezen in {ledger}")
        count = itertools.count(1)
        outcomes = import_files(  # one process: the macro runs inside Excel's Python, which must not fork
            [folder], ledger, periode, processes=1,
            on_result=lambda _: _status(book, "importeer", f"{next(count)} bestanden verwerkt"),
        )
        _write_table(book, "import", [list(IMPORT_HEADERS), *(_import_row(o) for o in outcomes)])
        rejected = sum(o.status == "afgewezen" for o in outcomes)
        report(f"{len(outcomes)} bestanden: {len(outcomes) - rejected} aangenomen, {rejected} afgewezen")

    _run(book, "importeer", work)


@macro
def jbjr_sjablonen() -> Cel:
    """Maak de monitoringssjablonen van het contract voor de gekozen periode."""
    sjablonen(xw.Book.caller())
    return None


@macro
def jbjr_importeer() -> Cel:
    """Lees de ingevulde monitoringssjablonen uit de importmap in."""
    importeer(xw.Book.caller())
    return None
