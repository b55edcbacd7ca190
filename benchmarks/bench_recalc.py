"""Benchmark: ``herbereken`` against LibreOffice headless (forced full recalculation), as whole processes.

Both are timed the way a CI job calls them: a fresh process per run, LibreOffice with a fresh
throwaway profile. Three cases, each with its goal: start-up (a small workbook without JBJR
functions: under 150 ms), one workbook (at least 5x faster than LibreOffice) and a batch of 50
workbooks in one call (at least 6x). LibreOffice gets a copy of each workbook with the JBJR cells
replaced by their values (it does not know them). Every case prints min/median/max wall time and, for
herbereken, the median processor time, which a busy machine inflates far less.

    python benchmarks/bench_recalc.py                      # the controller workbook
    python benchmarks/bench_recalc.py workbooks/jbjr_begroting.xlsm --aantal 50 --herhalingen 5

The default is the controller workbook ``workbooks/jbjr_begroting.xlsm`` (~130 formulas, nearly all JBJR
calls, ~8,900 cells with results: spilled tables); ``--gegenereerd`` (or a missing controller workbook)
uses a generated budget workbook with ~2,100 formulas on five sheets and 65 JBJR calls.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark_results import record, spread
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from jbjr_budget.formula_engine import read_book
from jbjr_budget.formula_engine.libreoffice import find_soffice, recalculate_with_libreoffice

ROOT = Path(__file__).resolve().parent.parent
CONTROLLER = ROOT / "workbooks" / "jbjr_begroting.xlsm"
CODES = ["48A04", "48A05", "48A06", "47A01", "47A02", "47A03", "47A04", "47A05", "4711", "48A10"]
YEARS = [2026, 2027, 2028, 2029, 2030]
GEMEENTEN = [f"Gemeente {i:02d}" for i in range(1, 21)]


def generate(path: Path, seed: int = 0) -> Path:
    """A controller-like budget workbook: JBJR tariffs, volumes, a budget per line and summaries."""
    wb = Workbook()
    tarieven = wb.active
    tarieven.title = "Tarieven"
    tarieven.append(["Product", *YEARS])
    for row, code in enumerate(CODES, start=2):
        tarieven.append([code, *[f"=JBJR_TARIEF($A{row},{col}$1)" for col in "BCDEF"]])
    tarieven.append(["Index", *[f"=JBJR_INDEXPERCENTAGE({col}$1)" for col in "BCDEF"]])
    tarieven.append(["1.000 van 2024", *[f"=JBJR_GEINDEXEERD(1000,2024,{col}$1)" for col in "BCDEF"]])
    volumes = wb.create_sheet("Volumes")
    volumes.append(["Gemeente", "Product", *YEARS])
    for index in range(len(GEMEENTEN) * len(CODES)):
        base = (index * 37 + seed * 11) % 60 + 1
        volumes.append([GEMEENTEN[index // len(CODES)], CODES[index % len(CODES)],
                        *[float(base - year_index * (index % 3)) for year_index in range(len(YEARS))]])
    begroting = wb.create_sheet("Begroting")
    begroting.append(["Gemeente", "Product", *YEARS, "Totaal", "Klasse"])
    for row in range(2, len(GEMEENTEN) * len(CODES) + 2):
        begroting.append([f"=Volumes!A{row}", f"=Volumes!B{row}", *[
            f"=ROUND(Volumes!{col}{row}*INDEX(Tarieven!$B$2:$F$11,MATCH($B{row},Tarieven!$A$2:$A$11,0),"
            f"COLUMN()-2),2)" for col in "CDEFG"], f"=SUM(C{row}:G{row})",
            f'=IF(H{row}>1000000,"hoog",IF(H{row}>250000,"midden","laag"))'])
    samenvatting = wb.create_sheet("Samenvatting")
    samenvatting.append(["Gemeente", *YEARS, "Totaal", "Groei", "Aandeel"])
    for row, gemeente in enumerate(GEMEENTEN, start=2):
        samenvatting.append([gemeente, *[f"=SUMIFS(Begroting!{col}:{col},Begroting!$A:$A,$A{row})" for col in "CDEFG"],
                             f"=SUM(B{row}:F{row})", f"=IFERROR(F{row}/B{row}-1,0)", f"=ROUND(G{row}/$G$23,4)"])
    samenvatting.append(["Regio", *[f"=SUM({col}2:{col}21)" for col in "BCDEFGH"]])
    per_product = wb.create_sheet("PerProduct")
    per_product.append(["Product", *YEARS, "Gem. tarief", "Hoogste"])
    for row, code in enumerate(CODES, start=2):
        per_product.append([code, *[f"=SUMIFS(Begroting!{col}:{col},Begroting!$B:$B,$A{row})" for col in "CDEFG"],
                            f"=AVERAGE(Tarieven!B{row}:F{row})",
                            "=INDEX(Begroting!$A$2:$A$201,MATCH(MAX(Begroting!H$2:H$201),Begroting!H$2:H$201,0))"])
    wb.save(path)
    return path


def values_for_libreoffice(source: Path, recalculated: Path, target: Path) -> Path:
    """A copy of ``source`` with every JBJR formula replaced by the value herbereken computed."""
    values = read_book(recalculated)
    wb = load_workbook(source, keep_vba=source.suffix == ".xlsm")
    for index, ws in enumerate(wb.worksheets):
        for row in ws.iter_rows():
            for cell in row:
                formula = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                if isinstance(formula, str) and "JBJR_" in formula.upper():
                    cell.value = values.sheets[index].values.get((cell.row, cell.column))
    wb.save(target)
    return target


def small(path: Path) -> Path:
    """A small workbook without JBJR functions: 60 rows of input, a formula per row and a total."""
    wb = Workbook()
    ws = wb.active
    for row in range(1, 61):
        ws.append([row, row * 1.5, f"=ROUND(A{row}*B{row}*1.02,2)"])
    ws["E1"] = "=SUM(C:C)"
    wb.save(path)
    return path


HERBEREKEN = [sys.executable, "-m", "jbjr_budget.cli", "herbereken"]


# As installed: with bytecode caches (a development shell may set PYTHONDONTWRITEBYTECODE, then every run compiles).
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


CPU: list[float] = []  # processor time (user + system) of each herbereken run: what a busy machine does not inflate


def timed(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=ENVIRONMENT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ...: exit {done.returncode}\n{done.stdout[-2000:]}")
    return elapsed


def time_libreoffice(sources: list[Path], outdir: Path) -> float:
    start = time.perf_counter()
    recalculate_with_libreoffice(sources, outdir)
    return time.perf_counter() - start


PHASES = {  # label: cProfile entry (file in its folder: function), cumulative
    "alle imports": "<frozen importlib._bootstrap>:_find_and_load",
    "  waarvan numpy (de JBJR-functies rekenen ermee: de ondergrens)": "numpy/__init__.py:<module>",
    "  waarvan udfs (JBJR-functies, met numpy)": "cli/herbereken.py:__getitem__",
    "  waarvan PyYAML (0: catalogus en scenario's uit de compiled vorm)": "yaml/__init__.py:<module>",
    "  waarvan LibreOffice-terugval (0: alleen met --libreoffice)": "formula_engine/fallback.py:<module>",
    "lezen (zip + XML)": "formula_engine/xlsx_reader.py:read_book",
    "compileren (parse + closures, incl. udfs-import)": "formula_engine/evaluator.py:_load",
    "volgorde (Tarjan)": "formula_engine/ordering.py:components",
    "evalueren (incl. JBJR)": "formula_engine/evaluator.py:_evaluate",
    "  waarvan JBJR-aanroepen": "functions/custom.py:call_custom",
    "  waarvan numpy.random (JBJR_MONTECARLO)": "random/__init__.py:<module>",
    "  waarvan overloopbereiken plaatsen (tabel van ~10.000 cellen)": "formula_engine/evaluator.py:_spill",
    "schrijven (gewijzigde rijen; de rest niet opnieuw gecomprimeerd)": "formula_engine/xlsx_writer.py:write_book",
}


def profile(source: Path, outdir: Path) -> None:
    """Where one whole herbereken run spends its time: start-up, imports, reading, compiling, JBJR, writing.

    Not in the profile: the interpreter's start (measured apart) and its shutdown, which the CLI's entry
    point makes cheap by freezing every object first (no cycle scan over them at exit).
    """
    bare = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(3))
    stats_file = outdir / "herbereken.prof"
    timed([sys.executable, "-m", "cProfile", "-o", str(stats_file), *HERBEREKEN[1:], str(source),
           "--uitvoermap", str(outdir / "profiel")])
    stats = pstats.Stats(str(stats_file))
    table = {f"{'/'.join(Path(k[0]).parts[-2:])}:{k[2]}": v[3] for k, v in stats.stats.items()}  # type: ignore[attr-defined]
    total = max(table.values())
    print(f"\nProfiel van één herbereken-run ({source.name}), cProfile, cumulatief:")
    print(f"  {'kale Python-start (python -c pass, apart gemeten)':<84} {bare:6.3f} s")
    for label, key in PHASES.items():
        print(f"  {label:<84} {table.get(key, 0.0):6.3f} s")
    print(f"  {'totaal binnen het proces (met profiler-overhead)':<84} {total:6.3f} s")
    print("\n  Duurste functies (eigen tijd):")
    stats.sort_stats("tottime").print_stats(8)


def measure(cases: list[tuple[str, str, list[Path], list[Path], float]], work: Path, repeats: int) -> None:
    """Time every case ``repeats`` times for both engines, print the figures against the goals and record them.

    A case: key in results.json, label, herbereken's and LibreOffice's inputs, and its goal: a time in seconds
    when below 1, else how many times faster than LibreOffice.
    """
    print(f"\n{'geval':<48} {'herbereken min/med/max':>26} {'(processortijd)':>16} {'LibreOffice min/med/max':>26} "
          f"{'verhouding':>11}  doel")
    for key, label, ours_in, theirs_in, goal in cases:
        CPU.clear()
        ours = [timed([*HERBEREKEN, *map(str, ours_in), "--uitvoermap", str(work / f"uit-{label}-{n}")])
                for n in range(repeats)]
        cpu = statistics.median(CPU)
        theirs = [time_libreoffice(theirs_in, work / f"lo-{label}-{n}") for n in range(repeats)]
        ratio = statistics.median(theirs) / statistics.median(ours)
        wanted = f"< {goal:.3f} s" if goal < 1 else f">= {goal:.0f}x faster than LibreOffice"
        ours_shown, theirs_shown = spread(ours, "s", 1.0, 3), spread(theirs, "s", 1.0, 3)
        print(f"{label:<48} {ours_shown:>26} {cpu:14.3f} s {theirs_shown:>26} {ratio:9.1f}x  {wanted}")
        met = statistics.median(ours) < goal if goal < 1 else ratio >= goal
        record(key, script="benchmarks/bench_recalc.py",
               what=f"`jbjr-budget herbereken`, whole processes: {label} ({len(ours_in)} workbook(s))",
               measured=f"wall {ours_shown} (processor time, median {cpu:.3f} s)", goal=f"median {wanted}",
               comparison=f"LibreOffice, forced recalculation: {theirs_shown}; {ratio:.1f}x", met=met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("werkboek", nargs="?", type=Path, help="standaard: het controllerwerkboek of een gegenereerd")
    parser.add_argument("--aantal", type=int, default=50, help="werkboeken in de batch (standaard 50)")
    parser.add_argument("--herhalingen", type=int, default=5, help="metingen per geval")
    parser.add_argument("--gegenereerd", action="store_true", help="gegenereerd werkboek (~1.900 formules)")
    parser.add_argument("--geen-profiel", action="store_true")
    args = parser.parse_args()
    if find_soffice() is None:
        raise SystemExit("LibreOffice (soffice) ontbreekt")
    with tempfile.TemporaryDirectory(prefix="bench-recalc-") as temp:
        work = Path(temp)
        source = None if args.gegenereerd else args.werkboek or (CONTROLLER if CONTROLLER.exists() else None)
        generated = source is None
        batch_dir, lo_dir = work / "batch", work / "lo-invoer"
        batch_dir.mkdir()
        lo_dir.mkdir()
        if generated:
            sources = [generate(batch_dir / f"begroting_{i:02d}.xlsx", seed=i) for i in range(args.aantal)]
        else:
            sources = [batch_dir / f"{source.stem}_{i:02d}{source.suffix}" for i in range(args.aantal)]
            for copy in sources:
                shutil.copyfile(source, copy)
        timed([*HERBEREKEN, *map(str, sources), "--uitvoermap", str(work / "referentie")])
        lo_sources = [values_for_libreoffice(s, work / "referentie" / s.name, lo_dir / f"{s.stem}.xlsx")
                      for s in sources]
        formulas = sum(len(sheet.formulas) for sheet in read_book(sources[0]).sheets)
        print(f"Werkboek: {'gegenereerd' if generated else source}, {formulas} formules")
        plain = small(work / "klein.xlsx")
        measure([("recalc_startup", "start-up, small workbook without JBJR functions", [plain], [plain], 0.150),
                 ("recalc", f"controller workbook ({formulas} formulas)", sources[:1], lo_sources[:1], 5),
                 ("recalc_batch", f"batch of {args.aantal} controller workbooks", sources, lo_sources, 6)],
                work, args.herhalingen)
        if not args.geen_profiel:
            profile(sources[0], work)


if __name__ == "__main__":
    main()
