"""Benchmark: a national-scale budget, 342 municipalities x all products x 5 years x 3 scenarios.

Builds a synthetic catalogue (every municipality in one of 42 regions buying
all 15 products) with youth counts as a parameter overlay, then times the full
computation: loading the three scenario parameter trees, then budget lines
for every scenario plus totals per municipality, region and year.
Target: loading plus the slowest computation run under 1 second on the
2-core reference machine.

Run: python benchmarks/bench_national.py
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from jbjr_budget.rules.budget_lines import budget_lines, budget_totals
from jbjr_budget.rules.catalog import Catalog, Gemeente, Regio, load_catalog
from jbjr_budget.rules.scenarios import load_scenario

MUNICIPALITIES, REGIONS, YEARS = 342, 42, list(range(2026, 2031))
SCENARIOS = ["basis", "doelpad_min20", "caseload_15"]
TARGET_SECONDS = 1.0


def national_catalog(base: Catalog) -> Catalog:
    """342 synthetic municipalities spread over 42 regions, each buying every product."""
    products = tuple(base.producten)
    regios = {}
    for r in range(REGIONS):
        key = f"regio_{r:02d}"
        members = tuple(Gemeente(f"gemeente_{g:03d}", f"Gemeente {g}", key)
                        for g in range(MUNICIPALITIES) if g % REGIONS == r)
        regios[key] = Regio(key, f"Regio {r}", "landelijk", ("jgb",), members, products)
    return replace(base, regios=regios)


def youth_overlay(folder: Path) -> Path:
    """Parameter overlay with a youth count for every synthetic municipality."""
    lines = ["bevolking:", "  jeugdigen_0_17:"]
    for g in range(MUNICIPALITIES):
        lines += [f"    gemeente_{g:03d}:", "      metadata: {unit: jeugdigen, reference: benchmark}",
                  "      values:", f"        2024-01-01: {{value: {2000 + 97 * g}, reference: benchmark}}"]
    path = folder / "jeugdigen.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    catalog = national_catalog(load_catalog())
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        trees = {name: load_scenario(name, [youth_overlay(Path(folder))]) for name in SCENARIOS}
        loaded = time.perf_counter() - started
    regios = list(catalog.regios)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        rows = 0
        for tree in trees.values():
            lines = budget_lines(tree, catalog, regios, YEARS)
            for level in (["gemeente", "jaar"], ["regio", "jaar"], ["jaar"]):
                budget_totals(lines, level)
            rows += len(lines)
        timings.append(time.perf_counter() - started)
    best, worst = min(timings), max(timings)
    print(f"Landelijke schaal: {MUNICIPALITIES} gemeenten x {len(catalog.producten)} producten x "
          f"{len(YEARS)} jaren x {len(SCENARIOS)} scenario's = {rows} begrotingsregels")
    print(f"Parameters laden (eenmalig): {loaded:.3f} s")
    print(f"Berekening: beste {best:.3f} s, slechtste {worst:.3f} s over {len(timings)} runs")
    total = loaded + worst
    print(f"Volledige berekening inclusief laden (slechtste run): {total:.3f} s "
          f"(doel < {TARGET_SECONDS:.1f} s: {'gehaald' if total < TARGET_SECONDS else 'NIET gehaald'})")


if __name__ == "__main__":
    main()
