"""The begroting's tables of tariffs, index rates and cost prices, each row saying what it rests on.

Every table carries the columns ``voorbeeld`` and ``voorlopig``: true when the
row's figures rest on an example value (not a published figure) or on a
provisional figure. The writers render these marks; they compute nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

from jbjr_budget.rules.budget_lines import FLAG_COLUMNS, units_per_year
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.costprice import caseload_norm, cost_covering_gap, cost_price_elements, fte_needed, weight
from jbjr_budget.rules.indexation import index_rate
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.provenance import Herkomst
from jbjr_budget.rules.tariffs import family_key, tariff, tariff_path

__all__ = [
    "BUILD_UP", "Flags", "any_flags", "cost_build_up", "cost_table", "index_table", "tariff_table", "totals",
    "volume_totals",
]

BUILD_UP = ["personeel_clientgebonden", "personeel_niet_clientgebonden", "overige_clientgebonden", "overhead",
            "indexatie", "marge"]
"""The elements of the cost price (art. 2.3 Besluit Jeugdwet, and the margin), in the order they are built."""


class Flags(NamedTuple):
    """Whether figures rest on an example value or a provisional figure."""

    voorbeeld: bool = False
    voorlopig: bool = False

    def __or__(self, other: object) -> Flags:
        """Either's example or provisional values."""
        if not isinstance(other, Flags):
            return NotImplemented
        return Flags(self.voorbeeld or other.voorbeeld, self.voorlopig or other.voorlopig)

    @classmethod
    def of(cls, herkomst: Herkomst) -> Flags:
        """The flags of what a figure rests on."""
        return cls(herkomst.is_voorbeeld, herkomst.is_voorlopig)

    @classmethod
    def any_of(cls, frame: pd.DataFrame) -> Flags:
        """The flags of a frame's rows together (its ``voorbeeld`` and ``voorlopig`` columns)."""
        return cls(bool(frame["voorbeeld"].any()), bool(frame["voorlopig"].any()))


def _flag_columns(flags: Iterable[Flags]) -> dict[str, list[bool]]:
    listed = list(flags)
    return {"voorbeeld": [f.voorbeeld for f in listed], "voorlopig": [f.voorlopig for f in listed]}


def volume_totals(regels: pd.DataFrame, scenario: str, year: int, by: str = "product") -> dict[str, Decimal]:
    """Volume per ``by`` (a column) over all municipalities, summed exactly on the 0.001 grid of the lines.

    The lines carry volume as a float for display; summing those floats gives
    noise such as 482.15999999999997, which must not reach an amount of money.
    """
    lines = regels[(regels["scenario"] == scenario) & (regels["jaar"] == year)]
    milli = (lines["volume"] * 1000).round().astype("int64")
    totals = milli.groupby(lines[by], sort=False).sum()
    return {str(key): Decimal(int(m)).scaleb(-3) for key, m in totals.items()}


def _with_tariff_paths(tree: ParameterTree, catalog: Catalog, lines: pd.DataFrame) -> pd.DataFrame:
    """``lines`` with the parameter path of each line's tariff in its year (``tarief``)."""
    pairs = dict.fromkeys(zip(lines["regio"], lines["product"], lines["jaar"], strict=True))
    paths = {key: tariff_path(tree, key[1], dt.date(int(key[2]), 1, 1), catalog.regio(key[0])) for key in pairs}
    keys = zip(lines["regio"], lines["product"], lines["jaar"], strict=True)
    return lines.assign(tarief=[paths[key] for key in keys])


def tariff_table(tree: ParameterTree, catalog: Catalog, lines: pd.DataFrame) -> pd.DataFrame:
    """Each tariff the lines use: product, family (national, contract or region), year, amount and its flags."""
    used = _with_tariff_paths(tree, catalog, lines).drop_duplicates(["product", "tarief", "jaar"])
    rows, flags = [], []
    for r in used.sort_values(["product", "tarief", "jaar"], kind="stable").itertuples():
        on, product = dt.date(int(r.jaar), 1, 1), catalog.product(r.product)
        amount, herkomst = tree.traced(functools.partial(tariff, tree, r.product, on, catalog.regio(r.regio)))
        rows.append((r.product, product.naam, product.eenheid_label, family_key(str(r.tarief)), r.tarief, int(r.jaar),
                     to_cents(amount)))
        flags.append(Flags.of(herkomst))
    columns = ["product", "naam", "eenheid", "tariefsoort", "parameter", "jaar", "tarief_centen"]
    return pd.DataFrame(rows, columns=columns).assign(**_flag_columns(flags))


def index_table(tree: ParameterTree, years: Sequence[int]) -> pd.DataFrame:
    """The applied index rate of each year with its build-up (published figures or the named assumption)."""
    traced = [tree.traced(functools.partial(index_rate, tree, year)) for year in years]
    rows = [(r.jaar, r.rate, r.basis, r.voorlopig_gewogen, r.nacalculatie, r.methode) for r, _ in traced]
    columns = ["jaar", "percentage", "basis", "voorlopig_gewogen", "nacalculatie", "methode"]
    return pd.DataFrame(rows, columns=columns).assign(**_flag_columns(Flags.of(h) for _, h in traced))


def cost_table(trees: dict[str, ParameterTree], catalog: Catalog, regels: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per scenario, product and tariff family: tariff, cost price, the gap per unit and in total, fte needed."""
    on = dt.date(year, 1, 1)
    rows, flags = [], []
    for name, tree in trees.items():
        norm, herkomst = tree.traced(functools.partial(caseload_norm, tree, on))
        lines = _with_tariff_paths(tree, catalog, regels[(regels["scenario"] == name) & (regels["jaar"] == year)])
        first_regio = dict(zip(lines["tarief"], lines["regio"], strict=True))
        for path, volume in volume_totals(lines, name, year, by="tarief").items():
            code = path.rsplit(".", 1)[1]
            product = catalog.product(code)
            with tree.trace() as seen:
                price = cost_price_elements(tree, product, on).totaal
                unit_tariff = tariff(tree, code, on, catalog.regio(first_regio[path]))
                fte = fte_needed(volume, norm, weight(tree, code, on)) if product.eenheid == "maand" else Decimal(0)
            gap = cost_covering_gap(unit_tariff, price)
            rows.append((name, float(norm), code, product.naam, family_key(path), to_cents(unit_tariff),
                         to_cents(price), to_cents(gap), float(volume), float(fte),
                         to_cents(gap * units_per_year(volume, product.eenheid))))
            flags.append(Flags.of(herkomst | seen.herkomst) | Flags.any_of(lines[lines["tarief"] == path]))
    columns = ["scenario", "caseloadnorm", "product", "naam", "tariefsoort", "tarief_centen", "kostprijs_centen",
               "verschil_centen", "volume", "fte", "verschil_totaal_centen"]
    return pd.DataFrame(rows, columns=columns).assign(**_flag_columns(flags))


def cost_build_up(tree: ParameterTree, catalog: Catalog, codes: Sequence[str], year: int) -> pd.DataFrame:
    """The cost price of one unit of each product by element, in cents (base scenario, 1 January of ``year``)."""
    on = dt.date(year, 1, 1)
    rows, flags = [], []
    for code in codes:
        parts, herkomst = tree.traced(functools.partial(cost_price_elements, tree, catalog.product(code), on))
        rows.append((code, catalog.product(code).naam, float(parts.uren),
                     *(to_cents(getattr(parts, name)) for name in BUILD_UP), to_cents(parts.totaal)))
        flags.append(Flags.of(herkomst))
    columns = ["product", "naam", "uren", *(f"{n}_centen" for n in BUILD_UP), "kostprijs_centen"]
    return pd.DataFrame(rows, columns=columns).assign(**_flag_columns(flags))


def totals(lines: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Sum budget lines by the given columns (e.g. ``["regio", "jaar"]``), in exact cents."""
    return lines.groupby(list(by), as_index=False, sort=False)["bedrag_centen"].sum()


def any_flags(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Per group of ``by``: whether any row rests on an example value or a provisional figure."""
    return frame.groupby(list(by), as_index=False, sort=False)[FLAG_COLUMNS].any()
