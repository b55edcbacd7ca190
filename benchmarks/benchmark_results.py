"""Summary rows of the benchmarks, kept in ``benchmarks/results.json`` and rendered as ``docs/benchmarks.md``.

Each benchmark ends with :func:`record` (one row per case it measures); ``render.py`` writes the
page from the file, and ``tests/test_benchmarks.py`` fails when the page and the file differ, so
the published figures are always the last ones measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
from collections.abc import Sequence
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")
FIELDS = ("script", "what", "measured", "goal", "comparison", "met", "date", "machine")


def spread(values: Sequence[float], unit: str = "ms", scale: float = 1000.0, digits: int = 1) -> str:
    """``min / median / max`` of ``values`` (seconds by default, shown in ``unit``)."""
    shown = [f"{v * scale:.{digits}f}" for v in (min(values), statistics.median(values), max(values))]
    return f"{' / '.join(shown)} {unit}"


def load(path: Path = RESULTS) -> list[dict[str, str]]:
    """The recorded rows, in page order."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []  # type: ignore[no-any-return]


def record(key: str, *, script: str, what: str, measured: str, goal: str, comparison: str, met: bool | None,
           path: Path = RESULTS) -> None:
    """Store (or replace) the row ``key``: what was measured, the figure, the goal and the comparison."""
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    row = {"key": key, "script": script, "what": what, "measured": measured, "goal": goal, "comparison": comparison,
           "met": {True: "yes", False: "NO", None: "-"}[met], "date": dt.datetime.now(dt.UTC).date().isoformat(),
           "machine": f"{os.cpu_count()} cores, load {load_average:.1f}"}
    rows = load(path)
    keys = [r["key"] for r in rows]
    if key in keys:
        rows[keys.index(key)] = row
    else:
        rows.append(row)
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nVastgelegd in {path.name} ({key}); maak de pagina opnieuw met: python benchmarks/render.py")
