"""``jbjr-budget werkboek``: generate the controller workbook (xlsm) with the JBJR functions for Excel."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]

DEFAULT_OUTPUT = Path("jbjr_begroting.xlsm")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``werkboek`` subcommand."""
    parser = subparsers.add_parser(
        "werkboek", help="Excel-werkboek (xlsm) met de JBJR-functies en macro's voor controllers",
        description="Genereert het controllerwerkboek op basis van xlwings (standalone, zonder add-in). "
        "Niet met de hand bewerken: opnieuw genereren na een update.",
    )
    parser.add_argument("--regio", action="append", dest="regios", metavar="REGIO",
                        help="regio (sleutel of naam); herhaal voor meer regio's (standaard: de NW4-regio's)")
    parser.add_argument("--eerste-jaar", type=int, default=2026, metavar="JAAR",
                        help="eerste begrotingsjaar; het werkboek rekent vijf jaar (standaard: 2026)")
    parser.add_argument("--uitvoer", type=Path, default=DEFAULT_OUTPUT,
                        help=f"pad van het werkboek (standaard: {DEFAULT_OUTPUT})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the workbook and say where it is and what the user still has to do once."""
    from jbjr_budget.errors import InvoerFout  # imported here: keeps --help fast
    from jbjr_budget.writers.controller_workbook.builder import build_controller, xlwings_version

    if args.uitvoer.suffix.lower() != ".xlsm":
        raise InvoerFout(f"het werkboek moet de extensie .xlsm hebben (macro's), niet '{args.uitvoer.suffix}'")
    path = build_controller(args.uitvoer, args.regios, args.eerste_jaar)
    print(f"Werkboek geschreven: {path.resolve()}")
    print(f"Gebouwd met xlwings {xlwings_version()}; installeer in Excel dezelfde versie (pip install jbjr-budget).")
    print("Eenmalig in Excel: sta toegang tot het VBA-project toe en voer de macro ImportPythonUDFs uit (Alt+F8).")
    return 0
