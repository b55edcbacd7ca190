"""Strict YAML for the parameter, scenario and catalogue files: safe, no duplicate keys, decimals exact.

Errors name the file, in Dutch (:class:`~jbjr_budget.errors.ParameterFout`). PyYAML is imported when a
file is first read: the package's own files usually come from their compiled forms (:mod:`.compiled`).
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jbjr_budget.errors import ParameterFout

if TYPE_CHECKING:
    from types import ModuleType

    import yaml

__all__ = ["read_yaml"]


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:  # noqa: ANN401 - the loader class is built at run time
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise ParameterFout(f"dubbele sleutel '{key}' (regel {line})")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_decimal(loader: Any, node: yaml.ScalarNode) -> Decimal | float:  # noqa: ANN401 - idem
    try:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))
    except InvalidOperation:  # .inf and .nan: kept as float, so the value check rejects them by key
        return float(loader.construct_yaml_float(node))


@functools.cache
def _yaml() -> tuple[ModuleType, Any]:
    """PyYAML and the strict loader (libyaml when available: same rules, faster)."""
    import yaml  # noqa: PLC0415 - only when a file is read, not when its compiled form serves

    class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """Safe YAML loader that rejects duplicate keys and reads decimals exactly."""

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
    return yaml, StrictLoader


def read_yaml(path: Path) -> object:
    """Read a YAML file strictly; errors name the file, in Dutch."""
    yaml_module, loader = _yaml()
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml_module.load(handle, Loader=loader)
    except ParameterFout as exc:
        raise ParameterFout(f"{path}: {exc}") from None
    except yaml_module.YAMLError as exc:
        raise ParameterFout(f"{path}: geen geldige YAML ({exc}).") from None
    except ValueError as exc:
        raise ParameterFout(f"{path}: ongeldige datum of waarde ({exc}).") from None
    except OSError as exc:
        raise ParameterFout(f"{path}: bestand niet te lezen ({exc.strerror}).") from None
