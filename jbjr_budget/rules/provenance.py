"""Provenance: which example (``voorbeeld``) and provisional (``voorlopig``) values a figure rests on.

A :class:`Trace` collects the parameter values looked up while it is open (see
:meth:`~jbjr_budget.rules.parameters.ParameterTree.trace`); its :class:`Herkomst`
names the ones that are examples or provisional, so every output can say so where
the figure is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from jbjr_budget.rules.parameters import ParameterTree, ParameterValue

__all__ = ["Herkomst", "Trace", "herkomst_of", "marked"]


@dataclass(frozen=True)
class Herkomst:
    """What a figure rests on: the example (``voorbeeld``) and provisional (``voorlopig``) values it used.

    Combine with ``|``; an empty one (the default) means the figure rests on published values only.

    Examples:
        >>> tariff = Herkomst(voorbeeld=frozenset({"tarieven.landelijk.48A04"}))
        >>> index = Herkomst(voorlopig=frozenset({"indexatie.vng.loonindex.voorlopig"}))
        >>> combined = tariff | index
        >>> combined.is_voorbeeld, combined.is_voorlopig, bool(Herkomst())
        (True, True, False)
    """

    voorbeeld: frozenset[str] = frozenset()
    voorlopig: frozenset[str] = frozenset()

    def __or__(self, other: Herkomst) -> Herkomst:
        """Both figures' example and provisional values."""
        return Herkomst(self.voorbeeld | other.voorbeeld, self.voorlopig | other.voorlopig)

    def __bool__(self) -> bool:
        """True when the figure rests on an example or a provisional value."""
        return bool(self.voorbeeld or self.voorlopig)

    @property
    def is_voorbeeld(self) -> bool:
        """True when an example value (not a published figure) went into the figure."""
        return bool(self.voorbeeld)

    @property
    def is_voorlopig(self) -> bool:
        """True when a provisional (not yet final) figure went into the figure."""
        return bool(self.voorlopig)


class Trace:
    """The values looked up while it is open (see :meth:`~jbjr_budget.rules.parameters.ParameterTree.trace`)."""

    def __init__(self) -> None:
        """Start with nothing looked up."""
        self.values: list[tuple[str, ParameterValue]] = []

    @property
    def herkomst(self) -> Herkomst:
        """The example and provisional values among those looked up."""
        return herkomst_of(self.values)


def herkomst_of(values: Sequence[tuple[str, ParameterValue]]) -> Herkomst:
    """The example and provisional values among ``values`` (path, value)."""
    return Herkomst(frozenset(p for p, v in values if v.voorbeeld), frozenset(p for p, v in values if v.voorlopig))


def marked(tree: ParameterTree, on: dt.date | None = None) -> list[tuple[str, ParameterValue]]:
    """Every example or provisional value of ``tree``, in path order: all of them, or those in force on ``on``.

    The lookups are not logged: listing what is marked is no use of it.

    Examples:
        >>> import datetime as dt
        >>> from jbjr_budget.rules.parameters import load_parameters
        >>> found = marked(load_parameters(), dt.date(2026, 1, 1))
        >>> ("indexatie.vng.aanname", True) in [(path, value.voorbeeld) for path, value in found]
        True
    """
    values = []
    for path in tree.paths():
        parameter = tree.parameter(path)
        in_force = parameter.values if on is None else ([parameter.at(on)] if tree.has_value(path, on) else [])
        values += [(path, value) for value in in_force if value.voorbeeld or value.voorlopig]
    return values
