"""Benchmark: the national budget, 342 municipalities x all products x 5 years x 3 scenarios.

Goal: median <= 50 ms for the computation on the 2-core reference machine, parameters loaded:
budget lines of every scenario (integer cents in numpy) plus the totals per municipality, region and
year. Every run gets freshly loaded parameter trees (loading is not timed), so nothing a tree keeps
from an earlier run helps. The goal is judged on the process's CPU time, which other work on a shared
machine does not inflate; the wall-clock figures are printed beside it. Comparison: the same budget
worked out line by line in Decimal from the rules (the reference of ``tests/budget_reference.py``),
which must give every line to the cent.

    python benchmarks/bench_national.py --herhalingen 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmark_results import record, spread

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from budget_reference import (
    NATIONAL_SCENARIOS,
    NATIONAL_YEARS,
    national_catalog,
    reference_lines,
    youth_overlay,
)

from jbjr_budget.rules.budget_lines import BudgetLines, budget_lines
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.scenarios import load_scenario

GOAL_SECONDS = 0.050


def compute(trees: list[ParameterTree], catalog: Catalog) -> list[BudgetLines]:
    """What is timed: every scenario's lines and their totals per municipality, region and year."""
    tables = []
    for tree in trees:
        lines = budget_lines(tree, catalog, list(catalog.regios), NATIONAL_YEARS)
        for level in (("gemeente", "jaar"), ("regio", "jaar"), ("jaar",)):
            lines.sum_by(*level)  # type: ignore[arg-type]
        tables.append(lines)
    return tables


def equal_to_reference(trees: list[ParameterTree], catalog: Catalog, tables: list[BudgetLines]) -> tuple[bool, float]:
    """Whether every line equals the Decimal reference to the cent, and the reference's CPU time for all scenarios."""
    start, equal = time.process_time(), True
    for tree, lines in zip(trees, tables, strict=True):
        reference = reference_lines(tree, catalog, list(catalog.regios), NATIONAL_YEARS)
        ours = {(r.regio, r.gemeente, r.product, r.jaar): (r.tarief_centen, r.bedrag_centen)
                for r in lines.frame().itertuples()}
        equal &= len(ours) == len(reference) and all(
            ours[key] == (t * 100, a * 100) for key, (_, t, a) in reference.items())
    return equal, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=15)
    args = parser.parse_args()
    catalog = national_catalog(load_catalog())
    with tempfile.TemporaryDirectory() as folder:
        overlay = youth_overlay(Path(folder))
        wall, cpu = [], []
        for _ in range(args.herhalingen):
            trees = [load_scenario(name, [overlay]) for name in NATIONAL_SCENARIOS]
            start, start_cpu = time.perf_counter(), time.process_time()
            tables = compute(trees, catalog)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        trees = [load_scenario(name, [overlay]) for name in NATIONAL_SCENARIOS]
        equal, reference_seconds = equal_to_reference(trees, catalog, compute(trees, catalog))
    lines = sum(len(t) for t in tables)
    median = statistics.median(cpu)
    print(f"Landelijke schaal: {len(catalog.gemeenten())} gemeenten x {len(catalog.producten)} producten x "
          f"{len(NATIONAL_YEARS)} jaren x {len(NATIONAL_SCENARIOS)} scenario's = {lines:,} begrotingsregels")
    print(f"Doel: mediaan <= {GOAL_SECONDS * 1000:.0f} ms voor de berekening (parameters geladen)")
    print(f"Berekening, CPU min/mediaan/max: {spread(cpu)}; wandklok: {spread(wall)} ({args.herhalingen} runs, "
          f"load {os.getloadavg()[0]:.1f} op {os.cpu_count()} cores)")
    print(f"Decimal-referentie per regel: {reference_seconds:.2f} s CPU, {reference_seconds / median:.0f}x zo lang; "
          f"elke regel gelijk tot op de cent: {'ja' if equal else 'NEE'}")
    met = median <= GOAL_SECONDS and equal
    print(f"Doel {'gehaald' if met else 'NIET gehaald'}")
    record("national", script="benchmarks/bench_national.py",
           what=f"national budget: {len(catalog.gemeenten())} municipalities x {len(catalog.producten)} products x "
                f"{len(NATIONAL_YEARS)} years x {len(NATIONAL_SCENARIOS)} scenarios = {lines:,} lines, plus totals; "
                "parameters loaded", measured=f"CPU {spread(cpu)} (wall {spread(wall)})",
           goal=f"median <= {GOAL_SECONDS * 1000:.0f} ms CPU",
           comparison=f"Decimal reference per line {reference_seconds:.2f} s CPU ({reference_seconds / median:.0f}x); "
                      f"every line equal to the cent: {'yes' if equal else 'NO'}", met=met)


if __name__ == "__main__":
    main()
