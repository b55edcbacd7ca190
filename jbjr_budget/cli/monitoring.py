"""``jbjr-budget template | importeer | rapportage``: monitoring templates, strict import, consolidated report."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from jbjr_budget.cli.marks import print_marks
from jbjr_budget.cli.options import existing_path, output_file, output_folder
from jbjr_budget.errors import InvoerFout

if TYPE_CHECKING:
    from jbjr_budget.monitoring.importer import Outcome
    from jbjr_budget.writers.template_workbook import GeschrevenSjabloon

__all__ = ["register"]

PARQUET_NEEDS = ("--parquet vraagt het pakket pyarrow: installeer jbjr-budget met de extra 'bi' "
                 "(pip install \"jbjr-budget[bi]\"; in een kopie van de repository: pip install -e \".[bi]\"), "
                 "of gebruik --csv")
LEDGER_HELP = "pad van het grootboek (SQLite); standaard $JBJR_GROOTBOEK of ~/.local/share/jbjr_budget/grootboek.sqlite"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``template``, ``importeer`` and ``rapportage`` subcommands."""
    template = subparsers.add_parser("template", help="monitoringssjabloon per GI, regio en periode",
                                     description="Schrijft het Excel-sjabloon dat een GI per periode invult.")
    template.add_argument("--gi", help="GI (sleutel, bijv. jgb)")
    template.add_argument("--regio", help="regio (sleutel of naam)")
    template.add_argument("--periode", required=True, help="periode, bijv. 2026-Q1 of 2026-M03")
    template.add_argument("--alle", action="store_true", help="een sjabloon voor elke GI x regio van het contract")
    template.add_argument("--contract", default="nw4", help="contract bij --alle (standaard: nw4)")
    template.add_argument("--uitvoer", type=output_folder, default=Path(), metavar="MAP",
                          help="map voor de sjablonen (standaard: huidige map)")
    template.add_argument("--grootboek", type=Path, metavar="BESTAND", help=LEDGER_HELP)
    template.set_defaults(run=run_template)

    importeer = subparsers.add_parser("importeer", help="ingevulde sjablonen controleren en inlezen",
                                      description="Controleert elk bestand streng en leest geldige bestanden in "
                                                  "het grootboek in. Exitcode 0: alles aangenomen; 1: minstens één "
                                                  "bestand afgewezen; 2: verkeerd gebruik.")
    importeer.add_argument("paden", nargs="+", type=existing_path, metavar="PAD", help="bestanden of mappen")
    importeer.add_argument("--periode", help="alleen bestanden voor deze periode accepteren")
    importeer.add_argument("--grootboek", type=output_file, metavar="BESTAND", help=LEDGER_HELP)
    importeer.add_argument("--processen", type=int, metavar="N",
                           help="aantal processen voor de controle (standaard: aantal kernen)")
    importeer.set_defaults(run=run_importeer)

    rapportage = subparsers.add_parser("rapportage", help="geconsolideerde rapportage uit het grootboek",
                                       description="Realisatie tegenover begroting, inspectienormen, personeel "
                                                   "en de doelen -20%, als Excel-werkboek; export voor BI-tools.")
    rapportage.add_argument("--periode", required=True, help="rapportageperiode, bijv. 2026-Q1")
    rapportage.add_argument("--uitvoer", type=output_file, metavar="BESTAND",
                            help="pad van het werkboek (standaard: rapportage_<periode>.xlsx)")
    rapportage.add_argument("--grootboek", type=Path, metavar="BESTAND", help=LEDGER_HELP)
    rapportage.add_argument("--csv", type=output_folder, metavar="MAP", help="exporteer het grootboek als CSV naar MAP")
    rapportage.add_argument("--parquet", type=output_folder, metavar="MAP",
                            help="exporteer het grootboek als Parquet naar MAP (vraagt pyarrow: "
                                 "pip install 'jbjr-budget[bi]')")
    rapportage.add_argument("--parameters", action="append", type=existing_path, default=[], metavar="BESTAND",
                            help="eigen parameterbestand (YAML) voor de begroting; herhaalbaar")
    rapportage.set_defaults(run=run_rapportage)


def _ledger_path(args: argparse.Namespace) -> Path:
    from jbjr_budget.monitoring.ledger import default_ledger_path

    return Path(args.grootboek) if args.grootboek else default_ledger_path()


def run_template(args: argparse.Namespace) -> int:
    """Write one template per GI x region for the period, prefilled from the ledger when it exists."""
    from jbjr_budget.monitoring.periode import Periode
    from jbjr_budget.rules.catalog import load_catalog
    from jbjr_budget.writers.template_workbook import contract_pairs, write_templates

    catalog, periode = load_catalog(), Periode.parse(args.periode)
    if args.alle:
        pairs = contract_pairs(catalog, args.contract)
    elif args.gi and args.regio:
        pairs = [(catalog.gi(args.gi).key, catalog.regio(args.regio).key)]
    else:
        raise InvoerFout("geef --gi en --regio, of --alle")
    write_templates(periode, args.uitvoer, pairs, _ledger_path(args), catalog, on_written=_print_written)
    return 0


def _print_written(written: GeschrevenSjabloon) -> None:
    from jbjr_budget.monitoring.issues import printable

    note = f" (stand begin voorgevuld voor {written.voorgevuld} regels)" if written.voorgevuld else ""
    print(f"Sjabloon geschreven: {printable(str(written.pad))}{note}")


def run_importeer(args: argparse.Namespace) -> int:
    """Validate and import; print every problem in Dutch; exit 1 when any file was rejected."""
    from jbjr_budget.monitoring.importer import STATUS_TEXT, import_files
    from jbjr_budget.monitoring.periode import Periode

    periode = Periode.parse(args.periode) if args.periode else None
    if args.processen is not None and args.processen < 1:
        raise InvoerFout("--processen moet minimaal 1 zijn")
    outcomes = import_files(args.paden, _ledger_path(args), periode, processes=args.processen, on_result=_print)
    if not outcomes:
        raise InvoerFout("geen sjablonen (.xlsx/.xlsm) gevonden in de opgegeven mappen")
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in STATUS_TEXT}
    accepted = len(outcomes) - counts["afgewezen"]
    files = "1 bestand" if len(outcomes) == 1 else f"{len(outcomes)} bestanden"
    print(f"\n{files}: {accepted} aangenomen ({counts['nieuw']} nieuw, {counts['vervangen']} "
          f"correctie, {counts['al_aanwezig']} al ingelezen), {counts['afgewezen']} afgewezen.")
    return 1 if counts["afgewezen"] else 0


def _print(outcome: Outcome) -> None:
    """One status line per file, then its issues; names and texts from files are escaped (one line each)."""
    from jbjr_budget.monitoring.importer import STATUS_TEXT
    from jbjr_budget.monitoring.issues import printable

    key = f" ({', '.join(outcome.key)})" if outcome.key else ""
    print(f"{STATUS_TEXT[outcome.status]}: {printable(outcome.source)}{key}", flush=True)
    for problem in outcome.issues:
        print(f"    - {problem}", flush=True)


def run_rapportage(args: argparse.Namespace) -> int:
    """Write the consolidated report workbook and optional CSV/Parquet exports of the ledger."""
    from jbjr_budget.models.monitoring_figures import compute_monitoring, ledger_tables
    from jbjr_budget.monitoring.ledger import Ledger
    from jbjr_budget.monitoring.periode import Periode
    from jbjr_budget.writers.exports import Format, export_frames
    from jbjr_budget.writers.report_workbook import write_report

    periode = Periode.parse(args.periode)
    if args.parquet and importlib.util.find_spec("pyarrow") is None:
        raise InvoerFout(PARQUET_NEEDS)
    ledger_path = _ledger_path(args)
    if not ledger_path.exists():
        raise InvoerFout(f"grootboek {ledger_path} bestaat niet; lees eerst bestanden in met 'jbjr-budget importeer'")
    with Ledger(ledger_path) as ledger:
        figures = compute_monitoring(ledger, periode, args.parameters)
        path = write_report(figures, args.uitvoer or Path(f"rapportage_{periode.code}.xlsx"))
        print(f"Rapportage geschreven: {path.resolve()}")
        formats: tuple[tuple[Format, Path | None], ...] = (("csv", args.csv), ("parquet", args.parquet))
        exports = [(fmt, folder) for fmt, folder in formats if folder]
        tables = {**ledger_tables(ledger), "realisatie": figures.realisatie} if exports else {}
    for fmt, folder in exports:
        for written in export_frames(tables, folder, fmt):
            print(f"Export geschreven: {written}")
    print_marks(figures.voorbeeldwaarden(), figures.voorlopige_waarden())
    return 0
