"""Scenarios: YAML overlays on the parameter tree, never branches in calculations.

Order of layers: bundled parameters, then the user's own files, then the
scenario, so a scenario always shows its own effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from jbjr_budget.errors import InvoerFout
from jbjr_budget.rules.compiled import compiled_yaml
from jbjr_budget.rules.parameters import ParameterTree, load_parameters

__all__ = ["SCENARIO_DIR", "load_scenario", "scenario_description", "scenario_names"]

SCENARIO_DIR = Path(str(resources.files("jbjr_budget") / "scenarios"))


def scenario_names() -> list[str]:
    """Names of the bundled scenarios, ``basis`` first."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    return sorted(names, key=lambda n: n != "basis")


def _scenario_file(name: str | Path) -> Path:
    """The overlay of a bundled scenario by name, or a user's scenario file by path."""
    if isinstance(name, Path):
        return name
    if name not in scenario_names():
        raise InvoerFout(f"onbekend scenario '{name}' (kies uit: {', '.join(scenario_names())})")
    return SCENARIO_DIR / f"{name}.yaml"


def scenario_description(name: str | Path) -> str:
    """The Dutch description of a scenario (its file's ``description``, else its name)."""
    content = compiled_yaml(_scenario_file(name))
    label = name.stem if isinstance(name, Path) else name
    return str(content.get("description", label)) if isinstance(content, dict) else label


def load_scenario(name: str | Path, user_files: Sequence[Path] = ()) -> ParameterTree:
    """Parameter tree for a scenario (bundled name or file): bundled, then ``user_files``, then the scenario."""
    return load_parameters(overlays=[*user_files, _scenario_file(name)])
