"""Excel number formats applied to numbers and text, as TEXT does (en-US codes; separators of the locale).

Number sections use the placeholders ``0 # ?``, ``.``, ``,`` (thousands between placeholders, /1000 after
them), ``%`` and ``E+``/``E-``; date sections go to :mod:`.date_format`. Fractions (``# ?/?``) are not
supported: their ``/`` shows as text.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from jbjr_budget.formula_engine.functions.date_format import format_date, is_date_format
from jbjr_budget.formula_engine.functions.format_codes import choose_section, literal, parts_of, sections_of
from jbjr_budget.formula_engine.functions.registry import Failure
from jbjr_budget.formula_engine.locales import LOCALE
from jbjr_budget.formula_engine.values import VALUE, general_text

__all__ = ["format_number", "format_text"]

_PLACEHOLDERS = ("0", "#", "?")


def format_number(number: float, code: str) -> str:
    """``number`` shown in the format ``code``."""
    section, shown, minus = choose_section(number, sections_of(code))
    parts = parts_of(section)
    if section.strip().lower() in ("general", LOCALE.get().general.lower()):
        text = general_text(shown)
    elif is_date_format(parts):
        if minus:
            raise Failure(VALUE)
        text = format_date(shown, parts)
    else:
        text = _digits(shown, parts)
    return "-" + text if minus else text


def format_text(text: str, code: str) -> str:
    """Text in a format: the fourth section (or the first with ``@``) shows it; without one it stays as it is."""
    sections = sections_of(code)
    section = sections[3] if len(sections) > 3 else next((s for s in sections if "@" in s), None)
    if section is None:
        return text
    return "".join(text if part == "@" else _shown(part) for part in parts_of(section))


def _shown(part: str) -> str:
    shown = literal(part)
    return part if shown is None else shown


def _digits(value: float, parts: list[str]) -> str:
    """A number in a section of placeholders and literals."""
    codes = [i for i, part in enumerate(parts) if literal(part) is None]
    slots = [i for i in codes if parts[i] in _PLACEHOLDERS]
    if not slots:
        return "".join(_shown(part) for part in parts)
    exponent = next((i for i in codes if parts[i] in ("E", "e") and parts[i + 1:i + 2] in (["+"], ["-"])), None)
    end = len(parts) if exponent is None else exponent
    point = next((i for i in codes if parts[i] == "." and i < end), end)
    whole_slots = [i for i in slots if i < point]
    decimal_slots = [i for i in slots if point < i < end]
    commas = [i for i in codes if parts[i] == ","]
    last_whole = whole_slots[-1] if whole_slots else -1
    value *= 100.0 ** sum(parts[i] == "%" for i in codes)
    value /= 1000.0 ** sum(1 for i in commas if last_whole < i < point or i > slots[-1])
    grouping = bool(whole_slots) and any(whole_slots[0] < i < last_whole for i in commas)
    filled = dict.fromkeys(commas, "")
    if exponent is None:
        filled.update(_fill(value, parts, whole_slots, decimal_slots, grouping=grouping))
    else:
        mantissa, power = _mantissa(value, len(whole_slots), len(decimal_slots))
        filled.update(_fill(mantissa, parts, whole_slots, decimal_slots, grouping=False))
        power_slots = [i for i in slots if i > exponent] or [exponent + 1]
        sign = "-" if power < 0 else "+" if parts[exponent + 1] == "+" else ""
        filled.update(dict.fromkeys(power_slots, ""))
        filled[exponent + 1] = sign + str(abs(power)).zfill(sum(parts[i] == "0" for i in power_slots))
    if point < end:
        filled[point] = LOCALE.get().decimal
    return "".join(filled.get(i, _shown(part)) for i, part in enumerate(parts))


def _mantissa(value: float, whole: int, decimals: int) -> tuple[float, int]:
    """A number as mantissa and power of ten, the power a multiple of the whole placeholders (engineering style)."""
    if value == 0:
        return 0.0, 0
    step = max(whole, 1)
    power = math.floor(math.log10(value))
    power -= power % step if step > 1 else 0
    mantissa = round(value / 10.0**power, decimals)
    if mantissa >= 10.0**step:
        power += step
        mantissa = round(value / 10.0**power, decimals)
    return mantissa, power


def _fill(value: float, parts: list[str], whole_slots: list[int], decimal_slots: list[int], *,
          grouping: bool) -> dict[int, str]:
    """The text each placeholder shows: whole digits right to left (extra ones in the first), decimals left to right."""
    rounded = Decimal(f"{value:.15g}").quantize(Decimal(1).scaleb(-len(decimal_slots)), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    whole = whole.lstrip("0")
    filled: dict[int, str] = {}
    if grouping:
        zeros = sum(parts[i] == "0" for i in whole_slots)
        filled = dict.fromkeys(whole_slots, "")
        padded = whole.rjust(zeros, "0")
        filled[whole_slots[0]] = f"{int(padded):,}".replace(",", LOCALE.get().thousands) if padded else ""
    else:
        remaining = whole
        for index in reversed(whole_slots):
            if index == whole_slots[0]:
                filled[index] = remaining or {"0": "0", "?": " "}.get(parts[index], "")
            else:
                filled[index] = remaining[-1:] or {"0": "0", "?": " "}.get(parts[index], "")
                remaining = remaining[:-1]
    shown = len(fraction)
    while shown and parts[decimal_slots[shown - 1]] != "0" and fraction[shown - 1] == "0":
        shown -= 1
    for position, index in enumerate(decimal_slots):
        filled[index] = fraction[position] if position < shown else (" " if parts[index] == "?" else "")
    return filled
