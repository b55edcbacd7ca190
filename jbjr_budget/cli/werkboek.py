"""``jbjr-budget werkboek``: generate the controller workbook (xlsm) with the JBJR functions for Excel.

The workbook is recalculated headless right after the build (unless asked not
to), so it opens with its numbers in every client: Excel's Protected View,
previewers, LibreOffice and pandas show the stored values.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jbjr_budget.cli.marks import print_marks
from jbjr_budget.cli.options import output_file, year

__all__ = ["register"]

DEFAULT_OUTPUT = Path("jbjr_begroting.xlsm")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``werkboek`` subcommand."""
    parser = subparsers.add_parser(
        "werkboek", help="Excel-werkboek (xlsm) met de JBJR-functies en macro's voor controllers",
        description="Genereert het controllerwerkboek op basis van xlwings (standalone, zonder add-in) en "
        "herberekent het, zodat elke formule een opgeslagen waarde heeft. Niet met de hand bewerken: opnieuw "
        "genereren na een update.",
    )
    parser.add_argument("--regio", action="append", dest="regios", metavar="REGIO",
                        help="regio (sleutel of naam); herhaal voor meer regio's (standaard: de NW4-regio's)")
    parser.add_argument("--eerste-jaar", type=year, default=2026, metavar="JAAR",
                        help="eerste begrotingsjaar; het werkboek rekent vijf jaar (standaard: 2026)")
    parser.add_argument("--uitvoer", type=output_file, default=DEFAULT_OUTPUT, metavar="BESTAND",
                        help=f"pad van het werkboek, .xlsm (standaard: {DEFAULT_OUTPUT})")
    parser.add_argument("--zonder-herberekening", dest="herberekenen", action="store_false",
                        help="formules zonder opgeslagen waarden laten (Excel rekent bij openen); sneller")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build (and recalculate) the workbook; say where it is and what the user still has to do once."""
    from jbjr_budget.atomic_write import atomic_path
    from jbjr_budget.errors import GegevensFout, InvoerFout
    from jbjr_budget.formula_engine import recalculate_file
    from jbjr_budget.models.begroting import BASIS
    from jbjr_budget.writers.controller_workbook.builder import build_controller, xlwings_version
    from udfs import EXCEL_FUNCTIONS

    if args.uitvoer.suffix.lower() != ".xlsm":
        raise InvoerFout(f"het werkboek moet de extensie .xlsm hebben (macro's), niet '{args.uitvoer.suffix}'")
    with atomic_path(args.uitvoer) as temporary:
        begroting = build_controller(temporary, args.regios, args.eerste_jaar)
        outcome = recalculate_file(temporary, temporary, EXCEL_FUNCTIONS) if args.herberekenen else None
        if outcome is not None and not outcome.ok:  # raising leaves the target as it was
            problems = [outcome.error] if outcome.error else [str(i) for i in outcome.issues if i.fatal]
            raise GegevensFout("herberekenen van het werkboek mislukt; er is niets geschreven:\n  "
                               + "\n  ".join(problems))
    print(f"Werkboek geschreven: {args.uitvoer.resolve()}")
    if outcome is not None:
        print(f"Herberekend: {outcome.formulas} formules met opgeslagen waarden, ook voor LibreOffice en viewers.")
    print(f"Gebouwd met xlwings {xlwings_version()}; installeer in Excel dezelfde versie (pip install jbjr-budget).")
    print("Eenmalig in Excel: sta toegang tot het VBA-project toe en voer de macro ImportPythonUDFs uit (Alt+F8).")
    print_marks(begroting.voorbeeldwaarden(BASIS), begroting.voorlopige_waarden(BASIS))  # the workbook's defaults
    return 0
