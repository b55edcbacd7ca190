"""What every subcommand says about the values its figures rest on: example values, provisional figures, own files."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["print_marks", "print_marks_of_functions"]


def print_marks(examples: Sequence[str], provisional: Sequence[str], *, which: str = "gebruikte parameters") -> None:
    """Print the warnings about example and provisional values, and which own parameter files were loaded."""
    from jbjr_budget.rules.user_folder import user_overlays
    from jbjr_budget.writers.mark_texts import warnings

    for label, text in warnings(examples, provisional, which=which):
        print(f"\n{label}: {text}")
    own = user_overlays()
    if own:
        print(f"\nEigen parameterbestanden geladen: {', '.join(str(p) for p in own)}")


def _calls_jbjr(path: Path) -> bool:
    """True when a worksheet of the workbook at ``path`` has a formula calling a JBJR function."""
    try:
        with zipfile.ZipFile(path) as package:
            return any(b"JBJR_" in package.read(name) for name in package.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def print_marks_of_functions(paths: Sequence[Path]) -> None:
    """For workbooks that call JBJR functions: the example and provisional values in force that those functions read.

    Which of them a workbook's calls really read is known only inside the processes that computed them,
    so the warning names the parameters in force (bundled and own files), not those used.
    """
    calling = [p for p in paths if _calls_jbjr(p)]
    if not calling:
        return
    from jbjr_budget.rules.parameters import load_parameters
    from jbjr_budget.rules.provenance import marked

    found = marked(load_parameters(), dt.datetime.now().astimezone().date())
    examples = [path for path, value in found if value.voorbeeld]
    provisional = [path for path, value in found if value.voorlopig]
    if examples or provisional:
        print(f"\nDe JBJR-functies in {', '.join(p.name for p in calling)} rekenen met de parameters die nu "
              "gelden; daaronder zijn de voorbeeldwaarden en voorlopige cijfers hieronder. =JBJR_VOORBEELDEN() toont "
              "ze in Excel.")
        print_marks(examples, provisional, which="geldende parameters")
