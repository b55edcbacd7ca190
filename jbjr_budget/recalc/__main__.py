"""``python -m jbjr_budget.recalc PAD...``: the ``herbereken`` subcommand on its own (quick start-up for CI)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from jbjr_budget.cli import herbereken
from jbjr_budget.errors import JbjrFout


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``herbereken`` with the given arguments; exit code as ``jbjr-budget herbereken``."""
    parser = argparse.ArgumentParser(prog="python -m jbjr_budget.recalc")
    herbereken.register(parser.add_subparsers(dest="opdracht", required=True))
    args = parser.parse_args(["herbereken", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.run(args))
    except JbjrFout as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
