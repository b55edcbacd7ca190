"""The words every output uses for figures that rest on example values or provisional figures.

Kept apart from the workbook helpers (:mod:`jbjr_budget.writers.marks`) and free of
heavy imports, so the worksheet functions and the command line can use them cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MARK_HEADER", "mark_text", "warnings"]

MARK_HEADER = "Let op"
VOORBEELD, VOORLOPIG = "voorbeeldwaarde", "voorlopig cijfer"


def warnings(examples: Sequence[str], provisional: Sequence[str], *,
             which: str = "gebruikte parameters") -> list[tuple[str, str]]:
    """The warnings an output gives about the example and provisional values it used: (label, text) pairs.

    ``which`` names the parameters counted: those an output used, or (for workbooks whose JBJR
    functions compute in Excel) those in force that the functions read.

    Examples:
        >>> [label for label, _ in warnings(["tarieven.landelijk.48A04"], [])]
        ['LET OP: voorbeeldwaarden']
    """
    found = []
    if examples:
        shown = ", ".join(examples[:3]) + (f" en nog {len(examples) - 3}" if len(examples) > 3 else "")
        found.append(("LET OP: voorbeeldwaarden", f"{len(examples)} {which} zijn voorbeeldwaarden, geen "
                      f"gepubliceerde cijfers ({shown}). In de kolom '{MARK_HEADER}' staat welke cijfers erop rusten. "
                      "Vervang ze met jbjr-budget parameters importeer of een eigen parameterbestand."))
    if provisional:
        found.append(("LET OP: voorlopige cijfers", f"{len(provisional)} {which} zijn voorlopige cijfers "
                      f"({', '.join(provisional)}); het definitieve cijfer volgt met de nacalculatie."))
    return found


def mark_text(voorbeeld: bool, voorlopig: bool) -> str:
    """What a reader of a figure must know: it rests on an example value, on a provisional figure, or both.

    Examples:
        >>> mark_text(True, False), mark_text(True, True), mark_text(False, False)
        ('voorbeeldwaarde', 'voorbeeldwaarde; voorlopig cijfer', '')
    """
    return "; ".join(text for flag, text in ((voorbeeld, VOORBEELD), (voorlopig, VOORLOPIG)) if flag)
