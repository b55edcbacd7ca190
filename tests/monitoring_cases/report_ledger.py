"""A ledger with five submissions (three in 2026-Q1, two for the target reference and an earlier quarter)."""

from __future__ import annotations

from pathlib import Path

from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template
from monitoring_cases.fill import typed_values

Q1 = Periode.parse("2026-Q1")
SUBMISSIONS = [("jgb", "alkmaar", "2026-Q1", 1), ("ljr", "alkmaar", "2026-Q1", 2), ("wss", "ijmond", "2026-Q1", 3),
               ("jgb", "alkmaar", "2022-Q1", 4), ("jgb", "alkmaar", "2025-Q4", 5)]


def build_report_ledger(root: Path, catalog: Catalog) -> dict:
    """Write, fill and import the submissions; returns the ledger path and the typed values per submission."""
    typed = {}
    for gi, regio, code, seed in SUBMISSIONS:
        periode = Periode.parse(code)
        layout = build_layout(catalog, gi, regio, periode)
        values = typed_values(layout, seed)
        write_template(layout, root / "in" / template_name(gi, regio, periode), values)
        typed[(gi, regio, code)] = {(f.table, f.keys, f.column): values.get((f.sheet, f.cell))
                                    for f in layout.fields()}
    ledger = root / "gb.sqlite"
    outcomes = import_files([root / "in"], ledger)
    if any(o.status != "nieuw" for o in outcomes):
        raise AssertionError(outcomes)
    return {"typed": typed, "ledger": ledger, "root": root}


def typed_sum(typed: dict, code: str, regio: str | None, table: str, column: str,
               keys: dict[str, object] | None = None) -> int:
    total = 0
    for (_, reg, period), values in typed.items():
        if period != code or (regio and reg != regio):
            continue
        for (t, row_keys, c), value in values.items():
            if t == table and c == column and all(dict(row_keys).get(k) in v for k, v in (keys or {}).items()):
                total += value or 0
    return total
