"""TEXT's format codes as the calculating Excel's locale writes them, read as the en-US codes of :mod:`.number_format`.

A format code inside TEXT is a plain string: Dutch Excel reads ``dd-mm-jjjj``, ``uu:mm`` and
``#.##0,00`` (``j`` year, ``u`` hour, ``,`` decimals, ``.`` thousands), and shows an English ``yyyy``
or ``hh`` as text. Quoted text, escapes and colours are left as they are.
"""

from __future__ import annotations

from jbjr_budget.formula_engine.functions.date_format import is_date_format
from jbjr_budget.formula_engine.functions.format_codes import literal, parts_of, sections_of
from jbjr_budget.formula_engine.locales import LOCALE, Locale

__all__ = ["english_code"]

def english_code(code: str) -> str:
    r"""``code`` as written in the locale of the recalculation, in en-US codes.

    Examples:
        >>> from jbjr_budget.formula_engine.locales import NL_NL
        >>> token = LOCALE.set(NL_NL)
        >>> english_code("dd-mm-jjjj"), english_code("#.##0,00;[Rood]-#.##0,00"), english_code('uu:mm "uur"')
        ('dd-mm-yyyy', '#,##0.00;[Rood]-#,##0.00', 'hh:mm "uur"')
        >>> LOCALE.reset(token)
    """
    locale = LOCALE.get()
    if not locale.code_letters:
        return code
    return ";".join(_english_section(section, locale) for section in sections_of(code))


def _english_section(section: str, locale: Locale) -> str:
    """One section: letters translated; separators swapped in a number section, ``,0`` (seconds) in a date one."""
    if section.strip().lower() == locale.general.lower():
        return "General"
    parts = [_english_part(part, locale.code_letters) for part in parts_of(section)]
    if not is_date_format(parts):
        return "".join(locale.separators.get(part, part) for part in parts)
    return "".join("." if part == locale.decimal and parts[i + 1:i + 2] == ["0"] else part
                   for i, part in enumerate(parts))


def _english_part(part: str, letters: dict[str, str]) -> str:
    """A code letter in en-US (an English letter the locale does not know becomes text); other parts unchanged."""
    if part.startswith("[") and len(part) > 2 and len(set(part[1:-1].lower())) == 1:  # elapsed time: [uu]
        mapped = letters.get(part[1].lower())
        return f"[{mapped * (len(part) - 2)}]" if mapped else part
    if literal(part) is not None or part.lower() not in letters:
        return part
    mapped = letters[part.lower()]
    return mapped if mapped else "\\" + part
