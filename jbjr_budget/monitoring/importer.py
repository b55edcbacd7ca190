"""Import returned templates: validate each new file (in parallel), store valid ones one transaction per file.

One bad file never stops the rest. Files are stored in the order given
(folders sorted by name), so of two files for the same GI, region and period
in one batch the later one becomes current.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jbjr_budget.monitoring.issues import Issue
from jbjr_budget.monitoring.ledger import Ledger, known_files
from jbjr_budget.monitoring.package import Limits
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.validate import Validation, read_upload, validate_file
from jbjr_budget.process_pool import pool_context
from jbjr_budget.rules.catalog import Catalog, load_catalog

__all__ = ["STATUS_TEXT", "Outcome", "collect_files", "import_files"]

Status = Literal["nieuw", "vervangen", "al_aanwezig", "afgewezen"]
STATUS_TEXT: dict[Status, str] = {"nieuw": "AANGENOMEN", "vervangen": "AANGENOMEN (correctie)",
                                  "al_aanwezig": "AL INGELEZEN", "afgewezen": "AFGEWEZEN"}
"""How a status is shown to users."""
SUFFIXES = (".xlsx", ".xlsm")
PARALLEL_FROM = 8
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    source: str
    status: Status
    issues: tuple[Issue, ...] = ()
    key: tuple[str, str, str] | None = None


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Expand folders into their spreadsheet files (sorted); missing paths become rejections."""
    files: list[Path] = []
    missing: list[Outcome] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith(("~$", ".~lock", ".")))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Outcome(str(path), "afgewezen", (Issue(path.name, "bestand of map bestaat niet"),)))
    return files, missing


_worker_catalog: list[Catalog] = []


def _init_worker(catalog: Catalog) -> None:
    _worker_catalog[:] = [catalog]


def _validate_in_worker(job: tuple[Path, Periode | None, Limits]) -> Validation:
    path, periode, limits = job
    return validate_file(path, _worker_catalog[0], periode, limits)


@contextmanager
def _validated(
    files: Sequence[Path], catalog: Catalog | None, periode: Periode | None, limits: Limits, processes: int
) -> Iterator[Iterator[Validation]]:
    """Validation results in file order, computed by a process pool for larger batches.

    The pool is started before the ledger is opened, so no database connection crosses a fork;
    where there is no fork (Windows) the workers start fresh and receive the catalogue.
    """
    if not files or catalog is None:
        yield iter(())
        return
    if processes <= 1 or len(files) < PARALLEL_FROM:
        yield (validate_file(path, catalog, periode, limits) for path in files)
        return
    jobs = [(path, periode, limits) for path in files]
    with pool_context().Pool(processes, initializer=_init_worker, initargs=(catalog,)) as pool:
        yield pool.imap(_validate_in_worker, jobs, chunksize=2)


def import_files(
    paths: Iterable[Path],
    ledger_path: Path,
    periode: Periode | None = None,
    *,
    processes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    catalog: Catalog | None = None,
    on_result: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Validate and import files and folders into the ledger at ``ledger_path``.

    A file whose exact bytes are already in the ledger is answered from its
    hash, without validating it again.

    Returns:
        One :class:`Outcome` per file, in order.
    """
    files, outcomes = collect_files(paths)
    for outcome in outcomes:
        if on_result:
            on_result(outcome)
    hashes = [_file_hash(path, limits) for path in files]
    known = known_files(ledger_path, {h for h in hashes if isinstance(h, str)})
    todo = [path for path, h in zip(files, hashes, strict=True) if isinstance(h, str) and h not in known]
    catalog = catalog or (load_catalog() if todo else None)
    with (_validated(todo, catalog, periode, limits, processes or os.cpu_count() or 1) as results,
          Ledger(ledger_path) as ledger):
        for path, file_hash in zip(files, hashes, strict=True):
            if isinstance(file_hash, Issue):
                outcome = Outcome(str(path), "afgewezen", (file_hash,))
            elif file_hash in known:
                outcome = Outcome(str(path), "al_aanwezig", (), known[file_hash])
            else:
                outcome = _store(ledger, next(results))
            outcomes.append(outcome)
            if on_result:
                on_result(outcome)
    return outcomes


def _file_hash(path: Path, limits: Limits) -> str | Issue:
    """SHA-256 of a file's bytes, or the issue why it cannot be read."""
    data = read_upload(path, limits)
    return data if isinstance(data, Issue) else hashlib.sha256(data).hexdigest()


def _store(ledger: Ledger, result: Validation) -> Outcome:
    if result.submission is None:
        return Outcome(result.source, "afgewezen", result.issues)
    sub = result.submission
    return Outcome(result.source, ledger.store(sub), (), (sub.gi, sub.regio, sub.periode))
