"""Benchmark: import 500 filled monitoring templates into a fresh ledger, then import them again.

Generates 500 distinct filled templates (every NW4 GI x region, monthly
periods from 2023 on; consistent figures, so every file is accepted), then
times ``import_files`` on the folder: strict validation in a process pool,
one transaction per file into SQLite. A second import of the same folder
(every file already in the ledger, answered from its hash) is timed too.
Each run starts from a fresh ledger; min/median/max over the runs.
Goals on the 2-core reference machine: first import >= 50 files/s,
re-import >= 500 files/s.

Run: python benchmarks/bench_import.py [--processen N] [--herhalingen R]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from benchmark_results import record, spread

from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import Layout, build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import load_catalog
from jbjr_budget.writers.template_workbook import CellValues, write_template

FILES = 500
GOAL_FIRST = 50.0
GOAL_AGAIN = 500.0
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


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the validation workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rates(folder: Path, runs: int, processes: int | None) -> tuple[list[float], list[float], list[float]]:
    """Files per second of a first import into a fresh ledger and of a second import, and CPU ms per file."""
    first, again, cpu = [], [], []
    for run in range(runs):
        ledger = folder.parent / f"grootboek_{run}.sqlite"
        start, start_cpu = time.perf_counter(), _cpu_seconds()
        outcomes = import_files([folder], ledger, processes=processes)
        first.append(len(outcomes) / (time.perf_counter() - start))
        cpu.append((_cpu_seconds() - start_cpu) / len(outcomes) * 1000)
        if sum(o.status == "nieuw" for o in outcomes) != FILES:
            raise SystemExit(f"niet alle bestanden aangenomen: {[o.issues for o in outcomes if o.issues][:3]}")
        start = time.perf_counter()
        repeated = import_files([folder], ledger, processes=processes)
        again.append(len(repeated) / (time.perf_counter() - start))
        if any(o.status != "al_aanwezig" for o in repeated):
            raise SystemExit("tweede import: niet alles als al ingelezen herkend")
    return first, again, cpu


def _line(what: str, rates: list[float], goal: float) -> str:
    verdict = "gehaald" if statistics.median(rates) >= goal else "NIET gehaald"
    return (f"{what}: min {min(rates):.0f} / mediaan {statistics.median(rates):.0f} / max {max(rates):.0f} "
            f"bestanden/s; doel >= {goal:.0f}: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processen", type=int, default=None)
    parser.add_argument("--herhalingen", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "aanleveringen"
        folder.mkdir()
        start = time.perf_counter()
        generate(folder)
        print(f"{FILES} ingevulde sjablonen gemaakt in {time.perf_counter() - start:.1f} s; "
              f"{os.cpu_count()} cores, processen: {args.processen or os.cpu_count()}, "
              f"{args.herhalingen} herhalingen")
        first, again, cpu = _rates(folder, args.herhalingen, args.processen)
        print(_line("Eerste import (leeg grootboek)", first, GOAL_FIRST))
        cores = min(os.cpu_count() or 1, args.processen or os.cpu_count() or 1)
        capacity = cores * 1000 / statistics.median(cpu)
        print(f"  CPU per bestand (hoofdproces en werkprocessen): min {min(cpu):.1f} / mediaan "
              f"{statistics.median(cpu):.1f} / max {max(cpu):.1f} ms; op {cores} vrije cores hoogstens "
              f"{capacity:.0f} bestanden/s (de meting hierboven deelt de cores met "
              f"wat er verder draait: load {os.getloadavg()[0]:.1f})")
        print(_line("Tweede import (alles al ingelezen)", again, GOAL_AGAIN))
        record("import", script="benchmarks/bench_import.py",
               what=f"import {FILES} filled templates into a fresh ledger, then the same files again "
                    f"({args.herhalingen} fresh ledgers, {cores} processes)",
               measured=f"first {spread(first, 'files/s', 1, 0)}; again {spread(again, 'files/s', 1, 0)}",
               goal=f"first >= {GOAL_FIRST:.0f} files/s; again >= {GOAL_AGAIN:.0f} files/s",
               comparison=f"CPU {spread(cpu, 'ms', 1, 1)} a file, so at most {capacity:.0f} files/s on {cores} free "
                          "cores; with openpyxl 56 ms a file (14-18 files/s), a re-import as slow as the first",
               met=statistics.median(first) >= GOAL_FIRST and statistics.median(again) >= GOAL_AGAIN)


if __name__ == "__main__":
    main()
