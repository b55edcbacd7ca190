"""``jbjr-budget herbereken``: recalculate workbooks headless (JBJR functions included), or check them in CI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from jbjr_budget.formula_engine import Job, Outcome

from jbjr_budget.cli.marks import print_marks_of_functions
from jbjr_budget.cli.options import existing_path, output_file, output_folder
from jbjr_budget.errors import InvoerFout

__all__ = ["register"]

MAX_LINES = 50
VOLATILE_SHOWN = 5


class JbjrFunctions(Mapping[str, Callable[..., object]]):
    """The JBJR worksheet functions for the engine; ``udfs`` (with pandas) is imported only when a formula calls one.

    Stateless, so it pickles cheaply into worker processes.
    """

    def __getitem__(self, name: str) -> Callable[..., object]:
        """The function ``name`` (``JBJR_...``); KeyError for any other name."""
        if not name.startswith("JBJR_"):
            raise KeyError(name)
        functions: Mapping[str, Callable[..., object]] = importlib.import_module("udfs").EXCEL_FUNCTIONS
        return functions[name]

    def __iter__(self) -> Iterator[str]:
        """Every JBJR function name."""
        return iter(importlib.import_module("udfs").EXCEL_FUNCTIONS)

    def __len__(self) -> int:
        """How many JBJR functions there are."""
        return len(importlib.import_module("udfs").EXCEL_FUNCTIONS)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``herbereken`` subcommand."""
    parser = subparsers.add_parser(
        "herbereken", help="werkboeken herberekenen zonder Excel (ook JBJR-functies), of controleren",
        description="Berekent elke formule opnieuw en bewaart de uitkomsten in het werkboek (formules blijven "
                    "staan). Met --controleer wordt niets geschreven maar gemeld welke opgeslagen waarden afwijken.",
    )
    parser.add_argument("paden", nargs="+", type=existing_path, metavar="PAD", help="werkboek (.xlsx/.xlsm) of map")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--in-place", action="store_true", help="het werkboek zelf overschrijven (atomair)")
    target.add_argument("--uitvoer", type=output_file, metavar="BESTAND", help="doelbestand (alleen bij één werkboek)")
    target.add_argument("--uitvoermap", type=output_folder, metavar="MAP", help="map voor de herberekende werkboeken")
    target.add_argument("--controleer", action="store_true",
                        help="niets schrijven; fout (exitcode 1) als opgeslagen waarden afwijken")
    parser.add_argument("--tolerantie", type=float, default=1e-6, metavar="GETAL",
                        help="toegestaan absoluut verschil bij --controleer (standaard 1e-6)")
    parser.add_argument("--processen", type=int, metavar="N", help="aantal processen (standaard: aantal kernen)")
    parser.add_argument("--libreoffice", action="store_true",
                        help="cellen die herbereken niet kan berekenen (een onbekende functie, een gegevenstabel) "
                             "laten uitrekenen door LibreOffice; de JBJR-cellen gaan er als waarden in")
    parser.add_argument("--jbjr-als-waarden", action="store_true",
                        help="JBJR-uitkomsten als vaste waarden opslaan, zonder formule: een kopie om te bekijken in "
                             "LibreOffice en viewers (die tonen bij een JBJR-tabel anders #NAME?)")
    parser.add_argument("--landinstelling", choices=("en-US", "nl-NL"), default="en-US",
                        help="landinstelling van de Excel waarmee het werkboek rekent: nl-NL voor werkboeken uit een "
                             "Nederlandse Excel die TEKST, VAST of EURO gebruiken of getallen als tekst "
                             "(\"1.234,5\", \"31-12-2026\"); standaard en-US")
    # A workbook is freed by reference counting (Evaluator.release drops the closures that refer back to the
    # evaluator): recalculating leaves no cyclic garbage, so the command runs without the cyclic collector.
    parser.set_defaults(run=run, collect_cycles=False)


def _target(source: Path, args: argparse.Namespace) -> Path | None:
    if args.controleer:
        return None
    if args.in_place:
        return source
    if args.uitvoer:
        return Path(args.uitvoer)
    if args.uitvoermap:
        return Path(args.uitvoermap) / source.name
    return source.with_name(f"{source.stem}.herberekend{source.suffix}")


def _jobs(args: argparse.Namespace) -> list[Job]:
    from jbjr_budget.formula_engine import Job, collect_workbooks

    sources = collect_workbooks(args.paden)
    if not sources:
        raise InvoerFout("geen werkboeken (.xlsx/.xlsm) gevonden")
    if args.uitvoer and len(sources) > 1:
        raise InvoerFout("--uitvoer kan alleen bij één werkboek; gebruik --uitvoermap")
    if args.uitvoermap:
        args.uitvoermap.mkdir(parents=True, exist_ok=True)
    return [Job(source, _target(source, args), args.tolerantie, args.libreoffice, args.jbjr_als_waarden,
                args.landinstelling) for source in sources]


class _Progress:
    """A plain-text progress bar on stderr (one line per workbook when stderr is no terminal)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, done: int, outcome: Outcome) -> None:
        state = "ok" if outcome.ok else "MISLUKT"
        if self.live:
            filled = round(30 * done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} ")
            if done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{self.total}] {outcome.path}: {state}\n")
        self.stream.flush()


def _report(outcome: Outcome, checking: bool) -> list[str]:
    seconds = f"{outcome.seconds:.2f}".replace(".", ",")
    if outcome.error:
        return [f"MISLUKT  {outcome.path}: {outcome.error}"]
    head = "OK      " if outcome.ok else "MISLUKT "
    where = "" if checking or not outcome.target else f" -> {outcome.target}"
    lines = [f"{head}{outcome.path}: {outcome.formulas} formules, {seconds} s{where}"]
    details = [f"  {issue}" for issue in outcome.issues]
    if outcome.volatile:
        more = ", ..." if len(outcome.volatile) > VOLATILE_SHOWN else ""
        shown = ", ".join(outcome.volatile[:VOLATILE_SHOWN]) + more
        cells = "1 cel niet vergeleken: die hangt" if len(outcome.volatile) == 1 else (
            f"{len(outcome.volatile)} cellen niet vergeleken: ze hangen")
        details.append(f"  {cells} af van een functie die bij elke herberekening iets anders geeft "
                       f"(TODAY, NOW, RAND, RANDBETWEEN): {shown}")
    if outcome.differences:
        cells = "1 cel wijkt" if len(outcome.differences) == 1 else f"{len(outcome.differences)} cellen wijken"
        details.append(f"  {cells} af van de herberekening:")
        details.extend(f"    {difference}" for difference in outcome.differences)
    if len(details) > MAX_LINES:
        details = [*details[:MAX_LINES], f"  ... en nog {len(details) - MAX_LINES} regels"]
    return lines + details


def run(args: argparse.Namespace) -> int:
    """Recalculate or check every workbook; exit code 1 when any failed."""
    from jbjr_budget.formula_engine import run_jobs

    if args.processen is not None and args.processen < 1:
        raise InvoerFout("--processen moet minstens 1 zijn")
    if args.jbjr_als_waarden and args.controleer:
        raise InvoerFout("--jbjr-als-waarden schrijft een werkboek en gaat dus niet samen met --controleer")
    if args.libreoffice:
        from jbjr_budget.formula_engine.libreoffice import find_soffice

        if find_soffice() is None:
            raise InvoerFout("--libreoffice: LibreOffice (soffice) is niet geïnstalleerd of niet te vinden in PATH")
    jobs = _jobs(args)
    outcomes = run_jobs(jobs, args.processen, _Progress(len(jobs), sys.stderr), JbjrFunctions())
    for outcome in outcomes:
        print("\n".join(_report(outcome, args.controleer)))
    failed = sum(not outcome.ok for outcome in outcomes)
    print_marks_of_functions([job.source for job in jobs])
    verb = "gecontroleerd" if args.controleer else "herberekend"
    print(f"\nKlaar: {len(outcomes) - failed} van {len(outcomes)} werkboeken {verb} zonder problemen"
          + (f", {failed} mislukt." if failed else "."))
    return 1 if failed else 0
