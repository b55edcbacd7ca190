"""Benchmark: every worksheet function (UDF) called in-process, as Excel or herbereken calls it.

Goal: median <= 1 ms per call for every function, including JBJR_BEGROTINGSTABEL for the four NW4
regions and JBJR_MONTECARLO at its default 10,000 runs. Each function is measured twice: uncached
(the kept results are forgotten before every call; the parameter trees stay loaded) and cached (the
same call again, as Excel's recalculation makes it); the verdict says which of the two meets the goal.
Apart from that: the first call of a fresh process (imports and the parameter tree from its compiled
form), and what importing the UDFs costs with and without the xlwings decorators.

    python benchmarks/bench_udfs.py --herhalingen 50
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from benchmark_results import record, spread

from udfs import EXCEL_FUNCTIONS, SPECS, cache

GOAL = 0.001
YEARS = [[2026, 2027, 2028, 2029, 2030]]
NW4 = [["alkmaar"], ["ijmond"], ["kop_van_noord_holland"], ["zuid_kennemerland"]]
CALLS: dict[str, list[object]] = {
    "JBJR_TARIEF": ["48A04", 2026.0],
    "JBJR_INDEXPERCENTAGE": [2025.0],
    "JBJR_INDEXFACTOR": [2024.0, 2026.0],
    "JBJR_GEINDEXEERD": [1000.0, 2024.0, 2026.0],
    "JBJR_PARAMETER": ["normen.caseload.gehanteerd", 2026.0],
    "JBJR_KOSTPRIJS": ["48A04", 2026.0, 15.0],
    "JBJR_DEKKINGSGAT": [1600.0, 1500.5],
    "JBJR_FTE": [120.0, 12.0],
    "JBJR_VOLUMEPAD": [100.0, 0.2, "1-1-2022", "31-12-2026", YEARS],
    "JBJR_DEELJAAR": [2026.0, "1-7-2026"],
    "JBJR_BEGROTING": [10.0, "48A04", 1500.0, 2026.0, "1-7-2026"],
    "JBJR_BEGROTINGSTABEL": [NW4, YEARS],
    "JBJR_RESERVEPAD": [YEARS, [[1e6, 1.1e6, 1.2e6, 1.2e6, 1.2e6]], [[1e6] * 5], 0.0, 0.02, 0.1],
    "JBJR_MONTECARLO": [YEARS, 1e6, 1e6, 0.0, 0.02, 0.1, 0.05, 0.03],
    "JBJR_NCW": [0.025, [[-100.0, 50.0, 60.0]]],
    "JBJR_TERUGVERDIENTIJD": [[[-100.0, 50.0, 60.0]]],
    "JBJR_WERKKAPITAAL": [12_000_000.0, 2.5],
    "JBJR_VOORBEELDEN": [2026.0],
}


def timings(function: Callable[..., object], args: list[object], repeats: int) -> tuple[list[float], list[float]]:
    """Seconds per call without and with the kept result."""
    uncached, cached = [], []
    for _ in range(repeats):
        cache.new_generation()
        start = time.perf_counter()
        result = function(*args)
        uncached.append(time.perf_counter() - start)
        start = time.perf_counter()
        function(*args)
        cached.append(time.perf_counter() - start)
    if str(result).startswith("#JBJR!"):
        raise SystemExit(f"{function.__name__}: {result}")
    return uncached, cached


def in_fresh_process(code: str, repeats: int) -> list[float]:
    """CPU seconds a fresh process spends in ``code`` (imports included), as it measures itself."""
    timer = f"import time; s = time.process_time(); {code}; print(time.process_time() - s)"
    return [float(subprocess.run([sys.executable, "-c", timer], capture_output=True, text=True, check=True)
                  .stdout.split()[-1]) for _ in range(repeats)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=50)
    args = parser.parse_args()
    if set(CALLS) != set(SPECS):
        raise SystemExit(f"geen meting voor: {sorted(set(SPECS) - set(CALLS))}")
    print(f"Doel: mediaan <= {GOAL * 1000:.0f} ms per aanroep; {args.herhalingen} aanroepen per functie")
    print(f"{'functie':<24} {'zonder bewaard resultaat (min/med/max)':>40} {'bewaard':>30}  doel")
    worst_uncached, worst_cached, verdicts = ("", 0.0), ("", 0.0), []
    for name, call in CALLS.items():
        EXCEL_FUNCTIONS[name](*call)  # trees loaded, as in a running session
        uncached, cached = timings(EXCEL_FUNCTIONS[name], call, args.herhalingen)
        u, c = statistics.median(uncached), statistics.median(cached)
        verdict = "gehaald" if u <= GOAL else ("gehaald met bewaard resultaat" if c <= GOAL else "NIET gehaald")
        verdicts.append(c <= GOAL)
        worst_uncached = max(worst_uncached, (name, u), key=lambda x: x[1])
        worst_cached = max(worst_cached, (name, c), key=lambda x: x[1])
        print(f"{name:<24} {spread(uncached, digits=3):>40} {spread(cached, digits=4):>30}  {verdict}")
    first = in_fresh_process("import udfs; udfs.EXCEL_FUNCTIONS['JBJR_TARIEF']('48A04', 2026)", 5)
    plain = in_fresh_process("import udfs", 5)
    excel = in_fresh_process("import udfs.excel_functions", 5)
    print(f"\nEerste aanroep in een nieuw proces (imports en parameters), CPU: {spread(first)}")
    print(f"Import van de functies, CPU: {spread(plain)}; met de xlwings-decorators (wat Excel laadt): {spread(excel)}")
    met = all(verdicts)
    record("udfs", script="benchmarks/bench_udfs.py",
           what=f"every UDF in-process ({len(CALLS)}), JBJR_BEGROTINGSTABEL for the 4 NW4 regions x 5 years, "
                "JBJR_MONTECARLO at 10,000 runs; median per call",
           measured=f"cached: slowest {worst_cached[0]} {worst_cached[1] * 1000:.3f} ms; uncached: slowest "
                    f"{worst_uncached[0]} {worst_uncached[1] * 1000:.2f} ms; first call of a process "
                    f"{spread(first)} CPU; import without / with xlwings {statistics.median(plain) * 1000:.0f} / "
                    f"{statistics.median(excel) * 1000:.0f} ms",
           goal="median <= 1 ms per call (cached or not: see measured)",
           comparison="uncached = kept results forgotten before each call, parameter trees loaded",
           met=met)
    print(f"\nDoel {'gehaald (met bewaarde resultaten waar nodig)' if met else 'NIET gehaald'}")


if __name__ == "__main__":
    main()
