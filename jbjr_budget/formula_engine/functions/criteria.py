"""COUNTIF-style criteria (``">=10"``, ``"a*"``, ``5``) and the masks they select, for the *IF and *IFS functions."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from jbjr_budget.formula_engine.functions.coerce import grid
from jbjr_budget.formula_engine.functions.registry import Context, Failure, lifted, whole
from jbjr_budget.formula_engine.values import (
    ERROR_CODES,
    VALUE,
    Array,
    ExcelError,
    Ref,
    Scalar,
    Value,
    compare,
    to_number,
)

__all__ = ["conditional", "criterion", "if_values", "selected", "wildcard"]

_OPERATORS = ("<=", ">=", "<>", "<", ">", "=")
_TESTS: dict[str, Callable[[int], bool]] = {
    "=": lambda o: o == 0, "<>": lambda o: o != 0, "<": lambda o: o < 0,
    ">": lambda o: o > 0, "<=": lambda o: o <= 0, ">=": lambda o: o >= 0}


@functools.lru_cache(maxsize=512)
def wildcard(pattern: str) -> re.Pattern[str]:
    """A regular expression for an Excel pattern: ``*`` any text, ``?`` one character, ``~`` escapes."""
    parts = re.split(r"(~[*?~]|[*?])", pattern)
    translated = "".join(
        ".*" if part == "*" else "." if part == "?" else re.escape(part[1]) if part.startswith("~") and len(part) == 2
        else re.escape(part) for part in parts)
    return re.compile(translated, re.IGNORECASE | re.DOTALL)


def criterion(given: Scalar) -> Callable[[Scalar], bool]:
    """A predicate for a COUNTIF-style criterion such as ``">=10"``, ``"a*"``, ``5`` or ``"#N/A"``."""
    if isinstance(given, ExcelError):
        return lambda item: item == given
    if not isinstance(given, str):
        target = 0.0 if given is None else given
        return lambda item: item is not None and not isinstance(item, str | ExcelError) and compare(item, target) == 0
    op = next((o for o in _OPERATORS if given.startswith(o)), "=")
    rest = given[len(op):] if given.startswith(op) else given
    if rest == "":
        return (lambda item: item is None or item == "") if op == "=" else (
            lambda item: item is not None and item != "")
    if rest.upper() in ERROR_CODES:  # "#N/A" and "<>#N/A" test for that error value
        error = ExcelError(rest.upper())
        return (lambda item: item == error) if op == "=" else (lambda item: item != error) if op == "<>" else (
            lambda item: False)
    return _comparison(op, rest)


def _comparison(op: str, rest: str) -> Callable[[Scalar], bool]:
    """A predicate for an operator and a number, logical or (wildcard) text."""
    operand: Scalar = rest
    number = to_number(rest)
    if isinstance(number, float):
        operand = number
    elif rest.upper() in ("TRUE", "FALSE"):
        operand = rest.upper() == "TRUE"
    if isinstance(operand, str) and op in ("=", "<>"):
        pattern = wildcard(operand)

        def matches(item: Scalar) -> bool:
            return isinstance(item, str) and pattern.fullmatch(item) is not None

        return matches if op == "=" else (lambda item: not matches(item))
    if isinstance(operand, float) and op in ("=", "<>"):
        # "5" (a criterion given as text) also finds the text "5", as in Excel and LibreOffice.
        spelled = rest.lower()

        def equal(item: Scalar) -> bool:
            if isinstance(item, str):
                return item.lower() == spelled
            return type(item) is float and compare(item, operand) == 0

        return equal if op == "=" else (lambda item: not equal(item))
    test = _TESTS[op]

    def predicate(item: Scalar) -> bool:
        if op == "<>" and (item is None or type(item) is not type(operand)):
            return True
        if item is None or isinstance(item, ExcelError) or type(item) is not type(operand):
            return False
        return test(compare(item, operand))  # type: ignore[arg-type]

    return predicate


def _mask(ranges: Sequence[Scalar | Array], criteria: Sequence[Scalar]) -> tuple[list[bool], tuple[int, int]]:
    """Which positions meet every (range, criterion) pair, and the shared shape."""
    mask: list[bool] | None = None
    shape = (0, 0)
    for where, given in zip(ranges, criteria, strict=True):
        array = grid(where)
        predicate = criterion(given)
        if mask is None:
            shape = (len(array), len(array[0]))
            mask = [True] * (shape[0] * shape[1])
        elif (len(array), len(array[0])) != shape:
            raise Failure(VALUE)
        flat = [item for row in array for item in row]
        mask = [keep and predicate(item) for keep, item in zip(mask, flat, strict=True)]
    return mask or [], shape


Compute = Callable[[list[bool], tuple[int, int]], Scalar]


def conditional(pairs: Sequence[Scalar | Array], compute: Compute) -> Value:
    """``compute(mask, shape)`` for (range, criterion) pairs; criteria given as arrays give an array of results."""
    if not pairs or len(pairs) % 2:
        raise Failure(VALUE)
    ranges, criteria = pairs[0::2], pairs[1::2]

    def one(*chosen: Scalar) -> Scalar:
        return compute(*_mask(ranges, chosen))

    if any(isinstance(given, list) and (len(given) > 1 or len(given[0]) > 1) for given in criteria):
        return lifted(one, list(criteria))
    return one(*[given[0][0] if isinstance(given, list) else given for given in criteria])


def selected(target: Scalar | Array, mask: list[bool], shape: tuple[int, int]) -> list[float]:
    """The numbers of ``target`` where ``mask`` holds; an error there fails."""
    array = grid(target)
    if (len(array), len(array[0])) != shape:
        raise Failure(VALUE)
    values = [item for row in array for item in row]
    for keep, item in zip(mask, values, strict=True):
        if keep and isinstance(item, ExcelError):
            raise Failure(item)
    return [item for keep, item in zip(mask, values, strict=True) if keep and type(item) is float]


def _same_shape(target: Value, shape: tuple[int, int]) -> Value:
    """SUMIF's sum range: the top-left cell of ``target`` stretched to the criteria range's shape."""
    if isinstance(target, Ref) and target.shape != shape:
        return Ref(target.sheet, target.r1, target.c1, target.r1 + shape[0] - 1, target.c1 + shape[1] - 1)
    return target


def if_values(context: Context, where: Value, given: Value, target: Value,
              compute: Callable[[list[float]], Scalar]) -> Value:
    """SUMIF and AVERAGEIF: ``compute`` of the numbers in ``target`` (``where`` when omitted) where ``given`` holds."""
    def on_target(mask: list[bool], shape: tuple[int, int]) -> Scalar:
        chosen = where if target is None else _same_shape(target, shape)
        return compute(selected(whole(context, chosen), mask, shape))

    return conditional([whole(context, where), whole(context, given)], on_target)
