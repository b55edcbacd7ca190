"""The ledger (grootboek): an embedded SQLite database of every accepted submission.

One transaction per file: a crash or kill mid-import leaves the whole file or
nothing. The same file (same hash) twice changes nothing; a corrected file for
the same GI, region and period becomes current and the earlier one stays in
the history. The schema is versioned (``PRAGMA user_version``) and migrated
by the numbered SQL files in ``migrations/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from jbjr_budget.errors import JbjrFout
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.validate import Submission
from jbjr_budget.rules.user_folder import user_data_folder

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENV_VAR", "TABLES", "Ledger", "Opslag", "default_ledger_path", "known_files", "migrations"]

ENV_VAR = "JBJR_GROOTBOEK"
Opslag = Literal["nieuw", "vervangen", "al_aanwezig"]
TABLES: dict[str, tuple[str, ...]] = {
    "volume": ("product", "gemeente", "stand_begin", "instroom", "uitstroom", "stand_einde", "gem_duur_maanden",
               "wachtenden", "gem_wachttijd_dagen"),
    "inspectie": ("gemeente", "zaken", "binnen_5_werkdagen", "binnen_6_weken", "binnen_3_maanden"),
    "personeel": ("fte", "caseload", "verloop_pct", "verzuim_pct", "vacatures", "instroom", "uitstroom"),
    "financien": ("omzet_centen", "kosten_centen", "resultaat_centen", "eigen_vermogen_centen",
                  "weerstandsvermogen_pct", "status"),
    "toelichting": ("sectie", "tekst"),
}
AANLEVERING = ("id", "bestand_hash", "gi", "regio", "periode", "sjabloonversie", "bronpad", "geimporteerd_op",
               "actueel", "regels")


def default_ledger_path() -> Path:
    """``$JBJR_GROOTBOEK``, else ``$XDG_DATA_HOME/jbjr_budget/grootboek.sqlite`` (``~/.local/share`` by default)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return user_data_folder() / "grootboek.sqlite"


def known_files(path: Path, hashes: set[str]) -> dict[str, tuple[str, str, str]]:
    """GI, region and period of every file hash in ``hashes`` that the ledger at ``path`` already holds.

    Read-only and short-lived, so it can run before worker processes start; a
    missing, new or unreadable ledger knows nothing (opening it for the import
    reports what is wrong).
    """
    if not hashes or not path.exists():
        return {}
    wanted = sorted(hashes)
    found: dict[str, tuple[str, str, str]] = {}
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)) as db:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = db.execute(f"SELECT bestand_hash, gi, regio, periode FROM aanlevering WHERE bestand_hash "
                                  f"IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
                found.update({str(h): (str(gi), str(regio), str(periode)) for h, gi, regio, periode in rows})
    except sqlite3.DatabaseError:
        return {}
    return found


def migrations() -> list[tuple[int, str]]:
    """The numbered migrations ``(version, sql)`` in order."""
    folder = resources.files("jbjr_budget.monitoring") / "migrations"
    found = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    return [(int(name.split("_", 1)[0]), (folder / name).read_text(encoding="utf-8")) for name in found]


class Ledger:
    """An open ledger; use as a context manager."""

    def __init__(self, path: Path) -> None:
        """Open (and create or migrate) the ledger at ``path``."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=60)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise JbjrFout(f"grootboek {path} kan niet worden geopend: {exc}") from None
        except OSError as exc:
            raise JbjrFout(f"grootboek {path} kan niet worden aangemaakt: {exc.strerror}") from None

    def __enter__(self) -> Ledger:
        """Return the open ledger."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Close the connection."""
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the database file."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        steps = migrations()
        latest = steps[-1][0]
        if self.schema_version > latest:
            raise JbjrFout(f"grootboek {self.path} heeft schemaversie {self.schema_version}; dit programma kent "
                           f"versie {latest}. Werk jbjr-budget bij.")
        for version, sql in steps:
            if self.schema_version >= version:
                continue
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;")
            except sqlite3.Error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if self.schema_version < version:  # not migrated meanwhile by a concurrent process
                    raise

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken immediately so concurrent importers queue up."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def store(self, submission: Submission) -> Opslag:
        """Store a valid submission in one transaction.

        Returns:
            ``nieuw``, ``vervangen`` (a correction; the earlier one stays in the
            history) or ``al_aanwezig`` (the same file was imported before).
        """
        key = (submission.gi, submission.regio, submission.periode)
        with self._transaction():
            if self.db.execute("SELECT 1 FROM aanlevering WHERE bestand_hash = ?",
                               (submission.bestand_hash,)).fetchone():
                return "al_aanwezig"
            replaced = self.db.execute(
                "UPDATE aanlevering SET actueel = 0 WHERE gi = ? AND regio = ? AND periode = ? AND actueel = 1", key
            ).rowcount
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            regels = sum(len(rows) for rows in submission.rows.values())
            cursor = self.db.execute(
                "INSERT INTO aanlevering (bestand_hash, gi, regio, periode, sjabloonversie, bronpad, "
                "geimporteerd_op, actueel, regels) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (submission.bestand_hash, *key, submission.versie, submission.source, now, regels),
            )
            for table, columns in TABLES.items():
                sql = (f"INSERT INTO {table} (aanlevering_id, {', '.join(columns)}) "
                       f"VALUES (?{', ?' * len(columns)})")
                self.db.executemany(sql, [(cursor.lastrowid, *(row.get(c) for c in columns))
                                          for row in submission.rows.get(table, [])])
        return "vervangen" if replaced else "nieuw"

    def previous_stock(self, gi: str, regio: str, periode: Periode) -> dict[tuple[str, str], int]:
        """Stock at the end of the period before ``periode`` per (product, municipality), from current data."""
        rows = self.db.execute(
            "SELECT product, gemeente, stand_einde FROM actueel_volume WHERE gi = ? AND regio = ? AND periode = ?",
            (gi, regio, periode.previous().code),
        ).fetchall()
        return {(str(product), str(gemeente)): int(stock) for product, gemeente, stock in rows}

    def submissions(self, only_current: bool = False) -> pd.DataFrame:
        """Every submission (or only the current ones) with its provenance."""
        where = " WHERE actueel = 1" if only_current else ""
        return self._frame(f"SELECT {', '.join(AANLEVERING)} FROM aanlevering{where} ORDER BY id")

    def current(self, table: str) -> pd.DataFrame:
        """Current figures of one table, with GI, region and period."""
        if table not in TABLES:
            raise JbjrFout(f"onbekende tabel {table}")
        return self._frame(f"SELECT * FROM actueel_{table}")

    def history(self, table: str) -> pd.DataFrame:
        """All figures of one table, including superseded submissions."""
        if table not in TABLES:
            raise JbjrFout(f"onbekende tabel {table}")
        return self._frame(f"SELECT * FROM {table} ORDER BY aanlevering_id")

    def _frame(self, sql: str) -> pd.DataFrame:
        import pandas as pd  # noqa: PLC0415 - the importer itself never needs pandas; loading it costs seconds

        cursor = self.db.execute(sql)
        return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])
