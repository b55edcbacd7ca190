"""Why a scored cell differs from Excel's stored value, as a short Dutch group name.

A herbereken issue gives the group (``onbekende functie: SIN``); a difference no issue explains is named by
the comparison (``waarde wijkt af: VLOOKUP``). Two groups say that the engine is not at fault or chose not
to compute: a function written in the workbook's own VBA (herbereken runs no VBA), and FORECAST.ETS and its
relatives, whose parameter search Excel does not document (see docs/architecture.md).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jbjr_budget.formula_engine.evaluator import Issue
from jbjr_budget.formula_engine.values import Scalar

__all__ = ["BY_DESIGN", "VBA", "issue_cause", "value_cause", "vba_cause"]

BY_DESIGN = "niet ondersteund, Excel documenteert de parameterkeuze niet"
VBA = "VBA-functie van het werkboek, niet uitgevoerd"
_UNDOCUMENTED = re.compile(r"FORECAST\.ETS(\.CONFINT|\.SEASONALITY|\.STAT)?")
_EXTERNAL = re.compile(r"\[\d+\]")
_FUNCTION = re.compile(r"(?:_xlfn\.|_xlws\.)*([A-Z][A-Z0-9.]*)\s*\(")
# Why a formula could not be read: the first pattern found in its text names the group.
_UNREADABLE = (
    (_EXTERNAL, "verwijzing naar ander werkboek ([n]Blad!A1)"),
    (re.compile(r"(^|[^\w\]])\[(?!\d+\])|[A-Za-z_][\w.]*\["), "gestructureerde verwijzing (Tabel[Kolom])"),
    (re.compile(r"\(\s*\(?\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?\s*,\s*\$?[A-Z]{1,3}\$?\d+"),
     "verwijzingsunie ((A1,B2))"),
    (re.compile(r"\$?[A-Z]{1,3}\$?\d+\s+\$?[A-Z]{1,3}\$?\d+"), "doorsnede-operator (spatie tussen bereiken)"),
    (re.compile(r"'[^']*[()][^']*'!"), "bladnaam met haakjes"),
)


def _unreadable(formula: str) -> str:
    """Why a formula could not be read, as a group name."""
    return next((label for pattern, label in _UNREADABLE if pattern.search(formula)), "overig")


def issue_cause(issue: Issue) -> str:
    """The group a herbereken issue belongs to, e.g. ``onbekende functie: SIN``."""
    kind, detail = issue.kind, issue.detail
    if kind in {"onbekende functie", "functie niet ondersteund"}:
        return f"{BY_DESIGN if _UNDOCUMENTED.fullmatch(detail) else kind}: {detail}"
    if kind == "formule niet te lezen":
        return f"{kind}: {_unreadable(detail.rsplit(': ', 1)[0])}"
    if kind == "naam niet te lezen":
        return f"{kind}: {'naam verwijst naar ander werkboek' if _EXTERNAL.search(detail) else 'overig'}"
    if kind == "onbekende naam":
        return f"{kind}: {'LET/LAMBDA-parameter (_xlpm.)' if detail.lower().startswith('_xlpm.') else detail}"
    return f"{kind}: {detail[:60]}" if detail else kind


def vba_cause(cause: str, workbook: Path) -> str:
    """``cause`` again, or the VBA group when it names an unknown function the workbook's VBA project defines.

    The name is looked up in ``xl/vbaProject.bin`` as stored: the project's identifier table holds it as text.
    """
    prefix = "onbekende functie: "
    if not cause.startswith(prefix):
        return cause
    name = cause.removeprefix(prefix)
    with zipfile.ZipFile(workbook) as package:
        if "xl/vbaProject.bin" not in package.namelist():
            return cause
        project = package.read("xl/vbaProject.bin").lower()
    return f"{VBA}: {name}" if name.lower().encode("ascii", "replace") in project else cause


def value_cause(formula: str, stored: Scalar, computed: Scalar) -> str:
    """Group name for a difference no issue explains."""
    if computed is None and stored is not None:
        return "geen waarde berekend (matrix- of overloopbereik niet gevuld)"
    functions = _FUNCTION.findall(formula)
    return f"waarde wijkt af: {functions[0] if functions else '(rekenkunde of verwijzing)'}"
