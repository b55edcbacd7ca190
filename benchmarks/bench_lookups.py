"""Benchmark: a lookup-heavy workbook, ``herbereken`` against LibreOffice headless, as whole processes.

Goal: herbereken at least as fast as LibreOffice's forced full recalculation of the same file.
The generated workbook has a 5,000-row table and 2,000 rows that look into it: an exact VLOOKUP by
text code (the case from the issue), and with ``--gemengd`` also INDEX/MATCH by code and an
approximate VLOOKUP by number. A quarter of the codes looked up are missing (IFERROR gives 0).
The script also checks that both give the same values.

    python benchmarks/bench_lookups.py
    python benchmarks/bench_lookups.py --gemengd --herhalingen 5
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
from pathlib import Path

from bench_recalc import HERBEREKEN, time_libreoffice, timed
from benchmark_results import record, spread
from openpyxl import Workbook

from jbjr_budget.formula_engine import read_book
from jbjr_budget.formula_engine.libreoffice import find_soffice

TABLE_ROWS = 5_000
LOOKUPS = 2_000


def generate(path: Path, *, mixed: bool) -> Path:
    """The table (code, lower bound, tariff, unit) and the lookup rows."""
    wb = Workbook()
    tabel = wb.active
    tabel.title = "Tabel"
    tabel.append(["Code", "Vanaf", "Tarief", "Eenheid"])
    for i in range(TABLE_ROWS):
        tabel.append([f"P{(i * 7919) % 100_000:05d}", float(i * 10), round(100 + (i * 37.3) % 900, 2),
                      ["maand", "traject", "uur"][i % 3]])
    zoek = wb.create_sheet("Zoek")
    zoek.append(["Code", "Tarief", "Eenheid via MATCH", "Staffel"])
    last = TABLE_ROWS + 1
    for row in range(2, LOOKUPS + 2):
        i = (row * 2_654_435_761) % TABLE_ROWS
        code = f"P{(i * 7919) % 100_000:05d}" if row % 4 else f"X{row:05d}"
        cells: list[object] = [code, f"=IFERROR(VLOOKUP(A{row},Tabel!$A$2:$D${last},3,FALSE),0)"]
        if mixed:
            cells += [f'=IFERROR(INDEX(Tabel!$D$2:$D${last},MATCH(A{row},Tabel!$A$2:$A${last},0)),"")',
                      f"=VLOOKUP({(row * 24.7) % (TABLE_ROWS * 10)},Tabel!$B$2:$C${last},2,TRUE)"]
        zoek.append(cells)
    wb.save(path)
    return path


def differences(ours: Path, theirs: Path) -> int:
    """Formula cells whose values differ between the two recalculated files."""
    mine, other = read_book(ours), read_book(theirs)
    count = 0
    for sheet_ours, sheet_theirs in zip(mine.sheets, other.sheets, strict=True):
        for position in sheet_ours.formulas:
            a, b = sheet_ours.values.get(position), sheet_theirs.values.get(position)
            same = math.isclose(a, b) if isinstance(a, float) and isinstance(b, float) else a == b
            count += not same
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gemengd", action="store_true", help="ook INDEX/MATCH en benaderend VLOOKUP")
    parser.add_argument("--herhalingen", type=int, default=3, help="metingen per kant; de mediaan telt")
    args = parser.parse_args()
    if find_soffice() is None:
        raise SystemExit("LibreOffice (soffice) ontbreekt")
    with tempfile.TemporaryDirectory(prefix="bench-lookups-") as temp:
        work = Path(temp)
        source = generate(work / "opzoeken.xlsx", mixed=args.gemengd)
        formulas = sum(len(sheet.formulas) for sheet in read_book(source).sheets)
        ours = [timed([*HERBEREKEN, str(source), "--uitvoermap", str(work / f"uit{n}")])
                for n in range(args.herhalingen)]
        theirs = [time_libreoffice([source], work / f"lo{n}") for n in range(args.herhalingen)]
        wrong = differences(work / "uit0" / source.name, work / "lo0" / source.name)
        kind = "gemengd: exacte VLOOKUP, INDEX/MATCH en benaderende VLOOKUP" if args.gemengd else "exacte VLOOKUP"
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"Werkboek: tabel van {TABLE_ROWS:,} rijen, {formulas:,} formules ({kind}); {args.herhalingen} runs")
        print("Doel:       herbereken minstens zo snel als LibreOffice (verhouding >= 1,0)")
        print(f"Gemeten:    herbereken {spread(ours, 's', 1.0, 2)}, LibreOffice {spread(theirs, 's', 1.0, 2)}")
        print(f"Verhouding: {ratio:.1f}x ({'gehaald' if ratio >= 1 else 'niet gehaald'}); "
              f"{wrong} cellen wijken af van LibreOffice")
        record("lookups_mixed" if args.gemengd else "lookups", script="benchmarks/bench_lookups.py"
               + (" --gemengd" if args.gemengd else ""),
               what=f"lookup-heavy workbook: {formulas:,} lookups ({kind}) into a {TABLE_ROWS:,}-row table, "
                    "whole processes",
               measured=f"herbereken {spread(ours, 's', 1.0, 2)}", goal="at least as fast as LibreOffice",
               comparison=f"LibreOffice {spread(theirs, 's', 1.0, 2)}; {ratio:.1f}x; {wrong} cells differ",
               met=ratio >= 1 and wrong == 0)


if __name__ == "__main__":
    main()
