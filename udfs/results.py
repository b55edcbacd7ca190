"""Turn engine output into what a cell shows: floats, texts, a row or column, a table with a header row.

Tables are built a column at a time where they are long (budget lines), and
without pandas: importing the worksheet functions must stay light.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from jbjr_budget.rules.budget_table import BudgetLines
from jbjr_budget.rules.money import cents_to_euro, euro_floats
from jbjr_budget.rules.reserves import MonteCarloResult, ReserveYear
from jbjr_budget.writers.mark_texts import mark_text
from udfs.convert import Orientation, catalog
from udfs.registration import Cel

__all__ = ["as_shaped", "budget_table", "monte_carlo_table", "output", "output_or", "reserve_table", "table"]


def output(value: Cel) -> Cel:
    """A value a cell can hold: Decimals and fractions as floats, ``None`` as empty text."""
    if value is None:
        return ""
    if isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, Decimal | Fraction):
        return float(value)
    if hasattr(value, "item"):  # numpy scalar
        return output(value.item())
    return str(value)


def as_shaped(values: Iterable[Any], shape: Orientation) -> list[list[Any]]:
    """Values as one row or one column (a 2D list Excel spills)."""
    converted = [output(v) for v in values]
    return [converted] if shape == "rij" else [[v] for v in converted]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """A table with a header row, every value converted for a cell."""
    return [list(headers), *([output(v) for v in row] for row in rows)]


def budget_table(lines: BudgetLines, headers: Sequence[str]) -> list[list[Any]]:
    """Budget lines as a table: names instead of keys, euros instead of cents (whole columns at once).

    The last column says whether a line rests on an example value or a provisional figure.
    """
    regio_names = [catalog().regio(r).naam for r in lines.regios]
    gemeente_names = {g.key: g.naam for g in catalog().gemeenten(lines.regios)}
    columns = [
        np.array(regio_names, dtype=object)[lines.regio].tolist(),
        np.array([gemeente_names[g] for g in lines.gemeenten], dtype=object)[lines.gemeente].tolist(),
        np.array(lines.producten, dtype=object)[lines.product].tolist(),
        np.array(lines.jaren)[lines.jaar].tolist(),
        lines.volume.tolist(), euro_floats(lines.tarief_centen), euro_floats(lines.bedrag_centen),
        _marks(lines),
    ]
    return [list(headers), *map(list, zip(*columns, strict=True))]


def _marks(lines: BudgetLines) -> list[str]:
    """Per line what it rests on (:func:`mark_text`), looked up for the four combinations of the two flags."""
    texts = np.array([mark_text(e, p) for p in (False, True) for e in (False, True)], dtype=object)
    return texts[lines.voorbeeld.astype(np.intp) + 2 * lines.voorlopig.astype(np.intp)].tolist()  # type: ignore[no-any-return]


def reserve_table(path: Sequence[ReserveYear], headers: Sequence[str]) -> list[list[Any]]:
    """A reserve path as a table: euros instead of cents, ``Ja``/``Nee`` for the surcharge."""
    rows = (
        (y, cents_to_euro(base), "Ja" if active else "Nee", *map(cents_to_euro, (s, t, c, r, res)), pct)
        for y, base, active, s, t, c, r, res, pct in path
    )
    return table(headers, rows)


def monte_carlo_table(result: MonteCarloResult) -> list[list[Any]]:
    """A Monte Carlo summary as a two-column table (what, value)."""
    p5, p50, p95 = result.reserve_eind_p5_p50_p95
    rows: list[tuple[str, Any]] = [
        ("Aantal runs", result.runs),
        ("Kans dat de reserve ooit negatief wordt", result.kans_negatief),
        ("Kans dat de norm niet bereikt wordt", result.niet_bereikt),
        *((f"Kans dat de norm eerst in {y} bereikt wordt", share) for y, share in result.bereikt_per_jaar.items()),
        ("Reserve eind laatste jaar, P5 (EUR)", p5),
        ("Reserve eind laatste jaar, P50 (EUR)", p50),
        ("Reserve eind laatste jaar, P95 (EUR)", p95),
    ]
    return table(("Uitkomst", "Waarde"), rows)


def output_or(value: Cel, when_none: str) -> Cel:
    """:func:`output`, with a Dutch text when the engine found no value."""
    return when_none if value is None else output(value)
