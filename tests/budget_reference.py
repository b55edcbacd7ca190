"""A second method for the budget: every line in Decimal, one at a time, straight from the rules.

The library computes the whole table in integer arrays (``jbjr_budget.rules.budget_lines``); this
reference follows the rule per line (volume = youths x volume per 1,000 x path factor, rounded to
0.001; tariff of 1 January; ``line_amount`` with ``year_fraction``), so the two can be compared to
the cent. It also builds the national case (342 municipalities in 42 regions, all products) that
``benchmarks/bench_national.py`` times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jbjr_budget.rules.budget_lines import Deelname, line_amount, year_fraction
from jbjr_budget.rules.catalog import Catalog, Gemeente, Regio
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.targets import volume_path_setting
from jbjr_budget.rules.tariffs import tariff
from jbjr_budget.rules.volumes import MILLI, volume_per_1000, youths

MUNICIPALITIES, REGIONS, NATIONAL_YEARS = 342, 42, list(range(2026, 2031))
NATIONAL_SCENARIOS = ["basis", "doelpad_min20", "caseload_15"]
CONTRACTS = ("nw4", "jb_west")
Line = tuple[str, str, str, int]
"""Region, municipality, product, year."""


def national_catalog(base: Catalog) -> Catalog:
    """342 synthetic municipalities spread over 42 regions, each buying every product.

    The regions buy under the two contracts with regional tariffs, in turn (NW4 and JB West).
    """
    products = tuple(base.producten)
    regios = {}
    for r in range(REGIONS):
        key = f"regio_{r:02d}"
        members = tuple(Gemeente(f"gemeente_{g:03d}", f"Gemeente {g}", key)
                        for g in range(MUNICIPALITIES) if g % REGIONS == r)
        regios[key] = Regio(key, f"Regio {r}", CONTRACTS[r % len(CONTRACTS)], ("jgb",), members, products)
    return replace(base, regios=regios)


def youth_overlay(folder: Path) -> Path:
    """Parameter overlay with a youth count for every synthetic municipality."""
    lines = ["bevolking:", "  jeugdigen_0_17:"]
    for g in range(MUNICIPALITIES):
        lines += [f"    gemeente_{g:03d}:", "      metadata: {unit: jeugdigen, reference: benchmark}",
                  "      values:", f"        2024-01-01: {{value: {2000 + 97 * g}, reference: benchmark}}"]
    path = folder / "jeugdigen.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def reference_lines(
    tree: ParameterTree, catalog: Catalog, regios: Sequence[str], years: Sequence[int],
    periode: Deelname | None = None, deelname: Mapping[str, Deelname] | None = None,
) -> dict[Line, tuple[Decimal, Decimal, Decimal]]:
    """Volume, tariff and amount (euros) of every line, each worked out on its own in Decimal."""
    first = dt.date(years[0], 1, 1)
    path = volume_path_setting(tree, catalog, first)
    reference = path.target.referentiedatum if path.target else first
    found = {}
    for regio in (catalog.regio(r) for r in regios):
        for gemeente in regio.gemeenten:
            period = (deelname or {}).get(gemeente.key, periode or Deelname())
            for code in regio.producten:
                for year in years:
                    factor = path.year_factor(year) if code in path.products else Decimal(1)
                    volume = (youths(tree, gemeente.key, first) * volume_per_1000(tree, code, reference) / 1000
                              * factor).quantize(MILLI, ROUND_HALF_UP)
                    unit_tariff = tariff(tree, code, dt.date(year, 1, 1), regio)
                    amount = line_amount(volume, catalog.product(code).eenheid, unit_tariff,
                                         year_fraction(year, period.start, period.end))
                    found[(regio.key, gemeente.key, code, year)] = (volume, unit_tariff, amount)
    return found
