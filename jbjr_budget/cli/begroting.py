"""``jbjr-budget begroting``: the main job, a multi-year budget workbook for controllers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jbjr_budget.models.begroting import Begroting

from jbjr_budget.cli.marks import print_marks
from jbjr_budget.cli.options import existing_path, output_file, years

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``begroting`` subcommand."""
    parser = subparsers.add_parser(
        "begroting", help="meerjarenbegroting als Excel-werkboek (standaard: NW4, 2026-2030)",
        description="Berekent tarieven, volumes, begroting, kostprijs, scenario's en weerstandsvermogen.",
    )
    parser.add_argument("--regio", action="append", dest="regios", metavar="REGIO",
                        help="regio (sleutel of naam); herhaal voor meer regio's (standaard: de NW4-regio's)")
    parser.add_argument("--jaren", type=years, default=range(2026, 2031),
                        help="eerste en laatste jaar, bijv. 2026-2030, of één jaar (standaard: 2026-2030)")
    parser.add_argument("--parameters", action="append", type=existing_path, default=[], metavar="BESTAND",
                        help="eigen parameterbestand (YAML) over de meegeleverde waarden heen; herhaalbaar")
    parser.add_argument("--scenario", action="append", type=existing_path, default=[], metavar="BESTAND",
                        dest="scenarios",
                        help="eigen scenario (YAML-overlay, naam = bestandsnaam) naast de meegeleverde scenario's; "
                             "herhaalbaar")
    parser.add_argument("--uitvoer", type=output_file, metavar="BESTAND",
                        help="pad van het werkboek (standaard: begroting_<regio>_<jaren>.xlsx)")
    parser.set_defaults(run=run)


def _default_name(regios: list[str] | None, years: range) -> str:
    label = "nw4" if not regios else "_".join(r.strip().lower().replace(" ", "_") for r in regios)
    return f"begroting_{label}_{years[0]}-{years[-1]}.xlsx"


def run(args: argparse.Namespace) -> int:
    """Compute the budget, write the workbook and print a Dutch summary."""
    from jbjr_budget.models.begroting import compute_begroting
    from jbjr_budget.writers.begroting_workbook import write_begroting

    begroting = compute_begroting(args.regios, args.jaren, args.parameters, args.scenarios)
    path = write_begroting(begroting, args.uitvoer or Path(_default_name(args.regios, args.jaren)))
    print(_summary(begroting))
    print_marks(begroting.voorbeeldwaarden(), begroting.voorlopige_waarden())
    print(f"\nWerkboek geschreven: {path.resolve()}")
    return 0


def _summary(begroting: Begroting) -> str:
    names = list(begroting.scenarios)
    totals = [begroting.totaal_per_jaar(n) for n in names]
    lines = ["Begroting in euro (" + ", ".join(begroting.catalog.regio(r).naam for r in begroting.regios) + ")",
             f"{'Jaar':<6}" + "".join(f"{n:>20}" for n in names)]
    for y, year in enumerate(begroting.jaren):
        lines.append(f"{year:<6}" + "".join(f"{_euro_text(t[y]):>20}" for t in totals))
    reached = begroting.norm_bereikt
    outcome = f"bereikt in {reached}" if reached else "niet bereikt in de planperiode"
    lines.append(f"Weerstandsvermogen: norm {outcome}")
    return "\n".join(lines)


def _euro_text(cents: int) -> str:
    """Dutch money notation: thousands with dots, decimal comma."""
    return f"{cents / 100:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
