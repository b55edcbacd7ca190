"""Write ``docs/benchmarks.md`` from ``benchmarks/results.json`` (``--check``: only say whether it is current).

    python benchmarks/render.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark_results import RESULTS, load

PAGE = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Each script in `benchmarks/` prints its goal, its figure (min / median / max over repeated runs) and the
comparison, and records a summary row in `benchmarks/results.json`; this page is rendered from that file
by `python benchmarks/render.py` (a test fails when they differ). Figures are from the 2-core reference
machine (Python 3.11, LibreOffice 7.4.7); the load column says how busy it was while measuring.

| Script | What | Measured (min / median / max) | Goal | Comparison | Met | Date | Machine |
|---|---|---|---|---|---|---|---|
"""


def render(rows: list[dict[str, str]]) -> str:
    """The page for ``rows``."""
    cells = ("script", "what", "measured", "goal", "comparison", "met", "date", "machine")
    lines = ["| " + " | ".join(f"`{r[c]}`" if c == "script" else r[c] for c in cells) + " |" for r in rows]
    return HEADER + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the page is stale")
    args = parser.parse_args()
    page = render(load(RESULTS))
    if args.check:
        current = PAGE.exists() and PAGE.read_text(encoding="utf-8") == page
        print("docs/benchmarks.md is current" if current else "docs/benchmarks.md is stale: run benchmarks/render.py")
        return 0 if current else 1
    PAGE.write_text(page, encoding="utf-8")
    print(f"{PAGE} written ({len(load(RESULTS))} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
