"""The importer's own harness: filled templates with random values as spreadsheets store them, and verdicts.

A :class:`Filled` file holds random values for every input cell, stored the ways Excel and LibreOffice
store what a person types (whole numbers with float noise, percentages typed with ``%``, sub-cent amounts,
texts), and the ledger values and issues a correct importer must produce, worked out here from the typed
values (Decimal arithmetic, cents half away from zero) and not by the importer's code. Mutations
(:mod:`monitoring_cases.mutations`) turn a clean file into a :class:`Case` with its expected verdict.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jbjr_budget.monitoring.layout import Field, Layout, build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.validate import Validation
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template
from monitoring_cases.package_edit import Parts, empty_cell, number_cell, text_cell

Key = tuple[str, tuple[tuple[str, str], ...], str]
Expected = tuple[str, str | None, str | None]
"""An expected issue: a part of its message, its sheet and its cell."""
BASES = (("jgb", "alkmaar", "2026-Q1"), ("wss", "ijmond", "2026-M05"), ("ljr", "kop_van_noord_holland", "2027-Q3"),
         ("jgb", "zuid_kennemerland", "2026-M12"))
TEXT = string.ascii_letters + string.digits + " .,;:!?()-'\"ëéïüö€%/\n"


@dataclass
class Filled:
    """A filled template: its parts, what was typed, the ledger a correct importer books, the issues it reports."""

    layout: Layout
    name: str
    parts: Parts
    typed: dict[tuple[str, str], object] = field(default_factory=dict)
    expected: dict[Key, object] = field(default_factory=dict)
    issues: list[Expected] = field(default_factory=list)

    def field(self, table: str, column: str, index: int = 0) -> Field:
        return [f for f in self.layout.fields() if f.table == table and f.column == column][index]


@dataclass(frozen=True)
class Case:
    """One file to import and its verdict: the ledger values (accepted) or the issues (refused)."""

    kind: str
    name: str
    data: bytes
    expected: dict[Key, object] | None
    issues: tuple[Expected, ...] = ()


def bases(catalog: Catalog, folder: Path) -> list[tuple[Layout, bytes]]:
    """Empty templates as the template writer makes them, for quarters and months."""
    made = []
    for gi, regio, code in BASES:
        layout = build_layout(catalog, gi, regio, Periode.parse(code))
        path = write_template(layout, folder / template_name(gi, regio, layout.periode))
        made.append((layout, path.read_bytes()))
    return made


def fill(rng: random.Random, layout: Layout, template: bytes, *, clean: bool) -> Filled:
    """Random values in every input cell; ``clean`` keeps every live check green."""
    filled = Filled(layout, template_name(layout.gi, layout.regio, layout.periode), Parts.load(template))
    rows: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Field]] = {}
    for item in layout.fields():
        rows.setdefault((item.table, item.keys), {})[item.column] = item
    for (table, _), fields in rows.items():
        if table == "volume":
            _volume(rng, filled, fields, clean)
        elif table == "inspectie":
            _inspectie(rng, filled, fields, clean)
        elif table == "financien":
            _financien(rng, filled, fields, clean)
        else:
            for item in fields.values():
                _any(rng, filled, item)
    styles = {sheet.name: filled.parts.styles(sheet.name) for sheet in layout.sheets}
    by_sheet: dict[str, dict[str, str]] = {}
    for (sheet, cell), value in filled.typed.items():
        by_sheet.setdefault(sheet, {})[cell] = _stored(rng, filled, sheet, cell, styles[sheet][cell], value)
    for sheet, cells in by_sheet.items():
        filled.parts.set_cells(sheet, cells)
    return filled


def _type(filled: Filled, item: Field, value: object, expected: object = None) -> None:
    filled.typed[(item.sheet, item.cell)] = value
    filled.expected[(item.table, item.keys, item.column)] = value if expected is None else expected


def _volume(rng: random.Random, filled: Filled, fields: dict[str, Field], clean: bool) -> None:
    begin, inflow = rng.randint(0, 60), rng.randint(0, 15)
    outflow = rng.randint(0, begin + inflow)
    end = begin + inflow - outflow
    if not clean and rng.random() < 0.05:
        end += 1 if end == 0 else rng.choice((-1, 1))
        filled.issues.append(("controle mislukt: begin + instroom - uitstroom", fields["stand_einde"].sheet,
                              fields["stand_einde"].cell))
    for column, value in (("stand_begin", begin), ("instroom", inflow), ("uitstroom", outflow),
                          ("stand_einde", end), ("wachtenden", rng.randint(0, 9))):
        _type(filled, fields[column], value)
    for column in ("gem_duur_maanden", "gem_wachttijd_dagen"):
        _any(rng, filled, fields[column])


def _inspectie(rng: random.Random, filled: Filled, fields: dict[str, Field], clean: bool) -> None:
    cases = rng.randint(0, 40)
    _type(filled, fields["zaken"], cases)
    for column in ("binnen_5_werkdagen", "binnen_6_weken", "binnen_3_maanden"):
        count = rng.randint(0, cases)
        if not clean and rng.random() < 0.05:
            count = cases + 1
            filled.issues.append(("controle mislukt: aantal binnen", fields[column].sheet, fields[column].cell))
        _type(filled, fields[column], count)


def cents(amount: Decimal) -> int:
    """Whole cents, half away from zero: the rounding the template's Controle cell and the ledger use."""
    return int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)


def _amount(rng: random.Random) -> Decimal:
    """Up to 9 million euros with up to four decimals; often exactly half a cent, where rounding rules part."""
    if rng.random() < 0.3:
        return Decimal(rng.randint(0, 900_000_000) * 10 + 5) / 1000
    return Decimal(rng.randint(0, 90_000_000_000)) / 10_000


def _financien(rng: random.Random, filled: Filled, fields: dict[str, Field], clean: bool) -> None:
    omzet, kosten = (_amount(rng) for _ in range(2))
    resultaat = omzet - kosten
    if rng.random() < 0.5:  # sub-cent differences the Controle cell may or may not accept
        resultaat += Decimal(rng.randint(-99, 99)) / 10_000
    if clean:
        resultaat = Decimal(cents(omzet) - cents(kosten)) / 100
    elif cents(omzet) - cents(kosten) != cents(resultaat):
        filled.issues.append(("controle mislukt: resultaat", fields["resultaat_centen"].sheet,
                              fields["resultaat_centen"].cell))
    for column, amount in (("omzet_centen", omzet), ("kosten_centen", kosten), ("resultaat_centen", resultaat)):
        _type(filled, fields[column], amount, cents(amount))
    for column in ("eigen_vermogen_centen", "weerstandsvermogen_pct", "status"):
        _any(rng, filled, fields[column])


def _any(rng: random.Random, filled: Filled, item: Field) -> None:
    """A plausible value for a field of any kind (or nothing, where empty is allowed)."""
    if item.empty != "verplicht" and rng.random() < 0.2:
        filled.expected[(item.table, item.keys, item.column)] = 0 if item.empty == "nul" else None
        return
    low, high = item.bounds
    if item.kind == "keuze":
        _type(filled, item, rng.choice(item.choices))
    elif item.kind == "tekst":
        text = "".join(rng.choice(TEXT) for _ in range(rng.randint(1, 80))).strip() or "x"
        _type(filled, item, "x" + text if text.startswith("=") else text)
    elif item.kind == "bedrag":
        bottom = -(10**9) if low is None or low < 0 else 0
        amount = Decimal(rng.randint(bottom, 10**9)) / 100
        _type(filled, item, amount, cents(amount))
    elif item.kind == "geheel":
        _type(filled, item, rng.randint(0, 99))
    else:
        bottom, top = int(low or 0) * 100, int(high if high is not None else 500) * 100
        number = Decimal(rng.randint(bottom, top)) / 100
        _type(filled, item, number, float(number))


def _stored(rng: random.Random, filled: Filled, sheet: str, cell: str, style: str, value: object) -> str:
    """The ``<c>`` element a spreadsheet writes for a typed value; percentages sometimes typed with ``%``."""
    if isinstance(value, str):
        return text_cell(cell, style, value)
    if value is None:
        return empty_cell(cell, style)
    item = filled.layout.by_cell[(sheet, cell)]
    if item.kind == "percentage" and rng.random() < 0.5:
        return number_cell(cell, filled.parts.add_style(style, rng.choice(("0.0%", "0%", "0.00%"))),
                           repr(float(Decimal(str(value)) / 100)))
    if isinstance(value, int) and value and rng.random() < 0.2:  # float noise a formula or paste leaves behind
        return number_cell(cell, style, repr(math.nextafter(float(value), math.inf)))
    return number_cell(cell, style, repr(float(value)) if isinstance(value, Decimal) else str(value))


def verdict(case: Case, result: Validation) -> list[str]:
    """How the importer's result differs from the expected verdict (empty when it agrees)."""
    found = [(issue.message, issue.sheet, issue.cell) for issue in result.issues]
    if case.expected is not None:
        if result.submission is None:
            return [f"wrongly refused: {found}"]
        booked = booked_values(result)
        return [f"{key}: booked {booked.get(key)!r}, expected {value!r}"
                for key, value in case.expected.items() if booked.get(key) != value]
    problems = [] if result.submission is None else ["wrongly accepted"]
    missing = [issue for issue in case.issues
               if not any(issue[0] in message and (sheet, cell) == issue[1:] for message, sheet, cell in found)]
    if missing or len(found) != len(case.issues):
        problems.append(f"issues {found}, expected {list(case.issues)}")
    return problems


def booked_values(result: Validation) -> dict[Key, object]:
    """The values a validation would book, keyed like :attr:`Filled.expected`."""
    assert result.submission is not None
    booked: dict[Key, object] = {}
    key_columns = ("product", "gemeente", "sectie")
    for table, rows in result.submission.rows.items():
        for row in rows:
            keys = tuple((k, str(row[k])) for k in key_columns if k in row)
            booked.update({(table, keys, column): value for column, value in row.items() if column not in key_columns})
    return booked
