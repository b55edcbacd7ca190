"""The importer harness in its full profile: thousands of filled and mutated files, then LibreOffice reads them.

The quick profile of the same harness runs in the test suite (``tests/test_monitoring_mutations.py``). Here
Hypothesis draws ``--bestanden`` files (default 5,000) over every kind of ``monitoring_cases.mutations``, on
templates written by the template writer and the same templates re-saved by LibreOffice. Each file is
validated and compared with its verdict worked out from the typed values. Then LibreOffice reads every
accepted file (and every file refused only for red checks): what it shows must be what the ledger would hold,
and its Controle cells must be red exactly where the importer says.

Goals: 0 wrongly accepted, 0 wrongly refused, 0 other verdicts, 0 crashes, no file over 5 s, every refusal on
the expected sheet and cell, 0 disagreements with LibreOffice.

Run: python benchmarks/harness_import.py [--bestanden N] [--zonder-libreoffice]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchmark_results import record, spread  # noqa: E402
from monitoring_cases.cross_read import cells_to_read, disagreements, failing_checks  # noqa: E402
from monitoring_cases.fill import fill_with_libreoffice, libreoffice_available, read_with_libreoffice  # noqa: E402
from monitoring_cases.harness import bases, booked_values, verdict  # noqa: E402
from monitoring_cases.mutations import KINDS, make_case  # noqa: E402
from monitoring_cases.package_edit import MAIN_NS, Parts  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from jbjr_budget.monitoring.layout import Layout  # noqa: E402
from jbjr_budget.monitoring.package import Limits  # noqa: E402
from jbjr_budget.monitoring.validate import Validation, validate_bytes  # noqa: E402
from jbjr_budget.rules.catalog import load_catalog  # noqa: E402

HANG_SECONDS = 5.0
WORST_SECONDS = 2.0
LO_BATCH = 150
UPLOAD_LIMIT = 5 * 1024 * 1024


class Run:
    """What the run found: counts per outcome, times, files for LibreOffice."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kinds: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.failures: list[str] = []
        self.seconds: list[float] = []
        self.kind_order: list[str] = []
        self.to_read: list[tuple[Layout, Path, Validation]] = []

    def record(self, kind: str, layout: Layout, case_name: str, data: bytes, seconds: float,
               result: Validation | None, problems: list[str]) -> None:
        self.kinds[kind] += 1
        self.seconds.append(seconds)
        self.kind_order.append(kind)
        if result is None:
            self.outcomes["crash"] += 1
            self.failures.append(f"{kind}: {problems}")
            return
        outcome = "aangenomen" if result.submission else "afgewezen"
        if problems:
            outcome = {"wrongly accepted": "ten onrechte aangenomen"}.get(problems[0], "ander oordeel")
            if problems[0].startswith("wrongly refused"):
                outcome = "ten onrechte afgewezen"
            self.failures.append(f"{kind}: {problems[:2]}")
        self.outcomes[outcome] += 1
        only_checks = all(i.message.startswith("controle mislukt") for i in result.issues)
        if kind in ("random_fill", "percent_typed", "harmless_format", "extension_row", "excel_parts") and (
                result.submission or only_checks) and not problems:
            path = self.folder / str(len(self.to_read)) / case_name
            path.parent.mkdir()
            path.write_bytes(data)
            self.to_read.append((layout, path, result))


def _templates(folder: Path, with_libreoffice: bool) -> list[tuple[Layout, bytes]]:
    """The template writer's templates, and the same templates opened and saved by LibreOffice."""
    catalog = load_catalog()
    written = bases(catalog, folder / "sjabloon")
    if not with_libreoffice:
        return written
    saved = folder / "libreoffice"
    saved.mkdir()
    jobs = [(folder / "sjabloon" / f"{i}.xlsx", {}, saved / f"{i}.xlsx") for i in range(len(written))]
    for (_, data), (path, _, _) in zip(written, jobs, strict=True):
        path.write_bytes(data)
    fill_with_libreoffice(jobs, folder / "profiel_opslaan")
    return written + [(layout, out.read_bytes()) for (layout, _), (_, _, out) in zip(written, jobs, strict=True)]


def generate_and_validate(run: Run, templates: list[tuple[Layout, bytes]], files: int) -> None:
    catalog = load_catalog()

    @settings(max_examples=files, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(seed=st.integers(0, 2**32), kind=st.sampled_from(KINDS), base=st.integers(0, len(templates) - 1))
    def one_file(seed: int, kind: str, base: int) -> None:
        layout, template = templates[base]
        case = make_case(random.Random(seed), kind, layout, template)
        start = time.perf_counter()
        try:
            result = validate_bytes(case.data, Path(case.name), catalog)
        except Exception as exc:
            run.record(kind, layout, case.name, case.data, time.perf_counter() - start, None, [repr(exc)])
            return
        seconds = time.perf_counter() - start
        problems = verdict(case, result)
        if not all(str(issue).startswith(case.name) for issue in result.issues):
            problems.append("issue without the file name")
        run.record(kind, layout, case.name, case.data, seconds, result, problems)

    one_file()


def worst_cases(template: bytes) -> dict[str, bytes]:
    """Files built to use up each limit of the reader, each within the 5 MB upload limit."""
    parts = Parts.load(template)
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{get_column_letter(c)}{r}"><v>{r}</v></c>'
                                              for c in range(1, 101)) + "</row>"
                    for r in range(1000, 1000 + (Limits().max_cells - 2_500) // 100))
    made = {
        "elementen": ("</worksheet>", "<extLst>" + "<a/>" * 900_000 + "</extLst></worksheet>"),
        "cellen": ("</sheetData>", cells + "</sheetData>"),
        "commentaar": ("</sheetData>", "</sheetData><!--" + "x" * 4_000_000 + "-->"),
        "attribuut": ("<sheetData", f'<sheetPr codeName="{"x" * 4_000_000}"/><sheetData'),
    }
    files = {}
    for name, (old, new) in made.items():
        edited = parts.copy()
        sheets = ("Volumes", "Inspectienormen", "Personeel", "Financiën", "Toelichting")
        for sheet in sheets if name in ("elementen", "cellen") else sheets[:1]:
            part = edited.sheet_part(sheet)
            edited.put(part, edited.text(part).replace(old, new, 1))
        files[name] = edited.dump()
    strings = "".join(f"<si><t>{'x' * 150}{i}</t></si>" for i in range(19_999))
    edited = parts.copy()
    edited.add_part("xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}">{strings}</sst>'.encode(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
                    "xl/workbook.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "sharedStrings")
    files["teksten"] = edited.dump()
    return {name: data for name, data in files.items() if len(data) <= UPLOAD_LIMIT}


def time_worst_cases(template: bytes) -> list[tuple[str, int, float, str]]:
    """Each worst case: name, size, seconds to a verdict, first issue."""
    catalog = load_catalog()
    timed = []
    for name, data in worst_cases(template).items():
        start = time.perf_counter()
        result = validate_bytes(data, Path(f"{name}.xlsx"), catalog)
        timed.append((name, len(data), time.perf_counter() - start, str(result.issues[0]) if result.issues else ""))
    return timed


def cross_read(run: Run, folder: Path) -> tuple[int, list[str]]:
    """LibreOffice reads every kept file in two parallel soffice processes; returns (files read, disagreements)."""
    batches = [run.to_read[i:i + LO_BATCH] for i in range(0, len(run.to_read), LO_BATCH)]

    def read(index: int) -> list[str]:
        batch = batches[index]
        reports = read_with_libreoffice([(path, cells_to_read(layout)) for layout, path, _ in batch],
                                        folder / f"profiel_{index}" / "p")
        found = []
        for (layout, path, result), report in zip(batch, reports, strict=True):
            red = {(i.sheet, i.cell) for i in result.issues}
            if red != failing_checks(layout, report):
                found.append(f"{path}: Controle {sorted(failing_checks(layout, report))}, importer {sorted(red)}")
            if result.submission is not None:
                found += [f"{path}: {d}" for d in disagreements(layout, report, booked_values(result))]
        return found

    for index in range(len(batches)):
        (folder / f"profiel_{index}").mkdir()
    with ThreadPoolExecutor(2) as pool:
        problems = [p for found in pool.map(read, range(len(batches))) for p in found]
    return len(run.to_read), problems


def report_files(run: Run, templates: list[tuple[Layout, bytes]], files: int) -> int:
    start = time.perf_counter()
    generate_and_validate(run, templates, files)
    print(f"{sum(run.kinds.values())} bestanden van {len(run.kinds)} soorten op {len(templates)} sjablonen "
          f"gemaakt en gecontroleerd in {time.perf_counter() - start:.0f} s")
    print("Uitkomst: " + ", ".join(f"{k} {v}" for k, v in sorted(run.outcomes.items())))
    ordered = sorted(run.seconds)
    print(f"Controle per bestand: mediaan {statistics.median(ordered) * 1000:.0f} ms, 99% onder "
          f"{ordered[int(len(ordered) * 0.99)] * 1000:.0f} ms, max {ordered[-1]:.2f} s; doel: geen bestand "
          f"boven {HANG_SECONDS:.0f} s: {'gehaald' if ordered[-1] <= HANG_SECONDS else 'NIET gehaald'}")
    slowest = sorted(zip(run.seconds, run.kind_order, strict=True), reverse=True)[:3]
    print("Traagst: " + ", ".join(f"{kind} {seconds:.2f} s" for seconds, kind in slowest))
    for failure in run.failures[:20]:
        print(f"  FOUT {failure}")
    bad = sum(v for k, v in run.outcomes.items() if k not in ("aangenomen", "afgewezen"))
    print(f"Doel: 0 fout beoordeeld, 0 crashes: {'gehaald' if not bad else 'NIET gehaald'} ({bad})")
    return bad


def report_worst(template: bytes) -> float:
    timed = time_worst_cases(template)
    worst = max(seconds for _, _, seconds, _ in timed)
    verdict_text = "gehaald" if worst < WORST_SECONDS else "NIET gehaald"
    print(f"Bestanden die elke grens van de lezer opgebruiken (tot {UPLOAD_LIMIT // 1024 // 1024} MB): max "
          f"{worst:.2f} s; doel onder {WORST_SECONDS:.0f} s: {verdict_text} (load {os.getloadavg()[0]:.1f})")
    for name, size, seconds, issue in timed:
        print(f"  {name}: {size / 1024:.0f} kB, {seconds:.2f} s: {issue[:110]}")
    return worst


def report_libreoffice(run: Run, folder: Path) -> int:
    start = time.perf_counter()
    read, problems = cross_read(run, folder)
    print(f"LibreOffice las {read} bestanden in {time.perf_counter() - start:.0f} s: "
          f"{len(problems)} verschillen met het grootboek of de Controle-cellen")
    for problem in problems[:20]:
        print(f"  VERSCHIL {problem}")
    return len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bestanden", type=int, default=5000)
    parser.add_argument("--zonder-libreoffice", action="store_true")
    parser.add_argument("--alleen-grenzen", action="store_true", help="alleen de bestanden die elke grens opgebruiken")
    args = parser.parse_args()
    with_lo = libreoffice_available() and not args.zonder_libreoffice and not args.alleen_grenzen
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run = Run(folder / "lezen")
        run.folder.mkdir()
        templates = _templates(folder, with_lo)
        if args.alleen_grenzen:
            report_worst(templates[0][1])
            return
        bad = report_files(run, templates, args.bestanden)
        worst = report_worst(templates[0][1])
        differences = report_libreoffice(run, folder) if with_lo else None
        _record(run, len(templates), bad, worst, differences)


def _record(run: Run, templates: int, bad: int, worst: float, differences: int | None) -> None:
    read = f"LibreOffice read {len(run.to_read)} files: {differences} differences" if differences is not None else (
        "LibreOffice not run")
    slowest = max(run.seconds)
    record("import_harness", script="benchmarks/harness_import.py",
           what=f"importer harness, full profile: {sum(run.kinds.values()):,} files of {len(run.kinds)} kinds on "
                f"{templates} templates (half re-saved by LibreOffice), LibreOffice reads every accepted file; "
                "one file per reader limit within the 5 MB upload limit",
           measured=f"{bad} wrong verdicts or crashes; {spread(run.seconds, 'ms', 1000, 0)} a file; limit files "
                    f"max {worst:.2f} s; {read}",
           goal=f"0 wrong, 0 crashes, no file over {HANG_SECONDS:.0f} s, limit files under {WORST_SECONDS:.0f} s, "
                "0 differences with LibreOffice",
           comparison=f"outcomes: {', '.join(f'{k} {v}' for k, v in sorted(run.outcomes.items()))}; before: "
                      "100 of 2,284 mutated files wrongly accepted, 8 wrongly refused, 5 hangs",
           met=not bad and slowest <= HANG_SECONDS and worst < WORST_SECONDS and not differences)


if __name__ == "__main__":
    main()
