"""LibreOffice as an independent reader: does what it shows agree with what the importer books or refuses?"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jbjr_budget.monitoring.layout import CHECK_OK, META_SHEET, Field, Layout

Report = dict  # what lo_office.py writes for one file
TOLERANCE = 1e-9


def cells_to_read(layout: Layout) -> list[tuple[str, str]]:
    """Every input cell and every Controle cell of a layout."""
    return [(f.sheet, f.cell) for f in layout.fields()] + [(c.sheet, c.cell) for c in layout.checks()]


def failing_checks(layout: Layout, report: Report) -> set[tuple[str, str]]:
    """The input cells whose Controle cell LibreOffice shows red (anything but OK), as the importer names them."""
    return {(c.sheet, c.target) for c in layout.checks() if report["cells"][f"{c.sheet}!{c.cell}"][2] != CHECK_OK}


def disagreements(layout: Layout, report: Report, booked: dict[tuple[str, tuple[tuple[str, str], ...], str], object]
                  ) -> list[str]:
    """Where LibreOffice shows something else than the ledger holds for an accepted file (empty: they agree)."""
    problems = []
    visible = sorted(name for name, shown in report["sheets"] if shown)
    if visible != sorted(s.name for s in layout.sheets) or [META_SHEET, False] not in report["sheets"]:
        problems.append(f"sheets {report['sheets']}")
    problems += [f"{cell}: Controle {shown!r}" for cell, shown in
                 ((f"{c.sheet}!{c.cell}", report["cells"][f"{c.sheet}!{c.cell}"][2]) for c in layout.checks())
                 if shown != CHECK_OK]
    for field in layout.fields():
        seen = _seen(field, report["cells"][f"{field.sheet}!{field.cell}"])
        value = booked[(field.table, field.keys, field.column)]
        if not _same(field, seen, value):
            problems.append(f"{field.sheet}!{field.cell}: LibreOffice {seen!r}, ledger {value!r}")
    return problems


def _seen(field: Field, cell: list) -> object:
    """The value LibreOffice shows in an input cell, in the ledger's units (percent signs applied, cents)."""
    kind, number, text, number_format = cell
    if kind == "EMPTY":
        return 0 if field.empty == "nul" else None
    if kind != "VALUE":
        return text.strip() if kind == "TEXT" else f"{kind}:{text}"
    if _percent(number_format):
        number *= 100
    if field.kind == "bedrag":
        return int(Decimal(repr(number)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    return number


def _percent(number_format: str) -> bool:
    outside_quotes = number_format.split('"')[::2]
    return any("%" in part.replace("\\%", "") for part in outside_quotes)


def _same(field: Field, seen: object, value: object) -> bool:
    if isinstance(seen, float) and isinstance(value, int | float) and field.kind != "bedrag":
        return abs(seen - value) <= TOLERANCE * max(1.0, abs(seen))
    return seen == value
