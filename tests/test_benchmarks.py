"""The benchmark page shows the figures last recorded: docs/benchmarks.md is rendered from benchmarks/results.json."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_the_page_is_rendered_from_the_results_file() -> None:
    render = _script("render")
    assert (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8") == render.render(render.load()), (
        "docs/benchmarks.md is stale: run python benchmarks/render.py")


def test_every_benchmark_script_has_a_row() -> None:
    rows = _script("benchmark_results").load()
    recorded = {row["script"] for row in rows}
    scripts = {f"benchmarks/{p.name}" for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert scripts - {"benchmarks/bench_lookups.py"} <= recorded  # the lookup benchmark is a diagnosis, no goal row
    assert all(set(row) >= {"script", "what", "measured", "goal", "comparison", "met"} for row in rows)


def test_recording_replaces_a_row_and_keeps_the_order(tmp_path: Path) -> None:
    results = _script("benchmark_results")
    path = tmp_path / "results.json"
    for key, figure in (("a", "1 ms"), ("b", "2 ms"), ("a", "3 ms")):
        results.record(key, script=f"benchmarks/{key}.py", what="x", measured=figure, goal="<= 5 ms",
                       comparison="-", met=True, path=path)
    assert [(r["key"], r["measured"]) for r in results.load(path)] == [("a", "3 ms"), ("b", "2 ms")]
