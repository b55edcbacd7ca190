"""Command line ``jbjr-budget``: one module per subcommand, each with ``register(subparsers)``.

Subcommand modules import their heavy dependencies inside their ``run``
function, so ``jbjr-budget --help`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from jbjr_budget.errors import JbjrFout

__all__ = ["main"]

SUBCOMMAND_MODULES = ("begroting", "werkboek", "herbereken", "monitoring")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="jbjr-budget",
        description="Tarieven, begrotingen en monitoring voor jeugdbescherming en jeugdreclassering.",
    )
    subparsers = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", required=True)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"jbjr_budget.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (0 ok, 1 partly failed, 2 error)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except JbjrFout as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
