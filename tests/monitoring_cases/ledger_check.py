"""Consistency of a ledger after an interrupted import: integrity, no orphans, every file whole or absent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jbjr_budget.monitoring.ledger import TABLES


def submissions(db_path: Path) -> int:
    """Submissions in the ledger so far (0 while it does not exist or has no schema yet); read-only."""
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM aanlevering").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def problems(db_path: Path, rows_per_file: int) -> tuple[int, list[str]]:
    """Submissions stored, and what is wrong: a failed integrity check, orphan rows, a half-stored file."""
    if not db_path.exists():
        return 0, []
    found = []
    with sqlite3.connect(db_path) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            found.append(f"integrity_check: {integrity}")
        try:
            ids = {row[0] for row in db.execute("SELECT id FROM aanlevering")}
        except sqlite3.OperationalError:
            return 0, found
        for table in TABLES:
            orphans = db.execute(f"SELECT count(*) FROM {table} WHERE aanlevering_id NOT IN "
                                 "(SELECT id FROM aanlevering)").fetchone()[0]
            if orphans:
                found.append(f"{orphans} losse regels in {table}")
        for submission_id in ids:
            stored = sum(db.execute(f"SELECT count(*) FROM {table} WHERE aanlevering_id = ?",
                                    (submission_id,)).fetchone()[0] for table in TABLES)
            if stored != rows_per_file:
                found.append(f"aanlevering {submission_id}: {stored} van {rows_per_file} regels")
    return len(ids), found
