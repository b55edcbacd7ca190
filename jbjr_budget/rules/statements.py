"""The calculation rules as users read them, quoted from the rules modules' docstrings.

A rule users need to understand is stated once, in Dutch, in a ``Rekenregel (naam):``
section of the docstring of the module that implements it. The workbooks'
Toelichting sheets and the user guides quote that text from here, so the rule,
its code and its explanation cannot drift apart.
"""

from __future__ import annotations

import re
from types import ModuleType

from jbjr_budget.errors import JbjrFout
from jbjr_budget.rules import (
    budget_lines,
    costprice,
    indexation,
    money,
    reserves,
    targets,
    tariff_import,
    tariffs,
    volumes,
)

__all__ = ["RULE_MODULES", "rule", "rules"]

RULE_MODULES: tuple[ModuleType, ...] = (
    money, budget_lines, volumes, targets, indexation, tariffs, tariff_import, costprice, reserves,
)
"""The modules whose docstrings state rules, in the order users read them."""
_SECTION = re.compile(r"^Rekenregel \((?P<name>[^)]+)\):\n(?P<body>(?:[ \t]+\S.*\n?)+)", re.MULTILINE)


def rules() -> dict[str, str]:
    """Every stated rule by name, in reading order, each as one paragraph.

    Examples:
        >>> rules()["afronding"].split(",")[0]
        'Bedragen worden als hele centen opgeslagen en één keer afgerond'
    """
    found: dict[str, str] = {}
    for module in RULE_MODULES:
        for match in _SECTION.finditer(module.__doc__ or ""):
            found[match["name"]] = " ".join(line.strip() for line in match["body"].splitlines() if line.strip())
    return found


def rule(name: str) -> str:
    """The rule ``name`` (e.g. ``pro rata``) as one paragraph, or a Dutch error naming the known rules."""
    stated = rules()
    if name not in stated:
        raise JbjrFout(f"onbekende rekenregel '{name}' (bekend: {', '.join(stated)})")
    return stated[name]
