"""Kill ``jbjr-budget importeer`` with SIGKILL at random moments, many times: the ledger must stay whole.

Each run imports a folder of 36 filled templates into a fresh ledger (alternately with one process and with a
pool of two) and kills the whole process group mid-import: once a random number of files is stored, after a
random delay of up to 50 ms (so also inside a transaction). After
every kill: SQLite's integrity check, no rows without their submission, every submission with all its rows.
After the last kill a re-run on that ledger must complete the import.

Goal: 0 integrity failures and 0 half-imported files over ``--kills`` kills (default 100).

Run: python benchmarks/kill_import.py [--kills N]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchmark_results import record  # noqa: E402
from monitoring_cases.fill import typed_values  # noqa: E402
from monitoring_cases.ledger_check import problems, submissions  # noqa: E402

from jbjr_budget.monitoring.layout import build_layout, template_name  # noqa: E402
from jbjr_budget.monitoring.periode import Periode  # noqa: E402
from jbjr_budget.rules.catalog import load_catalog  # noqa: E402
from jbjr_budget.writers.template_workbook import write_template  # noqa: E402

FILES = 36
CLI = "import sys; from jbjr_budget.cli import main; sys.exit(main(sys.argv[1:]))"


def _folder(root: Path) -> int:
    """Write the templates; returns the ledger rows one file makes."""
    catalog = load_catalog()
    for i in range(FILES):
        periode = Periode.parse(f"{2024 + i // 12}-M{i % 12 + 1:02d}")
        layout = build_layout(catalog, "ljr", "ijmond", periode)
        write_template(layout, root / template_name("ljr", "ijmond", periode), typed_values(layout, i))
    regio = catalog.regio("ijmond")
    return (len(regio.producten) + 1) * len(regio.gemeenten) + len(regio.gemeenten) + 1 + 1 + 5


def _import(folder: Path, ledger: Path, processes: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CLI, "importeer", str(folder), "--grootboek", str(ledger),
                             "--processen", str(processes)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "aanleveringen"
        rows_per_file = _folder(folder)
        start = time.perf_counter()
        _import(folder, Path(tmp) / "volledig.sqlite", 2).wait()
        full = time.perf_counter() - start
        failures, stored, ledger = [], [], Path()
        for kill in range(args.kills):
            ledger = Path(tmp) / f"grootboek_{kill}.sqlite"
            process = _import(folder, ledger, 1 + kill % 2)
            target, deadline = rng.randint(1, FILES - 1), time.monotonic() + 10 * full
            while submissions(ledger) < target and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            count, wrong = problems(ledger, rows_per_file)
            stored.append(count)
            failures += [f"kill {kill}: {w}" for w in wrong]
        rerun = subprocess.run([sys.executable, "-c", CLI, "importeer", str(folder), "--grootboek", str(ledger)],
                               capture_output=True, check=False)
        final, wrong = problems(ledger, rows_per_file)
        print(f"Volledige import van {FILES} bestanden: {full:.1f} s; {args.kills} keer gestopt met SIGKILL, "
              f"daarna {min(stored)}..{max(stored)} aanleveringen in het grootboek "
              f"({sum(0 < s < FILES for s in stored)} keer midden in de import)")
        print(f"Integriteitsfouten en half ingelezen bestanden: {len(failures)}; doel 0: "
              f"{'gehaald' if not failures else 'NIET gehaald'}")
        for failure in failures[:10]:
            print(f"  {failure}")
        print(f"Opnieuw starten na de laatste kill: exitcode {rerun.returncode}, {final} van {FILES} aanleveringen, "
              f"{len(wrong)} fouten")
        middle = sum(0 < s < FILES for s in stored)
        record("import_kill", script="benchmarks/kill_import.py",
               what=f"SIGKILL `importeer` (whole process group) {args.kills} times mid-import of {FILES} files, "
                    "1 or 2 processes, fresh ledger each time",
               measured=f"{len(failures)} integrity failures or half-imported files; {middle} kills mid-import",
               goal="0 failures; a re-run completes the import",
               comparison=f"re-run after the last kill: exit {rerun.returncode}, {final}/{FILES} files, "
                          f"{len(wrong)} failures",
               met=not failures and not wrong and final == FILES)


if __name__ == "__main__":
    main()
