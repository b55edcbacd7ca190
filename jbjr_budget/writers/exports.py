"""Export data frames (the ledger's tables) as CSV or Parquet files for BI tools, atomically."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.errors import JbjrFout

__all__ = ["FORMULA_STARTS", "Format", "export_frames"]

Format = Literal["csv", "parquet"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters with which a spreadsheet opening a CSV file starts a formula (CSV injection)."""


def export_frames(frames: Mapping[str, pd.DataFrame], folder: Path, fmt: Format) -> list[Path]:
    """Write each frame to ``folder/<name>.<fmt>``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    return [_write_frame(frame, folder / f"{name}.{fmt}", fmt) for name, frame in frames.items()]


def _inert_text(value: object) -> object:
    """A GI's text as a spreadsheet shows it literally: a leading ``'`` before a formula start.

    Examples:
        >>> _inert_text("- wachtlijst gedaald"), _inert_text("gedaald"), _inert_text(-3)
        ("'- wachtlijst gedaald", 'gedaald', -3)
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _write_frame(frame: pd.DataFrame, path: Path, fmt: Format) -> Path:
    with atomic_path(path) as temporary:
        if fmt == "csv":  # opened in Excel by people: texts must not run as formulas; Parquet keeps them as typed
            frame.map(_inert_text).to_csv(temporary, index=False)
        else:
            try:
                frame.to_parquet(temporary, index=False)
            except ImportError:
                raise JbjrFout("Parquet-export vraagt het pakket pyarrow (pip install \"jbjr-budget[bi]\"); "
                               "gebruik anders --csv") from None
    return path
