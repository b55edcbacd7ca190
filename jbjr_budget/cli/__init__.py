"""Command line ``jbjr-budget``: one module per subcommand, each with ``register(subparsers)``.

Subcommand modules import their heavy dependencies inside their ``run``
function, so ``jbjr-budget --help`` starts fast. Exit codes are the same for
every subcommand: 0 done, 1 data rejected or differences found, 2 wrong use.
A subcommand that leaves no cyclic garbage sets ``collect_cycles=False``: it
then runs without the cyclic garbage collector (see :func:`entry`).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from jbjr_budget.cli.console import pipe_safe_stdout
from jbjr_budget.cli.options import os_error_text
from jbjr_budget.cli.parser import Parser
from jbjr_budget.errors import GegevensFout, JbjrFout

__all__ = ["DATA_REJECTED", "OK", "WRONG_USE", "entry", "main"]

SUBCOMMAND_MODULES = ("begroting", "werkboek", "herbereken", "monitoring", "parameters")
OK, DATA_REJECTED, WRONG_USE = 0, 1, 2


def build_parser() -> Parser:
    """The argument parser with every subcommand registered."""
    parser = Parser(
        prog="jbjr-budget",
        description="Tarieven, begrotingen en monitoring voor jeugdbescherming en jeugdreclassering.",
        epilog="Exitcode: 0 gelukt, 1 gegevens afgewezen of afwijkingen gevonden, 2 verkeerd gebruik. "
               "Hulp per opdracht: jbjr-budget OPDRACHT --help.",
    )
    subparsers = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", required=True, title="opdrachten")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"jbjr_budget.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code: 0 done, 1 data rejected or differences found, 2 wrong use."""
    with pipe_safe_stdout():
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help (0) or a usage error (2), already reported
            return int(exc.code or 0)
        try:
            with _cycle_collector(on=getattr(args, "collect_cycles", True)):
                return int(args.run(args))
        except GegevensFout as exc:  # a parameter, scenario or catalogue file was refused, or results failed
            print(f"Fout: {exc}", file=sys.stderr)
            return DATA_REJECTED
        except JbjrFout as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return WRONG_USE
        except OSError as exc:  # BrokenPipeError never gets here: pipe_safe_stdout drops output to a closed pipe
            print(f"Fout: {os_error_text(exc)}", file=sys.stderr)
            return WRONG_USE
        except KeyboardInterrupt:
            print("Afgebroken.", file=sys.stderr)
            return 130


@contextmanager
def _cycle_collector(*, on: bool) -> Iterator[None]:
    """The cyclic garbage collector on or off while one subcommand runs; as it was afterwards."""
    was = gc.isenabled()
    _switch_collector(on=on)
    try:
        yield
    finally:
        _switch_collector(on=was)


def _switch_collector(*, on: bool) -> None:
    if on:
        gc.enable()
    else:
        gc.disable()


def entry() -> None:
    """The ``jbjr-budget`` program: :func:`main` in a process of its own, which then ends with its exit code.

    numpy's BLAS (OpenBLAS) would start a thread per core when numpy loads: no command does linear
    algebra large enough to gain from them, and a pool's workers would compete for the cores. Importing
    and parsing the arguments leave no cyclic garbage, so the cyclic collector starts off; :func:`main`
    turns it on for the subcommands that need it (all but ``herbereken``), and none is left to find
    when such a subcommand ends. At the end every object is frozen, so the interpreter's shutdown does
    not scan them all for reference cycles.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
