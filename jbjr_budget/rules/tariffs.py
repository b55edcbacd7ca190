"""Landelijke tarieven per product and year, indexed from their price-level year.

A tariff value starting on a date is at the price level of that date's year;
for a later year it is indexed with :func:`jbjr_budget.rules.indexation.index_factor`
and rounded to cents once. A user's contracted tariff for a year (an overlay
value starting in that year) is therefore used as is in that year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jbjr_budget.rules.indexation import indexed_amount
from jbjr_budget.rules.parameters import ParameterTree

__all__ = ["tariff", "tariff_path"]

ROOT = "tarieven.landelijk"


def tariff_path(code: str) -> str:
    """Parameter path of the national tariff of product ``code``."""
    return f"{ROOT}.{code}"


def tariff(tree: ParameterTree, code: str, on: dt.date) -> Decimal:
    """National tariff of product ``code`` in force on ``on``, indexed to ``on``'s year.

    Notes:
        ``tariff(Y) = round_cents(base * index_factor(base_year, Y))`` where
        ``base`` is the latest value starting on or before ``on``.
    """
    path = tariff_path(code)
    return indexed_amount(tree.value(path, on), tree, tree.entry(path, on).start.year, on.year)

