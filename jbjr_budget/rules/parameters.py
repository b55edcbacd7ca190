"""Dated, sourced parameters loaded strictly from YAML (after OpenFisca).

Every YAML file under ``jbjr_budget/parameters/`` is a node of one tree; its
path is the folder and file name, then the keys inside, joined by dots
(``tarieven.landelijk.48A04``). A mapping with a ``values`` key is a
parameter; every other mapping is a node. A parameter value looks like::

    values:
      2024-01-01:
        value: 1234.56
        reference: "Bron, sectie, datum"
        voorbeeld: true      # optional: example value, not a published figure
        voorlopig: true      # optional: announced, not final

Lookup returns the latest value on or before the requested date; a missing
value or ``value: null`` in force is an error, never ``None``. User files and
scenarios are overlays with the same shape, merged over the bundled tree.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from jbjr_budget.errors import ParameterFout
from jbjr_budget.rules.compiled import compiled, compiled_yaml, fingerprint
from jbjr_budget.rules.provenance import Herkomst, Trace, herkomst_of
from jbjr_budget.rules.strict_yaml import read_yaml
from jbjr_budget.rules.user_folder import user_overlays

__all__ = [
    "Parameter",
    "ParameterTree",
    "ParameterValue",
    "load_parameters",
    "read_yaml",
]

Scalar = Decimal | str | bool | int | None

NODE_KEYS = frozenset({"description", "metadata"})
PARAMETER_KEYS = frozenset({"description", "metadata", "values"})
VALUE_KEYS = frozenset({"value", "reference", "voorbeeld", "voorlopig", "toelichting"})
METADATA_KEYS = frozenset({"unit", "reference", "toelichting"})
T = TypeVar("T")


@dataclass(frozen=True)
class ParameterValue:
    """One dated value of a parameter, with its source."""

    start: dt.date
    value: Scalar
    reference: str
    voorbeeld: bool = False
    voorlopig: bool = False


@dataclass(frozen=True)
class Parameter:
    """A parameter: a description, a unit and values in order of start date."""

    path: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...] = ()

    def at(self, date: dt.date) -> ParameterValue:
        """Return the value in force on ``date`` (latest start on or before it)."""
        index = bisect.bisect_right(self.values, date, key=_start) - 1
        if index < 0 or self.values[index].value is None:
            raise ParameterFout(
                f"Parameter '{self.path}' heeft geen waarde op {date.isoformat()}."
            )
        return self.values[index]


def _start(value: ParameterValue) -> dt.date:
    return value.start


class ParameterTree:
    """All parameters, addressable by dotted path, with a log of the values used.

    A tree does not change once built (its parameters are frozen), so results
    derived from it can be kept with it: see :meth:`memo`.
    """

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        """Wrap loaded parameters; use :func:`load_parameters` to build one."""
        self._parameters = dict(parameters)
        self._used: dict[tuple[str, dt.date], ParameterValue] = {}
        self._memo: dict[Hashable, tuple[Any, tuple[tuple[str, ParameterValue], ...]]] = {}
        self._recordings: list[list[tuple[str, ParameterValue]]] = []

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per tree and ``key``, kept for later calls (e.g. the index rate of a year).

        The values the first computation looked up are kept with the result: the
        log of used values already has them, and whatever records lookups while a
        later call is made (an enclosing :meth:`memo`) is told them again.
        """
        try:
            result, looked_up = self._memo[key]
        except KeyError:
            computed, looked_up_now = self._recorded(compute)
            self._memo[key] = (computed, tuple(looked_up_now))
            return computed
        if self._recordings:
            for path, value in looked_up:
                self._log(path, value)
        return result  # type: ignore[no-any-return]

    @contextlib.contextmanager
    def trace(self) -> Iterator[Trace]:
        """Record the values looked up inside the ``with`` block; its ``herkomst`` says what the result rests on.

        A result kept by :meth:`memo` tells its values again, so a traced figure is complete either way.

        Examples:
            >>> tree = load_parameters()
            >>> with tree.trace() as seen:
            ...     _ = tree.value("tarieven.landelijk.48A04", dt.date(2026, 1, 1))
            >>> sorted(seen.herkomst.voorbeeld)
            ['tarieven.landelijk.48A04']
        """
        recording = Trace()
        self._recordings.append(recording.values)
        try:
            yield recording
        finally:
            self._recordings.pop()

    def traced(self, compute: Callable[[], T]) -> tuple[T, Herkomst]:
        """``compute()`` and what its result rests on (see :meth:`trace`)."""
        result, looked_up = self._recorded(compute)
        return result, herkomst_of(looked_up)

    def _recorded(self, compute: Callable[[], T]) -> tuple[T, list[tuple[str, ParameterValue]]]:
        """``compute()`` and the values it looked up (also told to any recording open around it)."""
        looked_up: list[tuple[str, ParameterValue]] = []
        self._recordings.append(looked_up)
        try:
            return compute(), looked_up
        finally:
            self._recordings.pop()

    def _log(self, path: str, value: ParameterValue) -> None:
        self._used[(path, value.start)] = value
        for recording in self._recordings:
            recording.append((path, value))

    def paths(self) -> list[str]:
        """Every parameter path, in order."""
        return sorted(self._parameters)

    def parameter(self, path: str) -> Parameter:
        """Return the parameter at ``path`` or raise a Dutch error."""
        try:
            return self._parameters[path]
        except KeyError:
            raise ParameterFout(f"Onbekende parameter '{path}'.") from None

    def entry(self, path: str, date: dt.date) -> ParameterValue:
        """Return the dated value of ``path`` in force on ``date`` and log its use."""
        found = self.parameter(path).at(date)
        self._log(path, found)
        return found

    def has_value(self, path: str, date: dt.date) -> bool:
        """True when ``path`` exists and has a (non-null) value in force on ``date``; the lookup is not logged."""
        if path not in self._parameters:
            return False
        try:
            self._parameters[path].at(date)
        except ParameterFout:
            return False
        return True

    def starts_in_year(self, path: str, year: int) -> bool:
        """True when ``path`` has a non-null value that starts within ``year``."""
        return any(v.start.year == year and v.value is not None for v in self.parameter(path).values)

    def value(self, path: str, date: dt.date) -> Decimal:
        """Return the numeric value of ``path`` on ``date`` as a Decimal."""
        raw = self.entry(path, date).value
        if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
            raise ParameterFout(f"Parameter '{path}' is geen getal maar {raw!r}.")
        return Decimal(raw)

    def text(self, path: str, date: dt.date) -> str:
        """Return the text value of ``path`` on ``date``."""
        return str(self.entry(path, date).value)

    def __iter__(self) -> Iterator[Parameter]:
        """Iterate over every parameter in path order."""
        return iter(self._parameters[p] for p in self.paths())

    def used(self) -> list[tuple[str, ParameterValue]]:
        """Every (path, value) looked up so far, in path order."""
        return sorted(((p, v) for (p, _), v in self._used.items()), key=lambda pv: pv[0])

    def used_examples(self) -> list[str]:
        """Paths of example (``voorbeeld``) values looked up so far."""
        return sorted({p for p, v in self.used() if v.voorbeeld})

    def used_provisional(self) -> list[str]:
        """Paths of provisional (``voorlopig``) values looked up so far."""
        return sorted({p for p, v in self.used() if v.voorlopig})


# --- building the tree -------------------------------------------------------------------


class _Builder:
    """Collects parameters from one or more YAML sources into flat dicts."""

    def __init__(self, parameters: Mapping[str, Parameter] | None = None) -> None:
        self.parameters: dict[str, Parameter] = dict(parameters or {})

    def add_node(self, source: Path, path: str, node: object, *, overlay: bool) -> None:
        if not isinstance(node, dict):
            raise ParameterFout(f"{source}: '{path}' moet een groep of parameter zijn.")
        if "values" in node:
            self._add_parameter(source, path, node, overlay=overlay)
            return
        for key, child in node.items():
            if key in NODE_KEYS:
                continue
            child_path = f"{path}.{key}" if path else str(key)
            self.add_node(source, child_path, child, overlay=overlay)

    def _add_parameter(self, source: Path, path: str, node: dict[str, Any], *, overlay: bool) -> None:
        _reject_unknown_keys(source, path, node, PARAMETER_KEYS)
        metadata = node.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise ParameterFout(f"{source}: '{path}.metadata' moet een groep zijn.")
        _reject_unknown_keys(source, f"{path}.metadata", metadata, METADATA_KEYS)
        existing = self.parameters.get(path)
        values = _parse_values(source, path, node["values"], existing.values if existing and overlay else [])
        if existing is not None and overlay:
            self.parameters[path] = dataclasses.replace(existing, values=_merge_values(existing.values, values))
            return
        if existing is not None:
            raise ParameterFout(f"{source}: parameter '{path}' is dubbel gedefinieerd.")
        unit = metadata.get("unit")
        if not isinstance(unit, str):
            raise ParameterFout(f"{source}: parameter '{path}' mist 'metadata: unit'.")
        self.parameters[path] = Parameter(path, str(node.get("description", "")), unit, values)


def _reject_unknown_keys(source: Path, path: str, node: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in node if k not in allowed)
    if unknown:
        raise ParameterFout(
            f"{source}: onbekende sleutel '{unknown[0]}' in '{path}' "
            f"(toegestaan: {', '.join(sorted(allowed))})."
        )


def _parse_values(
    source: Path, path: str, raw: object, existing: Sequence[ParameterValue] = ()
) -> tuple[ParameterValue, ...]:
    """Parse a ``values`` mapping; ``existing`` are the values an overlay lands on (kinds must match)."""
    if not isinstance(raw, dict) or not raw:
        raise ParameterFout(f"{source}: '{path}.values' moet datums met waarden bevatten.")
    values = [_parse_value(source, path, start, entry) for start, entry in raw.items()]
    _check_kinds(source, path, [*existing, *values], len(existing))
    return tuple(sorted(values, key=_start))


def _kind(value: Scalar) -> str | None:
    """``getal``, ``tekst`` or ``ja/nee``; ``None`` for null (which ends a parameter)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja/nee"
    return "getal" if isinstance(value, Decimal | int) else "tekst"


def _check_kinds(source: Path, path: str, values: Sequence[ParameterValue], first_new: int) -> None:
    """All values of one parameter are of one kind: a number where the others are numbers, and so on."""
    kinds = [_kind(v.value) for v in values]
    expected = next((k for k in kinds if k is not None), None)
    for value, kind in zip(values[first_new:], kinds[first_new:], strict=True):
        if kind in (None, expected):
            continue
        hint = " (gebruik een punt als decimaalteken)" if expected == "getal" and kind == "tekst" else ""
        raise ParameterFout(
            f"{source}: '{path}.values.{value.start}': waarde {value.value!r} is geen {expected}, "
            f"terwijl de andere waarden van deze parameter dat wel zijn{hint}."
        )


def _parse_value(source: Path, path: str, start: object, entry: object) -> ParameterValue:
    where = f"{path}.values.{start}"
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise ParameterFout(f"{source}: '{where}': sleutel moet een datum zijn (JJJJ-MM-DD).")
    if not isinstance(entry, dict):
        raise ParameterFout(f"{source}: '{where}' moet 'value' en 'reference' bevatten.")
    _reject_unknown_keys(source, where, entry, VALUE_KEYS)
    if "value" not in entry:
        raise ParameterFout(f"{source}: '{where}' mist 'value'.")
    reference = entry.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise ParameterFout(f"{source}: '{where}' mist een bron ('reference').")
    value = entry["value"]
    if isinstance(value, float):
        raise ParameterFout(f"{source}: '{where}': waarde {value!r} is geen eindig getal.")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()  # a date value is kept as ISO text, like a quoted one
    if isinstance(value, list | dict | dt.datetime):
        raise ParameterFout(f"{source}: '{where}': waarde {value!r} is geen getal of tekst.")
    for flag in ("voorbeeld", "voorlopig"):
        if not isinstance(entry.get(flag, False), bool):
            raise ParameterFout(f"{source}: '{where}.{flag}' moet true of false zijn.")
    return ParameterValue(
        start=start,
        value=value,
        reference=reference.strip(),
        voorbeeld=entry.get("voorbeeld", False),
        voorlopig=entry.get("voorlopig", False),
    )


def _merge_values(base: Sequence[ParameterValue], overlay: Sequence[ParameterValue]) -> tuple[ParameterValue, ...]:
    by_start = {v.start: v for v in base}
    by_start.update({v.start: v for v in overlay})
    return tuple(by_start[s] for s in sorted(by_start))


BUNDLED = Path(str(resources.files("jbjr_budget") / "parameters"))


def _bundled_sources(root: Path) -> Iterator[tuple[Path, str]]:
    for file in sorted(root.rglob("*.yaml")):
        relative = file.relative_to(root).with_suffix("")
        parts = [p for p in relative.parts if p != "index"]
        yield file, ".".join(parts)


def _parse_bundled(root: Path) -> dict[str, Parameter]:
    builder = _Builder()
    for file, path in _bundled_sources(root):
        builder.add_node(file, path, read_yaml(file), overlay=False)
    return builder.parameters


def _encode(parameters: Mapping[str, Parameter]) -> list[Any]:
    """Parameters as JSON data; a Decimal as its text, marked, so it is read back exactly."""
    return [[p.path, p.description, p.unit, [
        [v.start.isoformat(), isinstance(v.value, Decimal), str(v.value) if isinstance(v.value, Decimal) else v.value,
         v.reference, v.voorbeeld, v.voorlopig] for v in p.values]] for p in parameters.values()]


def _decode(data: list[Any]) -> dict[str, Parameter]:
    def value(start: str, exact: bool, raw: Scalar, reference: str, example: bool, provisional: bool) -> ParameterValue:
        number = Decimal(str(raw)) if exact else raw
        return ParameterValue(dt.date.fromisoformat(start), number, reference, example, provisional)

    return {path: Parameter(path, description, unit, tuple(value(*v) for v in values))
            for path, description, unit, values in data}


@functools.lru_cache(maxsize=8)
def _bundled(root: Path, key: str) -> Mapping[str, Parameter]:
    """The bundled parameters of ``root``: read once per process and per content (fingerprint ``key``)."""
    return compiled("parameters", key, lambda: _parse_bundled(root), _encode, _decode)


def load_parameters(
    overlays: tuple[Path, ...] | list[Path] = (), root: Path = BUNDLED, *, user_folder: bool = True
) -> ParameterTree:
    """Load the bundled parameters, then the user's folder (:func:`user_overlays`), then each overlay file.

    An overlay file is a mapping from the tree's top-level names down to
    parameters, e.g. ``tarieven: {landelijk: {48A04: {values: ...}}}``.
    The bundled files are parsed once per process, and across processes kept in
    a compiled form (see :mod:`~jbjr_budget.rules.compiled`); overlays are read each time (a bundled
    scenario from its compiled form).
    """
    files = [file for file, _ in _bundled_sources(root)]
    builder = _Builder(_bundled(root, fingerprint(root, files)))
    for file in [*(user_overlays() if user_folder else []), *overlays]:
        content = compiled_yaml(Path(file))
        if not isinstance(content, dict):
            raise ParameterFout(f"{file}: verwacht een groep parameters bovenaan het bestand.")
        builder.add_node(Path(file), "", content, overlay=True)
    return ParameterTree(builder.parameters)
