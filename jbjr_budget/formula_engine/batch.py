"""Recalculate or check many workbooks, spread over worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.evaluator import FunctionRegistry
from jbjr_budget.formula_engine.recalculate import Outcome, check_file, recalculate_file

__all__ = ["Job", "collect_workbooks", "run_jobs"]

SUFFIXES = (".xlsx", ".xlsm")
OUTPUT_MARK = ".herberekend"


class Job(NamedTuple):
    """One workbook: recalculate into ``target``, or check when ``target`` is None.

    ``libreoffice``: cells herbereken cannot compute are computed by LibreOffice headless;
    ``custom_as_values``: cells calling JBJR functions are written as constants (for viewers);
    ``locale``: the regional setting of the Excel to match (``en-US``, ``nl-NL``).
    """

    source: Path
    target: Path | None
    tolerance: float = 1e-6
    libreoffice: bool = False
    custom_as_values: bool = False
    locale: str = "en-US"


def collect_workbooks(paths: Iterable[Path]) -> list[Path]:
    """The workbooks named, and those in named folders (recursively; no lock files or earlier outputs)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                                and not p.name.startswith("~$") and OUTPUT_MARK not in p.name))
        elif path.is_file():
            found.append(path)
        else:
            raise JbjrFout(f"pad bestaat niet: {path}")
    return list(dict.fromkeys(found))


def _run(job: Job, functions: FunctionRegistry | None) -> Outcome:
    if job.target is None:
        return check_file(job.source, job.tolerance, functions, libreoffice=job.libreoffice, locale=job.locale)
    return recalculate_file(job.source, job.target, functions, libreoffice=job.libreoffice,
                            custom_as_values=job.custom_as_values, locale=job.locale)


def run_jobs(jobs: Sequence[Job], processes: int | None = None,
             on_done: Callable[[int, Outcome], None] | None = None,
             functions: FunctionRegistry | None = None) -> list[Outcome]:
    """Run every job, in worker processes when there are several; ``on_done(count, outcome)`` reports progress.

    ``functions`` (extra functions such as JBJR's) must be picklable when jobs run in several processes.
    """
    workers = min(len(jobs), processes or os.cpu_count() or 1)
    outcomes: list[Outcome] = []
    if workers <= 1:
        for job in jobs:
            outcomes.append(_run(job, functions))
            if on_done:
                on_done(len(outcomes), outcomes[-1])
        return outcomes
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415 - not needed for one file

    from jbjr_budget.process_pool import pool_context  # noqa: PLC0415

    with ProcessPoolExecutor(max_workers=workers, mp_context=pool_context()) as pool:
        futures = {pool.submit(_run, job, functions): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = Outcome(str(futures[future].source), error=f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if on_done:
                on_done(len(outcomes), outcome)
    order = {str(job.source): index for index, job in enumerate(jobs)}
    return sorted(outcomes, key=lambda outcome: order[outcome.path])
