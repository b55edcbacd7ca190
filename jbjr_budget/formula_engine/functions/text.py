"""Text functions."""

from __future__ import annotations

import re

from jbjr_budget.formula_engine.functions.coerce import flat, integer, logical, num, scalar, text
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import VALUE, Array, ExcelError, Scalar

__all__ = ["MAX_TEXT"]

MAX_TEXT = 32_767  # Excel's longest text in a cell; longer results are #VALUE!


@register("CONCATENATE", arrays=True)
def concatenate(*args: Scalar | Array) -> Scalar:
    """CONCATENATE."""
    return "".join(text(scalar(arg)) for arg in args)


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


@register("VALUE")
def value_(value: Scalar) -> Scalar:
    """VALUE."""
    return num(text(value)) if not isinstance(value, float) else value


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
