"""Input values as the person sees them: one cell of a returned file becomes one ledger value, or a problem.

Numbers are taken at the 15 significant digits a spreadsheet shows, so a
whole number with float noise (3.0000000000000004) is the whole number it
looks like. A percentage typed as ``13,6%`` (stored 0.136 with a percent
format) and one typed as ``13,6`` both book 13.6. Only plain ASCII numbers
are read; a number format that shows another magnitude, or none, is refused.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from jbjr_budget.monitoring.issues import printable, quoted
from jbjr_budget.monitoring.layout import Field
from jbjr_budget.monitoring.number_format import shown
from jbjr_budget.monitoring.xlsx_reader import Cell
from jbjr_budget.rules.money import to_cents

__all__ = ["MAX_GETAL", "Value", "field_value"]

Value = int | float | str | None
MAX_GETAL = Decimal(10**12)
"""Ceiling for numbers without an upper bound of their own: keeps every count within SQLite's 64-bit integers."""
SHOWN_DIGITS = Context(prec=15, rounding=ROUND_HALF_UP)
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def field_value(field: Field, cell: Cell | None, number_format: str) -> tuple[str, Value]:
    """The ledger value of an input cell: ``(problem, value)`` with an empty problem when valid."""
    if cell is not None and cell.formula:
        return "formule in invoercel niet toegestaan; typ alleen een waarde", None
    if cell is None or cell.raw is None or (cell.kind == "text" and not cell.raw.strip()):
        if field.empty == "verplicht":
            return f"verplicht veld is leeg: {field.label}", None
        return "", (0 if field.empty == "nul" else None)
    if cell.kind in ("date", "bool", "error"):
        kind = {"date": "datum of tijd", "bool": "ja/nee-waarde (WAAR of ONWAAR)",
                "error": f"foutwaarde {printable(cell.raw)}"}[cell.kind]
        return f"{kind} in een invoercel; typ een getal of tekst", None
    if cell.kind == "text":
        return _text_value(field, cell.raw.strip())
    return _number_value(field, cell.raw, number_format)


def _text_value(field: Field, text: str) -> tuple[str, Value]:
    if field.kind == "tekst":
        limit = int(field.bounds[1] or 0)
        if text.startswith("="):
            return "tekst begint met '=' en zou in een rapport een formule worden; begin de tekst anders", None
        return (f"toelichting is {len(text)} tekens; maximaal {limit}" if len(text) > limit else ""), text
    if field.kind == "keuze":
        return ("" if text in field.choices else
                f"ongeldige keuze {quoted(text)}; kies uit: {', '.join(field.choices)}"), text
    return f"tekst in een getalcel: {quoted(text)}; vul een getal in", None


def _number_value(field: Field, raw: str, number_format: str) -> tuple[str, Value]:
    problem, number = _shown_number(field, raw, number_format)
    if number is None:
        return problem, None
    problem = _range_problem(field, number)
    if problem:
        return problem, None
    if field.kind == "geheel":
        return "", int(number)
    if field.kind == "bedrag":
        return "", to_cents(number)
    return "", float(number)


def _shown_number(field: Field, raw: str, number_format: str) -> tuple[str, Decimal | None]:
    """The number as the cell shows it (15 significant digits, percent signs applied), or the problem."""
    if not NUMBER.fullmatch(raw.strip()):
        return (f"ongeldig getal {quoted(raw)} in het bestand (Excel en LibreOffice tonen het anders); "
                "typ het opnieuw"), None
    stored = float(raw)
    if not math.isfinite(stored):
        return f"ongeldig getal: {stored}", None
    if field.kind in ("tekst", "keuze"):
        return "getal in een tekstveld; typ tekst (een getal als toelichting: begin met een woord)", None
    display = shown(number_format, stored)
    problem = "datum of tijd in een invoercel; typ een getal of tekst" if display.date else display.problem
    if not problem and display.percent and field.kind != "percentage":
        problem = (f"getalnotatie '{printable(number_format)}' toont het getal als percentage (x100); dit veld is "
                   "geen percentage: gebruik de notatie van het sjabloon")
    if problem:
        return problem, None
    return "", SHOWN_DIGITS.plus(Decimal(repr(stored)) * 100 ** display.percent)


def _range_problem(field: Field, number: Decimal) -> str:
    """Why a number does not fit its field (kind and bounds), or an empty string."""
    low, high = field.bounds
    high = MAX_GETAL if high is None else high
    too_low, too_high = low is not None and number < low, number > high
    whole = number == number.to_integral_value()
    if not too_low and not too_high and (whole or field.kind != "geheel"):
        return ""
    text = format(number.normalize(), "f").replace(".", ",")
    if field.kind == "geheel" and not whole:
        return f"alleen hele getallen toegestaan, niet {text}"
    if field.kind == "percentage" and (too_low or too_high):
        return f"percentage {text} ligt buiten {_bound(low)} tot en met {_bound(high)}"
    if too_low:
        return "negatief getal niet toegestaan" if low == 0 else f"waarde {text} is kleiner dan {_bound(low)}"
    return f"waarde {text} is groter dan {_bound(high)}" if too_high else ""


def _bound(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")
