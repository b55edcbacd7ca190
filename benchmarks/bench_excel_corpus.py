"""Benchmark: herbereken and LibreOffice against the values Microsoft Excel stored, on the Excel corpus.

The corpus (``tests/excel_corpus/manifest.yaml``) is obtained from the package registries into a cache on the
first run. herbereken recalculates each workbook in memory; LibreOffice recalculates copies (forced full
recalculation, one run for all). Both are compared cell by cell with Excel's stored values; the rules for
"the same value" and for volatile cells are in ``tests/excel_corpus/scoring.py``.

    python benchmarks/bench_excel_corpus.py                       # table, goals, every difference; records its row
    python benchmarks/bench_excel_corpus.py --json result.json    # also the full result as JSON
    python benchmarks/bench_excel_corpus.py --zonder-libreoffice --max-per-oorzaak 3
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchmark_results import record  # noqa: E402 - needs the path above
from excel_corpus.causes import BY_DESIGN  # noqa: E402
from excel_corpus.obtain import CorpusFout, load_manifest, obtain  # noqa: E402
from excel_corpus.scoring import (  # noqa: E402
    CATEGORIES,
    CellResult,
    EngineScore,
    describe,
    score_herbereken,
    score_libreoffice,
    subjects,
    volatile_cells,
)

from jbjr_budget.formula_engine.libreoffice import find_soffice  # noqa: E402

GOAL_BUILT = 0.99
MISSING_FUNCTION = ("onbekende functie: ", "functie niet ondersteund: ", f"{BY_DESIGN}: ")


def percent(rate: float | None) -> str:
    """``0.8368`` as ``83,7%``, a rate just below 1 with two decimals (``99,97%``, never ``100,0%``); None a dash."""
    if rate is None:
        return "-"
    shown = f"{math.floor(rate * 10_000) / 100:5.2f}%" if 0.999 <= rate < 1 else f"{rate * 100:5.1f}%"
    return shown.replace(".", ",")


def print_table(herbereken: EngineScore, libreoffice: EngineScore | None) -> None:
    """One line per workbook, then totals per category and overall."""
    lo = {w.id: w for w in libreoffice.workbooks} if libreoffice else {}
    print(f"{'werkboek':34} {'categorie':17} {'cellen':>7} {'herbereken':>11} {'LibreOffice':>12}")
    print("(percentage = aandeel cellen gelijk aan Excel's opgeslagen waarde; totalen per cel, tussen haakjes het"
          " gemiddelde per werkboek)")
    for score in herbereken.workbooks:
        other = lo.get(score.id)
        print(f"{score.id:34} {score.category:17} {score.scored:7} {percent(score.rate):>11} "
              f"{percent(other.rate if other else None):>12}")
    print("-" * 85)
    for category in (*CATEGORIES, None):
        count = sum(1 for w in herbereken.workbooks if category is None or w.category == category)
        label = f"totaal {category or 'alles'} ({count} werkboeken)"
        matched, scored = herbereken.totals(category)
        lo_rate = percent(libreoffice.rate(category)) if libreoffice else "-"
        lo_mean = f"({percent(libreoffice.mean_rate(category)).strip()})" if libreoffice else ""
        print(f"{label:52} {scored:7} {percent(matched / scored if scored else 1.0):>11} {lo_rate:>12}")
        print(f"{'':60} ({percent(herbereken.mean_rate(category)).strip()}) {lo_mean:>12}")


def print_goals(herbereken: EngineScore, libreoffice: EngineScore | None) -> None:
    """The issue's goal line and whether it is met."""
    built, catalogue = herbereken.rate("gebouwd"), herbereken.rate("functiecatalogus")
    lo_built = "" if libreoffice is None else f", LibreOffice {percent(libreoffice.rate('gebouwd'))}"
    print("\nDoel: >= 99% gebouwd; >= LibreOffice op functiecatalogi")
    print(f"  gebouwd:          herbereken {percent(built)} (doel 99,0%){lo_built}"
          f" -> {'gehaald' if built >= GOAL_BUILT else 'niet gehaald'}")
    if libreoffice is None:
        print(f"  functiecatalogus: herbereken {percent(catalogue)}, LibreOffice niet gemeten")
        return
    lo_catalogue = libreoffice.rate("functiecatalogus")
    print(f"  functiecatalogus: herbereken {percent(catalogue)}, LibreOffice {percent(lo_catalogue)}"
          f" -> {'gehaald' if catalogue >= lo_catalogue else 'niet gehaald'}")


def record_row(herbereken: EngineScore, libreoffice: EngineScore) -> None:
    """The summary row in ``results.json``, from a run over the whole corpus with LibreOffice."""
    built, catalogue = herbereken.rate("gebouwd"), herbereken.rate("functiecatalogus")
    lo_built, lo_catalogue = libreoffice.rate("gebouwd"), libreoffice.rate("functiecatalogus")
    causes = herbereken.causes()
    left = ", ".join(f"{cause.split(': ', 1)[-1]} {count}" for cause, count in causes.most_common())
    books = {category: sum(w.category == category for w in herbereken.workbooks) for category in CATEGORIES}
    cells = {category: herbereken.totals(category)[1] for category in CATEGORIES}
    record("excel_corpus", script="benchmarks/bench_excel_corpus.py",
           what=f"herbereken and LibreOffice against the values Excel stored, {len(herbereken.workbooks)} "
                f"Excel-saved workbooks: gebouwd {books['gebouwd']} ({cells['gebouwd']:,} formula cells), "
                f"functiecatalogus {books['functiecatalogus']} ({cells['functiecatalogus']:,}) "
                "(`tests/excel_corpus`, obtained from the package registries), every difference with its cause",
           measured=f"herbereken {built:.2%} gebouwd, {catalogue:.2%} functiecatalogus; differing cells: "
                    f"{left or '-'}",
           goal=">= 99% gebouwd; >= LibreOffice on functiecatalogi",
           comparison=f"LibreOffice {lo_built:.2%} gebouwd, {lo_catalogue:.2%} functiecatalogus",
           met=built >= GOAL_BUILT and catalogue >= lo_catalogue)


def print_volatile(score: EngineScore) -> None:
    """Cells left out of the score because their value is one draw of many."""
    cells = [(w.id, cell) for w in score.workbooks for cell in w.volatile]
    books = sorted({book for book, _ in cells})
    print(f"\nVluchtig, niet geteld: {len(cells)} cellen in {len(books)} werkboek(en): {', '.join(books) or '-'}")


def print_causes(score: EngineScore) -> None:
    """Differing cells per cause: with the engine's own issue (direct) or through a cell they read."""
    direct: Counter[str] = Counter()
    inherited: Counter[str] = Counter()
    books: defaultdict[str, set[str]] = defaultdict(set)
    for workbook in score.workbooks:
        for cell in workbook.differences:
            (inherited if cell.inherited else direct)[cell.cause] += 1
            books[cell.cause].add(workbook.id)
    total = direct + inherited
    print(f"\nOorzaken van de verschillen van herbereken ({sum(total.values())} cellen)")
    print(f"{'oorzaak':78} {'direct':>7} {'doorwerking':>12} {'werkboeken':>11}")
    for cause, _ in total.most_common():
        print(f"{cause[:78]:78} {direct[cause]:7} {inherited[cause]:12} {len(books[cause]):11}")
    functions = {cause: n for cause, n in direct.items() if cause.startswith(MISSING_FUNCTION)}
    names = ", ".join(f"{cause.split(': ', 1)[1]} ({n})" for cause, n in Counter(functions).most_common())
    print(f"\nOntbrekende functies, naar aantal cellen die ze zelf aanroepen: {names or '-'}")


def print_differences(score: EngineScore, limit: int | None) -> None:
    """Every differing cell, grouped by cause (at most ``limit`` per cause when given)."""
    groups: defaultdict[str, list[tuple[str, CellResult]]] = defaultdict(list)
    for workbook in score.workbooks:
        for cell in workbook.differences:
            groups[cell.cause].append((workbook.id, cell))
    print("\nAlle verschillen van herbereken, per oorzaak (opgeslagen door Excel -> berekend)")
    for cause, cells in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"\n[{len(cells)}] {cause}")
        shown = cells if limit is None else cells[:limit]
        for book, cell in shown:
            via = " (doorwerking)" if cell.inherited else ""
            print(f"  {book} '{cell.sheet}'!{cell.address}: {describe(cell.stored)} -> {describe(cell.computed)}"
                  f"{via}  ={cell.formula[:90]}")
        if len(shown) < len(cells):
            print(f"  ... en nog {len(cells) - len(shown)}")


def print_extra_spills(score: EngineScore) -> None:
    """Cells herbereken spilled into where Excel has no array range (not in the rate)."""
    cells = [(w.id, cell) for w in score.workbooks for cell in w.extra_spills]
    if cells:
        print(f"\nOverloop buiten Excel's bereik (niet in het percentage): {len(cells)} cellen")
        for book, cell in cells[:20]:
            print(f"  {book} '{cell.sheet}'!{cell.address}: Excel {describe(cell.stored)}, "
                  f"herbereken {describe(cell.computed)}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="herbereken en LibreOffice tegen de waarden die Excel opsloeg")
    parser.add_argument("--json", type=Path, help="schrijf het volledige resultaat als JSON naar dit bestand")
    parser.add_argument("--zonder-libreoffice", action="store_true", help="meet alleen herbereken")
    parser.add_argument("--max-per-oorzaak", type=int, default=None, help="toon hoogstens N cellen per oorzaak")
    parser.add_argument("--alleen", nargs="+", metavar="ID", help="alleen deze werkboeken (id uit het manifest)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    manifest = load_manifest()
    try:
        paths = obtain(manifest, only=args.alleen)
    except CorpusFout as exc:
        print(f"Excel-corpus niet beschikbaar: {exc}", file=sys.stderr)
        return 2
    corpus = subjects(manifest, paths)
    start = time.perf_counter()
    herbereken = score_herbereken(corpus)
    herbereken_seconds = time.perf_counter() - start
    libreoffice, lo_seconds = None, 0.0
    if not args.zonder_libreoffice and find_soffice():
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="excel-corpus-lo-") as workdir:
            libreoffice = score_libreoffice(corpus, Path(workdir), volatile_cells(herbereken))
        lo_seconds = time.perf_counter() - start
    print_table(herbereken, libreoffice)
    print(f"\nTijd: herbereken {herbereken_seconds:.1f} s"
          + (f", LibreOffice {lo_seconds:.1f} s (één run, inclusief opstarten)" if libreoffice else
             ", LibreOffice niet gemeten"))
    print_goals(herbereken, libreoffice)
    print_volatile(herbereken)
    print_causes(herbereken)
    print_differences(herbereken, args.max_per_oorzaak)
    print_extra_spills(herbereken)
    if libreoffice is not None and not args.alleen:
        record_row(herbereken, libreoffice)
    if args.json:
        result = {"herbereken": herbereken.as_dict(), "libreoffice": libreoffice.as_dict() if libreoffice else None,
                  "workbooks": [{"id": e.id, "category": e.category, "archive": e.archive.key, "path": e.path}
                                for e in manifest.workbooks if e.id in paths]}
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
