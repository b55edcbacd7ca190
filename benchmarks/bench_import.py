"""Benchmark: import 500 filled monitoring templates into a fresh ledger.

Generates 500 distinct filled templates (every NW4 GI x region, monthly
periods from 2023 on; consistent figures, so every file is accepted), then
times ``import_files`` on the folder: strict validation in a process pool,
one transaction per file into SQLite. A second run of the same folder (every
file already in the ledger) is timed too.
Target: the first import under 60 seconds on the 2-core reference machine.

Run: python benchmarks/bench_import.py [--processen N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import tempfile
import time
from pathlib import Path

from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import Layout, build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import load_catalog
from jbjr_budget.writers.template_workbook import CellValues, write_template

FILES = 500
TARGET_SECONDS = 60.0
FORM = {"fte": 20.5, "caseload": 14.2, "verloop_pct": 12.0, "verzuim_pct": 6.5, "vacatures": 1.5, "instroom": 2,
        "uitstroom": 3, "omzet_centen": 500000.25, "kosten_centen": 480000.0, "resultaat_centen": 20000.25,
        "eigen_vermogen_centen": 75000.0, "weerstandsvermogen_pct": 4.2, "status": "Definitief"}


def filled_values(layout: Layout, seed: int) -> CellValues:
    """Consistent figures for every input cell: stocks balance, norm counts never exceed cases."""
    rng = random.Random(seed)
    values: dict[tuple[str, str], object] = {}
    rows: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, tuple[str, str]]] = {}
    for field in layout.fields():
        rows.setdefault((field.table, field.keys), {})[field.column] = (field.sheet, field.cell)
    for (table, _), cells in rows.items():
        if table == "volume":
            begin, inflow = rng.randint(0, 50), rng.randint(0, 10)
            outflow = rng.randint(0, begin + inflow)
            for column, value in (("stand_begin", begin), ("instroom", inflow), ("uitstroom", outflow),
                                  ("stand_einde", begin + inflow - outflow), ("gem_duur_maanden", 9.5)):
                values[cells[column]] = value
        elif table == "inspectie":
            cases = rng.randint(0, 25)
            values.update({cell: cases if column == "zaken" else rng.randint(0, cases)
                           for column, cell in cells.items()})
        elif table == "toelichting":
            values[cells["tekst"]] = "Geen bijzonderheden."
        else:
            values.update({cell: FORM[column] for column, cell in cells.items()})
    return values


def _write(job: tuple[str, str, str, int, Path]) -> None:
    gi, regio, code, seed, folder = job
    layout = build_layout(load_catalog(), gi, regio, Periode.parse(code))
    write_template(layout, folder / template_name(gi, regio, layout.periode), filled_values(layout, seed))


def generate(folder: Path) -> None:
    catalog = load_catalog()
    pairs = [(gi, regio.key) for regio in catalog.contract_regios("nw4") for gi in regio.gis]
    months = [f"{2023 + m // 12}-M{m % 12 + 1:02d}" for m in range(FILES // len(pairs) + 1)]
    jobs = [(gi, regio, code, i, folder) for i, (code, (gi, regio)) in
            enumerate((c, p) for c in months for p in pairs)][:FILES]
    with multiprocessing.get_context("fork").Pool() as pool:
        pool.map(_write, jobs, chunksize=8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processen", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, ledger = Path(tmp) / "aanleveringen", Path(tmp) / "grootboek.sqlite"
        folder.mkdir()
        start = time.perf_counter()
        generate(folder)
        print(f"{FILES} ingevulde sjablonen gemaakt in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        outcomes = import_files([folder], ledger, processes=args.processen)
        seconds = time.perf_counter() - start
        accepted = sum(o.status == "nieuw" for o in outcomes)
        print(f"Import: {accepted}/{len(outcomes)} aangenomen in {seconds:.1f} s "
              f"({len(outcomes) / seconds:.1f} bestanden/s, {os.cpu_count()} cores, "
              f"processen: {args.processen or os.cpu_count()})")
        start = time.perf_counter()
        again = import_files([folder], ledger, processes=args.processen)
        print(f"Tweede import (alles al ingelezen): {sum(o.status == 'al_aanwezig' for o in again)} bestanden in "
              f"{time.perf_counter() - start:.1f} s")
        print(f"Doel: onder {TARGET_SECONDS:.0f} s: {'gehaald' if seconds < TARGET_SECONDS else 'NIET gehaald'}")
        if accepted != FILES:
            raise SystemExit("niet alle bestanden aangenomen")


if __name__ == "__main__":
    main()
