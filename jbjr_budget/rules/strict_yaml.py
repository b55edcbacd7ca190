"""Strict YAML for the parameter, scenario and catalogue files: safe, no duplicate keys, decimals exact.

Errors name the file, in Dutch (:class:`~jbjr_budget.errors.ParameterFout`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from jbjr_budget.errors import ParameterFout

__all__ = ["read_yaml"]


_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same rules, faster


class _StrictLoader(_SafeBase):  # type: ignore[misc]
    """Safe YAML loader that rejects duplicate keys and reads decimals exactly."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise ParameterFout(f"dubbele sleutel '{key}' (regel {line})")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_decimal(loader: _StrictLoader, node: yaml.ScalarNode) -> Decimal | float:
    try:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))
    except InvalidOperation:  # .inf and .nan: kept as float, so the value check rejects them by key
        return float(loader.construct_yaml_float(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def read_yaml(path: Path) -> object:
    """Read a YAML file strictly; errors name the file, in Dutch."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)
    except ParameterFout as exc:
        raise ParameterFout(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ParameterFout(f"{path}: geen geldige YAML ({exc}).") from None
    except ValueError as exc:
        raise ParameterFout(f"{path}: ongeldige datum of waarde ({exc}).") from None
    except OSError as exc:
        raise ParameterFout(f"{path}: bestand niet te lezen ({exc.strerror}).") from None
