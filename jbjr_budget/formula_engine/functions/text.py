"""Text functions."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from jbjr_budget.formula_engine.functions.coerce import flat, integer, logical, num, scalar, text
from jbjr_budget.formula_engine.functions.criteria import wildcard
from jbjr_budget.formula_engine.functions.local_codes import english_code
from jbjr_budget.formula_engine.functions.number_format import format_number, format_text
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.locales import LOCALE
from jbjr_budget.formula_engine.values import VALUE, Array, ExcelError, Scalar, to_number

__all__ = ["MAX_TEXT"]

MAX_TEXT = 32_767  # Excel's longest text in a cell; longer results are #VALUE!


@register("CONCATENATE", arrays=True)
def concatenate(*args: Scalar | Array) -> Scalar:
    """CONCATENATE."""
    return "".join(text(scalar(arg)) for arg in args)


@register("_LONGTEXT", arrays=True)
def longtext(*parts: Scalar | Array) -> Scalar:
    """How the file format stores a text constant over 255 characters: ``_xlfn._LONGTEXT("...","...")``."""
    return "".join(text(scalar(part)) for part in parts)


def _texts(args: tuple[Scalar | Array, ...], *, skip_empty: bool = False) -> list[str]:
    parts = []
    for item, _ in flat(args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if not (skip_empty and (item is None or item == "")):
            parts.append(text(item))
    return parts


@register("CONCAT", arrays=True)
def concat(*args: Scalar | Array) -> Scalar:
    """CONCAT: ranges joined cell by cell."""
    return "".join(_texts(args))


@register("TEXTJOIN", arrays=True)
def textjoin(separator: Scalar | Array, skip_empty: Scalar | Array, *args: Scalar | Array) -> Scalar:
    """TEXTJOIN."""
    return text(scalar(separator)).join(_texts(args, skip_empty=logical(scalar(skip_empty))))


@register("LEFT")
def left(value: Scalar, count: Scalar = 1.0) -> Scalar:
    """LEFT."""
    return text(value)[: max(0, integer(count))]


@register("RIGHT")
def right(value: Scalar, count: Scalar = 1.0) -> Scalar:
    """RIGHT."""
    n = max(0, integer(count))
    return text(value)[-n:] if n else ""


@register("MID")
def mid(value: Scalar, start: Scalar, count: Scalar) -> Scalar:
    """MID."""
    first, n = integer(start), integer(count)
    if first < 1 or n < 0:
        raise Failure(VALUE)
    return text(value)[first - 1: first - 1 + n]


@register("LEN")
def len_(value: Scalar) -> Scalar:
    """LEN."""
    return float(len(text(value)))


@register("UPPER")
def upper(value: Scalar) -> Scalar:
    """UPPER."""
    return text(value).upper()


@register("LOWER")
def lower(value: Scalar) -> Scalar:
    """LOWER."""
    return text(value).lower()


@register("TRIM")
def trim(value: Scalar) -> Scalar:
    """TRIM: spaces at the ends dropped, runs of spaces inside made single."""
    return re.sub(" +", " ", text(value)).strip(" ")


@register("EXACT")
def exact(first: Scalar, second: Scalar) -> Scalar:
    """EXACT: equal text, case included."""
    return text(first) == text(second)


@register("SUBSTITUTE")
def substitute(value: Scalar, old: Scalar, new: Scalar, instance: Scalar = None) -> Scalar:
    """SUBSTITUTE: every occurrence, or only the given one."""
    source, find, replacement = text(value), text(old), text(new)
    if instance is None:
        return source.replace(find, replacement) if find else source
    nth = integer(instance)
    if nth < 1:
        raise Failure(VALUE)
    position = -1
    for _ in range(nth):
        position = source.find(find, position + 1)
        if position < 0 or not find:
            return source
    return source[:position] + replacement + source[position + len(find):]


@register("REPT")
def rept(value: Scalar, count: Scalar) -> Scalar:
    """REPT: at most 32,767 characters."""
    times, pattern = integer(count), text(value)
    if times < 0 or len(pattern) * times > MAX_TEXT:
        raise Failure(VALUE)
    return pattern * times


# -- finding and replacing -----------------------------------------------------------------------------

def _start(within: str, start: Scalar) -> int:
    first = integer(1.0 if start is None else start)
    if not 1 <= first <= len(within) + 1:
        raise Failure(VALUE)
    return first - 1


@register("FIND")
def find(needle: Scalar, haystack: Scalar, start: Scalar = 1.0) -> Scalar:
    """FIND: where a text first occurs (case-sensitive, no wildcards), from a starting position."""
    within = text(haystack)
    at = within.find(text(needle), _start(within, start))
    if at < 0:
        raise Failure(VALUE)
    return float(at + 1)


@register("SEARCH")
def search(needle: Scalar, haystack: Scalar, start: Scalar = 1.0) -> Scalar:
    """SEARCH: as FIND, but without case and with the wildcards ``*``, ``?`` and ``~``."""
    within, pattern = text(haystack), text(needle)
    first = _start(within, start)
    if not pattern:
        return float(first + 1)
    found = wildcard(pattern).search(within, first)
    if found is None:
        raise Failure(VALUE)
    return float(found.start() + 1)


@register("REPLACE")
def replace(value: Scalar, start: Scalar, count: Scalar, new: Scalar) -> Scalar:
    """REPLACE: ``count`` characters from ``start`` by new text."""
    source, first, n = text(value), integer(start), integer(count)
    if first < 1 or n < 0:
        raise Failure(VALUE)
    return source[: first - 1] + text(new) + source[first - 1 + n:]


# -- characters ----------------------------------------------------------------------------------------

@register("CODE")
def code(value: Scalar) -> Scalar:
    """CODE: the Windows-1252 code of the first character (Excel on Windows); others are 63 (``?``)."""
    first = text(value)[:1]
    if not first:
        raise Failure(VALUE)
    try:
        return float(first.encode("cp1252")[0])
    except UnicodeEncodeError:
        return 63.0


@register("CHAR")
def char(value: Scalar) -> Scalar:
    """CHAR: the Windows-1252 character of a code from 1 to 255."""
    number = integer(value)
    if not 1 <= number <= 255:
        raise Failure(VALUE)
    return bytes([number]).decode("cp1252", errors="replace").replace("\ufffd", chr(number))


@register("UNICODE")
def unicode_(value: Scalar) -> Scalar:
    """UNICODE: the code point of the first character."""
    first = text(value)[:1]
    if not first:
        raise Failure(VALUE)
    return float(ord(first))


@register("UNICHAR")
def unichar(value: Scalar) -> Scalar:
    """UNICHAR: the character of a code point."""
    number = integer(value)
    if not 1 <= number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        raise Failure(VALUE)
    return chr(number)


@register("CLEAN")
def clean(value: Scalar) -> Scalar:
    """CLEAN: without the control characters 0-31."""
    return "".join(c for c in text(value) if ord(c) >= 32)


@register("PROPER")
def proper(value: Scalar) -> Scalar:
    """PROPER: a capital after every character that is no letter, small letters elsewhere."""
    out, previous = [], ""
    for c in text(value):
        out.append(c.lower() if previous.isalpha() else c.upper())
        previous = c
    return "".join(out)


# -- numbers as text and back --------------------------------------------------------------------------

@register("VALUE")
def value_(value: Scalar) -> Scalar:
    """VALUE: text read as a number as Excel reads it (``"$1,000"``, ``"(5)"``, ``"12%"``, dates and times)."""
    if isinstance(value, bool):
        raise Failure(VALUE)
    return num(text(value)) if not isinstance(value, float) else value


@register("NUMBERVALUE")
def numbervalue(value: Scalar, decimal: Scalar = None, group: Scalar = None) -> Scalar:
    """NUMBERVALUE: text read with the given separators, else the locale's (spaces ignored, ``%`` at the end)."""
    locale = LOCALE.get()
    point = text(locale.decimal if decimal is None else decimal)[:1] or "."
    thousands = text(locale.thousands if group is None else group)[:1]
    thousands = "" if thousands == point else thousands
    spelled = "".join(text(value).split())
    shown = spelled.rstrip("%")
    whole, _, fraction = shown.partition(point)
    whole = whole.replace(thousands, "") if thousands else whole
    if not spelled:
        return 0.0
    digits = whole.lstrip("+-") + fraction
    if not re.fullmatch(r"[-+]?\d*", whole) or not digits.isdigit():
        raise Failure(VALUE)
    number = float(f"{whole or '0'}.{fraction or '0'}")
    return number / 100.0 ** (len(spelled) - len(shown))


@register("TEXT")
def text_(value: Scalar, code: Scalar) -> Scalar:
    """TEXT: a value shown in a number format, its codes in the locale (en-US ``#,##0.00``, nl-NL ``#.##0,00``)."""
    pattern = english_code(text(code))
    if isinstance(value, str):
        number = to_number(value)
        return format_text(value, pattern) if isinstance(number, ExcelError) else format_number(number, pattern)
    if isinstance(value, bool):
        return format_text(text(value), pattern)
    return format_number(num(value), pattern)


@register("FIXED")
def fixed(value: Scalar, decimals: Scalar = 2.0, no_commas: Scalar = False) -> Scalar:
    """FIXED: rounded to ``decimals`` places (negative: to tens, hundreds) as text, with thousands separators."""
    places = integer(2.0 if decimals is None else decimals)
    if places > 127:
        raise Failure(VALUE)
    grouped = no_commas is None or not logical(no_commas)
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places > 0 else "")
    number = num(value)
    if places < 0:
        number = float(Decimal(f"{number:.15g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return format_number(number, pattern)


@register("DOLLAR")
def dollar(value: Scalar, decimals: Scalar = 2.0) -> Scalar:
    """DOLLAR: as FIXED in the locale's currency format (en-US ``$1,234.50``, ``($5.00)``; nl-NL ``€ -5,00``)."""
    shown = fixed(abs(num(value)), decimals)
    return LOCALE.get().currency[num(value) < 0].format(shown)
