"""``jbjr-budget parameters importeer | lijst``: bring a published or contracted tariff table in as parameters."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from jbjr_budget.cli.options import existing_path, output_file

__all__ = ["register"]


def _date(text: str) -> dt.date:
    """A start date as ``2026-01-01`` or ``1-1-2026``."""
    from jbjr_budget.rules.tariff_import import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``parameters`` subcommand with its actions ``importeer`` and ``lijst``."""
    parser = subparsers.add_parser(
        "parameters", help="eigen parameterbestanden: een tarieftabel inlezen, of de geladen bestanden tonen",
        description="Eigen parameterbestanden in uw parametermap gelden voor elke opdracht en voor de "
                    "JBJR-functies in Excel.",
    )
    actions = parser.add_subparsers(dest="actie", metavar="ACTIE", required=True, title="acties")
    importeer = actions.add_parser(
        "importeer", help="tarieftabel (Excel of CSV) omzetten in een gecontroleerd parameterbestand",
        description="Leest een tabel met een kolom productcode en een kolom tarief (optioneel: bron, "
                    "ingangsdatum). Elke regel wordt gecontroleerd; bij één fout wordt niets geschreven. "
                    "Standaard komt het bestand in uw parametermap, zodat elke opdracht en elke JBJR-functie "
                    "ermee rekent.",
    )
    importeer.add_argument("bestand", type=existing_path, metavar="BESTAND", help="tabel: .xlsx of .csv")
    importeer.add_argument("--bron", help="bron van de tarieven: titel, paragraaf en datum (of een webadres); "
                                          "verplicht tenzij de tabel een kolom bron heeft")
    importeer.add_argument("--ingangsdatum", type=_date, metavar="DATUM",
                           help="datum waarop de tarieven ingaan (prijspeil van dat jaar), bijv. 2026-01-01; "
                                "verplicht tenzij de tabel een kolom ingangsdatum heeft")
    family = importeer.add_mutually_exclusive_group()
    family.add_argument("--contract", metavar="CONTRACT",
                        help="gecontracteerde tarieven van een contract (bijv. nw4); zonder: landelijke tarieven")
    family.add_argument("--regio", metavar="REGIO", help="gecontracteerde tarieven van één regio die afwijkt")
    importeer.add_argument("--blad", metavar="NAAM", help="blad van het Excel-bestand (standaard: het eerste)")
    importeer.add_argument("--uitvoer", type=output_file, metavar="BESTAND",
                           help="schrijf het parameterbestand hierheen in plaats van in uw parametermap "
                                "(gebruik het dan met --parameters)")
    importeer.set_defaults(run=run_importeer)
    lijst = actions.add_parser("lijst", help="uw parametermap en de parameterbestanden erin",
                               description="Toont de map met eigen parameterbestanden en wat erin staat.")
    lijst.set_defaults(run=run_lijst)


def _target(args: argparse.Namespace, family: str, start: dt.date | None) -> Path:
    from jbjr_budget.rules.tariffs import NATIONAL, REGIONAL
    from jbjr_budget.rules.user_folder import user_parameter_folder

    if args.uitvoer:
        return Path(args.uitvoer)
    label = "landelijk" if family == NATIONAL else family.removeprefix(f"{REGIONAL}.")
    return user_parameter_folder() / f"tarieven_{label}_{start or 'per_regel'}.yaml"


def run_importeer(args: argparse.Namespace) -> int:
    """Validate the table, write the overlay atomically and check that it loads; say what changed."""
    from jbjr_budget.atomic_write import atomic_path
    from jbjr_budget.rules.catalog import load_catalog
    from jbjr_budget.rules.parameters import load_parameters
    from jbjr_budget.rules.tariff_import import contracted_before, overlay_text, read_tariffs, tariff_family

    catalog = load_catalog()
    family = tariff_family(catalog, args.contract, args.regio)
    rows = read_tariffs(Path(args.bestand), catalog, family, args.bron, args.ingangsdatum, args.blad)
    target = _target(args, family, args.ingangsdatum)
    now = dt.datetime.now().astimezone()
    text = overlay_text(rows, family, catalog, f"ingelezen uit {Path(args.bestand).name} op {now:%d-%m-%Y %H:%M} "
                                               f"met jbjr-budget parameters importeer")
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
        load_parameters([temporary], user_folder=False)  # refuses (and writes nothing) if it would not load
    print(f"{len(rows)} tarieven ingelezen ({family}): {', '.join(r.code for r in rows)}")
    print(f"Parameterbestand geschreven: {target.resolve()}")
    for note in contracted_before(load_parameters(), catalog, rows, family):
        print(f"Let op: {note}.")
    if args.uitvoer:
        print(f"Gebruik het met --parameters {target}, of zet het in uw parametermap om er overal mee te rekenen.")
    else:
        print("Elke opdracht en elke JBJR-functie rekent er nu mee (start Excel opnieuw).")
    return 0


def run_lijst(args: argparse.Namespace) -> int:
    """Print the user's parameter folder and the files in it."""
    from jbjr_budget.rules.user_folder import USER_FOLDER_VAR, user_overlays, user_parameter_folder

    print(f"Parametermap: {user_parameter_folder()} (eigen map: zet {USER_FOLDER_VAR})")
    files = user_overlays()
    for file in files:
        print(f"  {file.name}")
    if not files:
        print("Geen eigen parameterbestanden: de meegeleverde waarden gelden.")
    else:
        print(f"{len(files)} eigen parameterbestand{'en' if len(files) > 1 else ''}.")
    return 0
