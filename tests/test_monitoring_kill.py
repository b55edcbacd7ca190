"""Killing an import part-way through a batch leaves a consistent ledger; a re-run completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from monitoring_cases.fill import typed_values
from monitoring_cases.ledger_check import problems, submissions

from jbjr_budget.cli import main
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template

FILES = 36
CLI = "import sys; from jbjr_budget.cli import main; sys.exit(main(sys.argv[1:]))"


def _assert_consistent(db_path: Path, rows_per_file: int) -> int:
    stored, wrong = problems(db_path, rows_per_file)
    assert wrong == []
    return stored


def test_killed_import_leaves_whole_files_and_a_rerun_completes(tmp_path: Path, catalog: Catalog) -> None:
    folder, db_path = tmp_path / "aanleveringen", tmp_path / "gb.sqlite"
    periods = [Periode.parse(f"{2024 + i // 12}-M{i % 12 + 1:02d}") for i in range(FILES)]
    for i, periode in enumerate(periods):
        layout = build_layout(catalog, "ljr", "ijmond", periode)
        write_template(layout, folder / template_name("ljr", "ijmond", periode), typed_values(layout, i))
    regio = catalog.regio("ijmond")
    rows_per_file = (len(regio.producten) + 1) * len(regio.gemeenten) + len(regio.gemeenten) + 1 + 1 + 5

    process = subprocess.Popen([sys.executable, "-c", CLI, "importeer", str(folder), "--grootboek", str(db_path),
                                "--processen", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while submissions(db_path) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    imported = _assert_consistent(db_path, rows_per_file)
    assert 3 <= imported < FILES

    assert main(["importeer", str(folder), "--grootboek", str(db_path), "--processen", "1"]) == 0
    assert _assert_consistent(db_path, rows_per_file) == FILES
    with sqlite3.connect(db_path) as db:
        stored = {row[0] for row in db.execute("SELECT periode FROM aanlevering WHERE actueel = 1")}
    assert stored == {p.code for p in periods}
