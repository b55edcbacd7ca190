"""Logical functions: IF and its relatives (lazy: only the chosen branch is evaluated), AND, OR, XOR, NOT."""

from __future__ import annotations

from collections.abc import Sequence

from jbjr_budget.formula_engine.functions.coerce import flat, logical, scalar
from jbjr_budget.formula_engine.functions.registry import Failure, Thunk, element, register
from jbjr_budget.formula_engine.values import NA, VALUE, Array, ExcelError, Scalar, compare, to_bool

__all__: list[str] = []

Result = Scalar | Array | Thunk


@register("IF", lazy=True)
def if_(condition: Thunk, when_true: Thunk | None = None, when_false: Thunk | None = None) -> Result:
    """IF: an array condition chooses element by element."""
    test = condition()
    if isinstance(test, list):
        yes = when_true() if when_true else True
        no = when_false() if when_false else False
        return [[_choose(item, element(yes, i, j), element(no, i, j)) for j, item in enumerate(row)]
                for i, row in enumerate(test)]
    if isinstance(test, ExcelError):
        return test
    if logical(test):
        return when_true if when_true else 0.0
    return when_false if when_false else False


def _choose(test: Scalar, yes: Scalar, no: Scalar) -> Scalar:
    flag = to_bool(test)
    if isinstance(flag, ExcelError):
        return flag
    return yes if flag else no


@register("IFERROR", lazy=True)
def iferror(value: Thunk, fallback: Thunk) -> Result:
    """IFERROR: an array is replaced element by element."""
    result = value()
    if isinstance(result, list):
        alternative = fallback()
        return [[element(alternative, i, j) if isinstance(item, ExcelError) else item for j, item in enumerate(row)]
                for i, row in enumerate(result)]
    return fallback if isinstance(result, ExcelError) else result


@register("IFNA", lazy=True)
def ifna(value: Thunk, fallback: Thunk) -> Result:
    """IFNA."""
    result = value()
    return fallback if result == NA else result


@register("IFS", lazy=True)
def ifs(*pairs: Thunk) -> Result:
    """IFS: the value of the first condition that holds, else #N/A."""
    for index in range(0, len(pairs) - 1, 2):
        if logical(scalar(pairs[index]())):
            return pairs[index + 1]
    raise Failure(NA)


@register("SWITCH", lazy=True)
def switch(subject: Thunk, *cases: Thunk) -> Result:
    """SWITCH: the value paired with the first case equal to the subject, else the default or #N/A."""
    value = scalar(subject())
    for index in range(0, len(cases) - 1, 2):
        if compare(value, scalar(cases[index]())) == 0:
            return cases[index + 1]
    if len(cases) % 2:
        return cases[-1]
    raise Failure(NA)


def _logicals(args: Sequence[Scalar | Array]) -> list[bool]:
    """The logicals AND, OR and XOR combine: an error anywhere wins over text that is no logical (#VALUE!)."""
    found: list[bool] = []
    unreadable = False
    for item, in_range in flat(args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if isinstance(item, bool | float):
            found.append(bool(item))
        elif not in_range and item is not None:
            flag = to_bool(item)
            unreadable = unreadable or isinstance(flag, ExcelError)
            found.append(flag is True)
    if unreadable or not found:
        raise Failure(VALUE)
    return found


@register("AND", arrays=True)
def and_(*args: Scalar | Array) -> Scalar:
    """AND."""
    return all(_logicals(args))


@register("OR", arrays=True)
def or_(*args: Scalar | Array) -> Scalar:
    """OR."""
    return any(_logicals(args))


@register("XOR", arrays=True)
def xor(*args: Scalar | Array) -> Scalar:
    """XOR: whether an odd number of arguments is TRUE."""
    return sum(_logicals(args)) % 2 == 1


@register("NOT")
def not_(value: Scalar) -> Scalar:
    """NOT."""
    return not logical(value)


@register("TRUE")
def true() -> Scalar:
    """TRUE()."""
    return True


@register("FALSE")
def false() -> Scalar:
    """FALSE()."""
    return False
