"""Tariffs per product, region and year, from the family that sets them, indexed from their price-level year.

Two families, each with its own source:
- ``tarieven.landelijk.<product>``: the national tariff (since 1 January 2024
  for the jeugdbescherming products, under the Rijk-VNG agreement);
- ``tarieven.regionaal.<contract or region>.<product>``: the tariff a region
  contracted (bundled: jeugdreclassering, until national JR tariffs exist, and
  the additional services). A contracted tariff takes precedence over the
  national one, and a region's own (``alkmaar``) over its contract's (``nw4``):
  a region pays what it contracted. A region that adopts a national tariff ends
  its contracted one (``value: null``).

A tariff value starting on a date is at the price level of that date's year;
for a later year it is indexed with :func:`jbjr_budget.rules.indexation.index_factor`
and rounded to cents once. A user's contracted tariff for a year (an overlay
value starting in that year) is therefore used as is in that year.

Rekenregel (tariefsoort):
    Een regio betaalt wat zij heeft gecontracteerd: eerst een tarief van de regio zelf, dan dat van
    haar contract (bijv. nw4), en zonder gecontracteerd tarief het landelijk tarief.
    Een tarief geldt vanaf de ingangsdatum op het prijspeil van dat jaar en wordt daarna per jaar
    geïndexeerd en op centen afgerond.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.catalog import Regio
from jbjr_budget.rules.indexation import indexed_amount
from jbjr_budget.rules.money import to_cents
from jbjr_budget.rules.parameters import ParameterTree

__all__ = ["NATIONAL", "REGIONAL", "family_key", "tariff", "tariff_cents", "tariff_flags", "tariff_path"]

NATIONAL = "tarieven.landelijk"
REGIONAL = "tarieven.regionaal"


def tariff_path(tree: ParameterTree, code: str, on: dt.date, regio: Regio | None = None) -> str:
    """Parameter path of the tariff that applies to product ``code`` in ``regio`` on ``on``.

    The region's own contracted tariff when one is in force, else its contract's, else the national one.
    """
    candidates = [f"{NATIONAL}.{code}"]
    if regio is not None:
        candidates = [f"{REGIONAL}.{regio.key}.{code}", f"{REGIONAL}.{regio.contract}.{code}", *candidates]
    for path in candidates:
        if tree.has_value(path, on):
            return path
    if regio is None:
        raise InvoerFout(f"product {code} heeft op {on:%d-%m-%Y} geen landelijk tarief; het tarief is regionaal "
                         "gecontracteerd: geef de regio")
    raise InvoerFout(f"geen tarief voor product {code} op {on:%d-%m-%Y}: geen landelijk tarief en geen "
                     f"gecontracteerd tarief voor {regio.naam} (contract {regio.contract})")


def family_key(path: str) -> str:
    """``landelijk``, or the contract or region key of a regional tariff path.

    Examples:
        >>> family_key("tarieven.landelijk.48A04"), family_key("tarieven.regionaal.nw4.47A01")
        ('landelijk', 'nw4')
    """
    return "landelijk" if path.startswith(f"{NATIONAL}.") else path.removeprefix(f"{REGIONAL}.").split(".")[0]


def _setter(tree: ParameterTree, regio: Regio | None) -> tuple[str, str] | None:
    """Who sets the tariffs of ``regio``: the region itself (when it has tariffs of its own) and its contract.

    Regions of one contract without tariffs of their own have the same tariffs,
    so a tariff is computed once for all of them.
    """
    if regio is None:
        return None
    prefix = f"{REGIONAL}."
    own = tree.memo("regions_with_own_tariffs", lambda: {
        path.removeprefix(prefix).split(".")[0] for path in tree.paths() if path.startswith(prefix)})
    return (regio.key if regio.key in own else "", regio.contract)


def tariff(tree: ParameterTree, code: str, on: dt.date, regio: Regio | None = None) -> Decimal:
    """Tariff of product ``code`` in ``regio`` in force on ``on``, indexed to ``on``'s year.

    Notes:
        ``tariff(Y) = round_cents(base * index_factor(base_year, Y))`` where
        ``base`` is the latest value starting on or before ``on`` of the path
        :func:`tariff_path` chooses.
    """
    return tree.memo(("tariff", code, on, _setter(tree, regio)), lambda: _tariff(tree, code, on, regio))


def _tariff(tree: ParameterTree, code: str, on: dt.date, regio: Regio | None) -> Decimal:
    path = tariff_path(tree, code, on, regio)
    return indexed_amount(tree.value(path, on), tree, tree.entry(path, on).start.year, on.year)


class _Row(NamedTuple):
    """One product's tariffs in one region, per year: cents and what each rests on."""

    cents: list[int]
    voorbeeld: list[bool]
    voorlopig: list[bool]


def _row(tree: ParameterTree, code: str, days: Sequence[dt.date], regio: Regio) -> _Row:
    traced = [tree.traced(functools.partial(tariff, tree, code, day, regio)) for day in days]
    return _Row([to_cents(value) for value, _ in traced], [h.is_voorbeeld for _, h in traced],
                [h.is_voorlopig for _, h in traced])


def _rows(
    tree: ParameterTree, regios: Sequence[Regio], codes: Sequence[str], years: Sequence[int],
    bought: npt.NDArray[np.bool_],
) -> dict[tuple[int, int], _Row]:
    """The tariff row of every region x product where ``bought[r, p]``, kept per tree.

    Regions whose tariffs are set by the same contract share one computation.
    """
    setters, days = [_setter(tree, regio) for regio in regios], [dt.date(year, 1, 1) for year in years]
    return {(int(r), int(p)): tree.memo(("tariff_row", setters[r], codes[p], tuple(years)),
                                        functools.partial(_row, tree, codes[p], days, regios[r]))
            for r, p in zip(*np.nonzero(bought), strict=True)}


def tariff_cents(
    tree: ParameterTree, regios: Sequence[Regio], codes: Sequence[str], years: Sequence[int],
    bought: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int64]:
    """:func:`tariff` in cents on 1 January of each year, for every region x product where ``bought[r, p]``.

    The vectorised form for budget tables: axes region, product, year (zero where
    a region does not buy a product); regions whose tariffs are set by the same
    contract share one computation.
    """
    table = np.zeros((len(regios), len(codes), len(years)), dtype=np.int64)
    for (r, p), row in _rows(tree, regios, codes, years, bought).items():
        table[r, p] = row.cents
    return table


def tariff_flags(
    tree: ParameterTree, regios: Sequence[Regio], codes: Sequence[str], years: Sequence[int],
    bought: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Whether each tariff of :func:`tariff_cents` rests on an example value, and on a provisional figure."""
    example = np.zeros((len(regios), len(codes), len(years)), dtype=bool)
    provisional = np.zeros_like(example)
    for (r, p), row in _rows(tree, regios, codes, years, bought).items():
        example[r, p], provisional[r, p] = row.voorbeeld, row.voorlopig
    return example, provisional
