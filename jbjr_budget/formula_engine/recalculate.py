"""Recalculate or check one workbook file and describe the outcome (picklable, for worker processes)."""

from __future__ import annotations

import gc
import math
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.book import Book, cell_address
from jbjr_budget.formula_engine.evaluator import Evaluator, FunctionRegistry, Issue, position_of
from jbjr_budget.formula_engine.locales import locale_named
from jbjr_budget.formula_engine.values import ExcelError, Scalar
from jbjr_budget.formula_engine.xlsx_reader import read_book
from jbjr_budget.formula_engine.xlsx_writer import write_book

__all__ = ["Difference", "Outcome", "check_file", "describe_value", "evaluate", "recalculate_file"]


class Difference(NamedTuple):
    """A cell whose stored value differs from the recalculated one."""

    sheet: str
    address: str
    stored: Scalar
    recalculated: Scalar

    def __str__(self) -> str:
        """The Dutch report line."""
        return (f"Blad '{self.sheet}', cel {self.address}: opgeslagen {describe_value(self.stored)}, "
                f"herberekend {describe_value(self.recalculated)}")


@dataclass(slots=True)
class Outcome:
    """What happened to one workbook."""

    path: str
    target: str | None = None
    formulas: int = 0
    issues: list[Issue] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    volatile: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No error, no fatal issue and no difference."""
        return self.error is None and not self.differences and not any(i.fatal for i in self.issues)


def describe_value(value: Scalar) -> str:
    """A value as a Dutch report shows it."""
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        return f"{value:.15g}".replace(".", ",")  # enough digits to show a difference beyond the tolerance
    if isinstance(value, ExcelError):
        return value.code
    return f"'{value}'"


def evaluate(book: Book, functions: FunctionRegistry | None = None, *, libreoffice: bool = False) -> Evaluator:
    """Recalculate every formula of ``book`` in memory; ``libreoffice``: LibreOffice computes what herbereken cannot."""
    evaluator = Evaluator(book, functions)
    evaluator.run()
    if libreoffice:
        from jbjr_budget.formula_engine.fallback import repair_with_libreoffice  # noqa: PLC0415 - with subprocess, only when asked

        evaluator = repair_with_libreoffice(evaluator, functions)
    reported = {(issue.sheet, issue.address) for issue in evaluator.issues}
    for key, value in evaluator.results.items():
        if isinstance(value, ExcelError) and evaluator.describe(key) not in reported:
            evaluator.issues.append(Issue(*evaluator.describe(key), "foutwaarde", value.code, fatal=False))
    evaluator.issues.sort(key=lambda issue: (issue.sheet, issue.address))
    return evaluator


def _read(path: Path, locale: str) -> Book:
    """The workbook at ``path``, to be recalculated in ``locale``."""
    locale_named(locale)  # an unknown name fails before the workbook is read
    book = read_book(path)
    book.locale = locale
    return book


def _timed(path: Path, work: Callable[[Outcome], None]) -> Outcome:
    """Run ``work`` with the cyclic garbage collector paused: it would rescan the many closures over and over."""
    outcome = Outcome(str(path))
    start = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()
    try:
        work(outcome)
    except JbjrFout as exc:
        outcome.error = str(exc)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # marks this workbook, never stops the batch
        outcome.error = f"interne fout ({type(exc).__name__}: {exc})"
    finally:
        if collecting:
            gc.enable()
    outcome.seconds = time.perf_counter() - start
    return outcome


def recalculate_file(source: Path, target: Path, functions: FunctionRegistry | None = None, *,
                     libreoffice: bool = False, custom_as_values: bool = False, locale: str = "en-US") -> Outcome:
    """Recalculate ``source`` and write it, formulas kept and results cached, atomically to ``target``.

    ``libreoffice`` has LibreOffice headless compute the cells herbereken cannot (see :mod:`fallback`);
    ``custom_as_values`` writes the cells calling the caller's (JBJR) functions as constants, for
    LibreOffice and viewers (which recalculate an array formula whose function they do not know);
    ``locale`` is the regional setting of the Excel the results should match (see :mod:`locales`).
    """
    def work(outcome: Outcome) -> None:
        book = _read(source, locale)
        evaluator = evaluate(book, functions, libreoffice=libreoffice)
        outcome.formulas, outcome.issues = len(evaluator.cells), evaluator.issues
        write_book(book, evaluator.updates(custom_as_values=custom_as_values), target)
        evaluator.release()
        outcome.target = str(target)

    return _timed(source, work)


def _qualified(sheet: str, address: str) -> str:
    """``Blad!A1``, with quotes where Excel needs them (``'Blad 2'!A1``)."""
    plain = sheet.replace("_", "").replace(".", "").isalnum() and not sheet[0].isdigit()
    return f"{sheet}!{address}" if plain else f"'{sheet.replace(chr(39), chr(39) * 2)}'!{address}"


def _same(stored: Scalar, recalculated: Scalar, tolerance: float) -> bool:
    if isinstance(stored, float) and isinstance(recalculated, float) and not isinstance(stored, bool):
        return math.isclose(stored, recalculated, rel_tol=1e-12, abs_tol=tolerance)
    if stored is None and recalculated == "":
        return True
    return type(stored) is type(recalculated) and stored == recalculated


def check_file(path: Path, tolerance: float = 1e-6, functions: FunctionRegistry | None = None, *,
               libreoffice: bool = False, locale: str = "en-US") -> Outcome:
    """Recalculate ``path`` in memory (in ``locale``) and list every cell whose stored value differs."""
    def work(outcome: Outcome) -> None:
        book = _read(path, locale)
        evaluator = evaluate(book, functions, libreoffice=libreoffice)
        outcome.formulas, outcome.issues = len(evaluator.cells), evaluator.issues
        cleared = dict.fromkeys(evaluator.stale - evaluator.spilled.keys())
        computed = {**evaluator.results, **evaluator.spilled, **cleared}
        loose = max(tolerance, book.iteration.delta) if book.iteration else tolerance
        for key in sorted(computed):
            sheet, row, col = position_of(key)
            owner = evaluator.owners.owner.get(key, key)
            if owner in evaluator.volatile:
                outcome.volatile.append(_qualified(book.sheets[sheet].name, cell_address(row, col)))
                continue
            stored = book.sheets[sheet].values.get((row, col))
            if not _same(stored, computed[key], loose if owner in evaluator.iterated else tolerance):
                outcome.differences.append(
                    Difference(book.sheets[sheet].name, cell_address(row, col), stored, computed[key]))
        evaluator.release()

    return _timed(path, work)
