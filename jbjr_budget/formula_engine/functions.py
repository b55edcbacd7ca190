"""Excel's built-in functions used in JBJR workbooks, and calls of custom (JBJR) functions.

Each function receives the evaluator and its arguments as values, references or arrays; lazy
functions (IF, IFERROR, CHOOSE, ...) receive closures instead. Inside, a :class:`Failure`
carries an Excel error out; the registration wrapper turns it into the error value.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.operators import BINARY
from jbjr_budget.formula_engine.values import (
    DIV0,
    NA,
    NUM,
    REF,
    VALUE,
    Array,
    ExcelError,
    Ref,
    Scalar,
    Value,
    compare,
    excel_date,
    from_python,
    serial_date,
    to_bool,
    to_number,
    to_text,
)

if TYPE_CHECKING:
    from jbjr_budget.formula_engine.evaluator import Evaluator

__all__ = ["BUILTINS", "NOT_SUPPORTED", "call_custom"]

Builtin = Callable[..., Value]
BUILTINS: dict[str, tuple[Builtin, bool]] = {}
MAX_TEXT = 32_767  # Excel's longest text in a cell; REPT answers #VALUE! beyond it
ERROR_TEXT = "#JBJR!"  # JBJR functions answer bad input with this text instead of raising
NOT_SUPPORTED = frozenset({"OFFSET", "INDIRECT", "TEXT", "CELL", "INFO", "SUBTOTAL", "AGGREGATE", "HYPERLINK",
                           "LAMBDA", "LET", "FILTER", "SORT", "UNIQUE", "SEQUENCE", "RAND", "RANDBETWEEN"})


class Failure(Exception):
    """Carries an Excel error value out of a function body."""

    def __init__(self, error: ExcelError) -> None:
        super().__init__(error.code)
        self.error = error


def _register(*names: str, lazy: bool = False) -> Callable[[Builtin], Builtin]:
    def decorate(function: Builtin) -> Builtin:
        @functools.wraps(function)
        def guarded(ev: Evaluator, *args: object) -> Value:
            try:
                return function(ev, *args)
            except Failure as failure:
                return failure.error

        for name in names:
            BUILTINS[name] = (guarded, lazy)
        return function

    return decorate


def _lifted(*names: str) -> Callable[[Callable[..., Scalar]], Callable[..., Scalar]]:
    """Register a scalar function; array arguments apply it element by element (dynamic arrays)."""
    def decorate(function: Callable[..., Scalar]) -> Callable[..., Scalar]:
        def guarded(*values: Scalar) -> Scalar:
            try:
                return function(*values)
            except Failure as failure:
                return failure.error

        def lifted(ev: Evaluator, *args: Value) -> Value:
            values = [ev.value(arg) for arg in args]
            if not any(isinstance(value, list) for value in values):
                return guarded(*values)  # type: ignore[arg-type]
            rows = max(len(v) if isinstance(v, list) else 1 for v in values)
            cols = max(len(v[0]) if isinstance(v, list) else 1 for v in values)
            return [[guarded(*[_at(v, i, j) for v in values]) for j in range(cols)] for i in range(rows)]

        for name in names:
            BUILTINS[name] = (lifted, False)
        return function

    return decorate


def _at(value: Scalar | Array, i: int, j: int) -> Scalar:
    if not isinstance(value, list):
        return value
    row = value[0] if len(value) == 1 else (value[i] if i < len(value) else None)
    if row is None:
        return NA
    return row[0] if len(row) == 1 else (row[j] if j < len(row) else NA)


# -- coercion helpers that raise Failure -------------------------------------------------------------

def num(value: Scalar) -> float:
    """A number, or fail with the Excel error."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        raise Failure(number)
    return number


def text(value: Scalar) -> str:
    """Text, or fail with the Excel error."""
    result = to_text(value)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def logical(value: Scalar) -> bool:
    """A logical, or fail with the Excel error."""
    result = to_bool(value)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def integer(value: Scalar) -> int:
    """A number truncated toward zero."""
    return int(num(value))


def scalar(ev: Evaluator, value: Value) -> Scalar:
    """One value: a one-cell range or the top-left element of an array."""
    resolved = ev.value(value)
    if isinstance(resolved, list):
        resolved = resolved[0][0]
    if isinstance(resolved, ExcelError):
        raise Failure(resolved)
    return resolved


def grid(ev: Evaluator, value: Value) -> Array:
    """Any argument as a 2D array."""
    resolved = ev.value(value)
    return resolved if isinstance(resolved, list) else [[resolved]]


def vector(ev: Evaluator, value: Value) -> list[Scalar]:
    """A one-row or one-column argument as a flat list."""
    array = grid(ev, value)
    if len(array) == 1:
        return array[0]
    if len(array[0]) == 1:
        return [row[0] for row in array]
    raise Failure(NA)


def _flat(ev: Evaluator, args: Sequence[Value]) -> Iterator[tuple[Scalar, bool]]:
    """Every value of every argument, flagged True when it came from a range or array."""
    for arg in args:
        if isinstance(arg, Ref | list):
            for row in grid(ev, arg):
                for item in row:
                    yield item, True
        else:
            yield arg, False


def _numbers(ev: Evaluator, args: Sequence[Value]) -> list[float]:
    """Numbers as SUM sees them: ranges give their numbers only, direct arguments are coerced."""
    found: list[float] = []
    for item, in_range in _flat(ev, args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if isinstance(item, float):
            found.append(item)
        elif not in_range:
            found.append(num(item))
    return found


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise Failure(NUM)
    return number


# -- aggregates --------------------------------------------------------------------------------------

@_register("SUM")
def _sum(ev: Evaluator, *args: Value) -> Value:
    if len(args) == 1 and isinstance(args[0], Ref):
        total = 0.0
        for row in ev.array(args[0]):
            for item in row:
                if type(item) is float:
                    total += item
                elif isinstance(item, ExcelError):
                    return item
        return total
    return math.fsum(_numbers(ev, args))


@_register("PRODUCT")
def _product(ev: Evaluator, *args: Value) -> Value:
    return _finite(math.prod(_numbers(ev, args)))


@_register("AVERAGE")
def _average(ev: Evaluator, *args: Value) -> Value:
    numbers = _numbers(ev, args)
    if not numbers:
        raise Failure(DIV0)
    return math.fsum(numbers) / len(numbers)


@_register("MIN")
def _min(ev: Evaluator, *args: Value) -> Value:
    return min(_numbers(ev, args), default=0.0)


@_register("MAX")
def _max(ev: Evaluator, *args: Value) -> Value:
    return max(_numbers(ev, args), default=0.0)


@_register("COUNT")
def _count(ev: Evaluator, *args: Value) -> Value:
    found = 0
    for item, in_range in _flat(ev, args):
        if isinstance(item, float) or (not in_range and not isinstance(to_number(item), ExcelError)
                                       and item is not None):
            found += 1
    return float(found)


@_register("COUNTA")
def _counta(ev: Evaluator, *args: Value) -> Value:
    return float(sum(1 for item, _ in _flat(ev, args) if item is not None))


@_register("COUNTBLANK")
def _countblank(ev: Evaluator, arg: Value) -> Value:
    return float(sum(1 for row in grid(ev, arg) for item in row if item is None or item == ""))


@_register("SUMPRODUCT")
def _sumproduct(ev: Evaluator, *args: Value) -> Value:
    arrays = [grid(ev, arg) for arg in args]
    shape = (len(arrays[0]), len(arrays[0][0]))
    if any((len(a), len(a[0])) != shape for a in arrays):
        raise Failure(VALUE)
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            product = 1.0
            for array in arrays:
                item = array[i][j]
                if isinstance(item, ExcelError):
                    raise Failure(item)
                product *= item if type(item) is float else 0.0
            total += product
    return _finite(total)


# -- criteria (SUMIFS and friends) -------------------------------------------------------------------

_OPERATORS = ("<=", ">=", "<>", "<", ">", "=")


@functools.lru_cache(maxsize=512)
def _wildcard(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(~[*?~]|[*?])", pattern)
    translated = "".join(
        ".*" if part == "*" else "." if part == "?" else re.escape(part[1]) if part.startswith("~") and len(part) == 2
        else re.escape(part) for part in parts)
    return re.compile(translated, re.IGNORECASE | re.DOTALL)


def _criterion(criterion: Scalar) -> Callable[[Scalar], bool]:
    """A predicate for a COUNTIF-style criterion such as ``">=10"``, ``"a*"`` or ``5``."""
    if not isinstance(criterion, str):
        target = 0.0 if criterion is None else criterion
        return lambda item: item is not None and not isinstance(item, str) and _order(item, target) == 0
    op = next((o for o in _OPERATORS if criterion.startswith(o)), "=")
    rest = criterion[len(op):] if criterion.startswith(op) else criterion
    if rest == "":
        return (lambda item: item is None or item == "") if op == "=" else (
            lambda item: item is not None and item != "")
    operand: Scalar = rest
    number = to_number(rest)
    if isinstance(number, float):
        operand = number
    elif rest.upper() in ("TRUE", "FALSE"):
        operand = rest.upper() == "TRUE"
    if isinstance(operand, str) and op in ("=", "<>"):
        pattern = _wildcard(operand)

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
    tests: dict[str, Callable[[int], bool]] = {
        "=": lambda o: o == 0, "<>": lambda o: o != 0, "<": lambda o: o < 0,
        ">": lambda o: o > 0, "<=": lambda o: o <= 0, ">=": lambda o: o >= 0}
    test = tests[op]

    def predicate(item: Scalar) -> bool:
        if op == "<>" and (item is None or type(item) is not type(operand)):
            return True
        if item is None or isinstance(item, ExcelError) or type(item) is not type(operand):
            return False
        return test(compare(item, operand))  # type: ignore[arg-type]

    return predicate


def _matching(ev: Evaluator, pairs: Sequence[Value]) -> tuple[list[bool], tuple[int, int]]:
    """Which positions meet every (range, criterion) pair, and the shared shape."""
    if len(pairs) % 2:
        raise Failure(VALUE)
    mask: list[bool] | None = None
    shape = (0, 0)
    for index in range(0, len(pairs), 2):
        array = grid(ev, pairs[index])
        predicate = _criterion(scalar(ev, pairs[index + 1]))
        if mask is None:
            shape = (len(array), len(array[0]))
            mask = [True] * (shape[0] * shape[1])
        elif (len(array), len(array[0])) != shape:
            raise Failure(VALUE)
        flat = [item for row in array for item in row]
        mask = [keep and predicate(item) for keep, item in zip(mask, flat, strict=True)]
    return mask or [], shape


def _selected(ev: Evaluator, target: Value, mask: list[bool], shape: tuple[int, int]) -> list[float]:
    array = grid(ev, _same_shape(target, shape))
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


@_register("SUMIF")
def _sumif(ev: Evaluator, where: Value, criterion: Value, target: Value = None) -> Value:
    mask, shape = _matching(ev, [where, criterion])
    return math.fsum(_selected(ev, where if target is None else _same_shape(target, shape), mask, shape))


@_register("SUMIFS")
def _sumifs(ev: Evaluator, target: Value, *pairs: Value) -> Value:
    mask, shape = _matching(ev, pairs)
    return math.fsum(_selected(ev, target, mask, shape))


@_register("COUNTIF")
def _countif(ev: Evaluator, where: Value, criterion: Value) -> Value:
    return float(sum(_matching(ev, [where, criterion])[0]))


@_register("COUNTIFS")
def _countifs(ev: Evaluator, *pairs: Value) -> Value:
    return float(sum(_matching(ev, pairs)[0]))


@_register("AVERAGEIF")
def _averageif(ev: Evaluator, where: Value, criterion: Value, target: Value = None) -> Value:
    mask, shape = _matching(ev, [where, criterion])
    found = _selected(ev, where if target is None else _same_shape(target, shape), mask, shape)
    if not found:
        raise Failure(DIV0)
    return math.fsum(found) / len(found)


@_register("AVERAGEIFS")
def _averageifs(ev: Evaluator, target: Value, *pairs: Value) -> Value:
    mask, shape = _matching(ev, pairs)
    found = _selected(ev, target, mask, shape)
    if not found:
        raise Failure(DIV0)
    return math.fsum(found) / len(found)


@_register("MINIFS")
def _minifs(ev: Evaluator, target: Value, *pairs: Value) -> Value:
    mask, shape = _matching(ev, pairs)
    return min(_selected(ev, target, mask, shape), default=0.0)


@_register("MAXIFS")
def _maxifs(ev: Evaluator, target: Value, *pairs: Value) -> Value:
    mask, shape = _matching(ev, pairs)
    return max(_selected(ev, target, mask, shape), default=0.0)


# -- logic ---------------------------------------------------------------------------------------------

Thunk = Callable[[], Value]


@_register("IF", lazy=True)
def _if(ev: Evaluator, condition: Thunk, when_true: Thunk | None = None, when_false: Thunk | None = None) -> Value:
    test = ev.value(condition())
    if isinstance(test, list):
        yes = ev.value(when_true()) if when_true else True
        no = ev.value(when_false()) if when_false else False
        return [[_choose(item, _at(yes, i, j), _at(no, i, j)) for j, item in enumerate(row)]
                for i, row in enumerate(test)]
    if isinstance(test, ExcelError):
        return test
    if logical(test):
        return when_true() if when_true else 0.0
    return when_false() if when_false else False


def _choose(test: Scalar, yes: Scalar, no: Scalar) -> Scalar:
    flag = to_bool(test)
    if isinstance(flag, ExcelError):
        return flag
    return yes if flag else no


@_register("IFERROR", lazy=True)
def _iferror(ev: Evaluator, value: Thunk, fallback: Thunk) -> Value:
    result = ev.value(value())
    if isinstance(result, list):
        alternative = ev.value(fallback())
        return [[_at(alternative, i, j) if isinstance(item, ExcelError) else item for j, item in enumerate(row)]
                for i, row in enumerate(result)]
    return fallback() if isinstance(result, ExcelError) else result


@_register("IFNA", lazy=True)
def _ifna(ev: Evaluator, value: Thunk, fallback: Thunk) -> Value:
    result = ev.value(value())
    return fallback() if result == NA else result


@_register("IFS", lazy=True)
def _ifs(ev: Evaluator, *pairs: Thunk) -> Value:
    for index in range(0, len(pairs) - 1, 2):
        if logical(scalar(ev, pairs[index]())):
            return pairs[index + 1]()
    raise Failure(NA)


@_register("SWITCH", lazy=True)
def _switch(ev: Evaluator, subject: Thunk, *cases: Thunk) -> Value:
    value = scalar(ev, subject())
    for index in range(0, len(cases) - 1, 2):
        if compare(value, scalar(ev, cases[index]())) == 0:
            return cases[index + 1]()
    if len(cases) % 2:
        return cases[-1]()
    raise Failure(NA)


@_register("CHOOSE", lazy=True)
def _choose_fn(ev: Evaluator, index: Thunk, *options: Thunk) -> Value:
    position = integer(scalar(ev, index()))
    if not 1 <= position <= len(options):
        raise Failure(VALUE)
    return options[position - 1]()


def _logicals(ev: Evaluator, args: Sequence[Value]) -> list[bool]:
    found: list[bool] = []
    for item, in_range in _flat(ev, args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if isinstance(item, bool | float):
            found.append(bool(item))
        elif not in_range and item is not None:
            found.append(logical(item))
    if not found:
        raise Failure(VALUE)
    return found


@_register("AND")
def _and(ev: Evaluator, *args: Value) -> Value:
    return all(_logicals(ev, args))


@_register("OR")
def _or(ev: Evaluator, *args: Value) -> Value:
    return any(_logicals(ev, args))


@_register("XOR")
def _xor(ev: Evaluator, *args: Value) -> Value:
    return sum(_logicals(ev, args)) % 2 == 1


@_lifted("NOT")
def _not(value: Scalar) -> Scalar:
    return not logical(value)


@_register("TRUE")
def _true(ev: Evaluator) -> Value:
    return True


@_register("FALSE")
def _false(ev: Evaluator) -> Value:
    return False


# -- information ---------------------------------------------------------------------------------------

@_lifted("ISBLANK")
def _isblank(value: Scalar) -> Scalar:
    return value is None


@_lifted("ISNUMBER")
def _isnumber(value: Scalar) -> Scalar:
    return type(value) is float


@_lifted("ISTEXT")
def _istext(value: Scalar) -> Scalar:
    return isinstance(value, str)


@_lifted("ISLOGICAL")
def _islogical(value: Scalar) -> Scalar:
    return isinstance(value, bool)


@_lifted("ISERROR")
def _iserror(value: Scalar) -> Scalar:
    return isinstance(value, ExcelError)


@_lifted("ISERR")
def _iserr(value: Scalar) -> Scalar:
    return isinstance(value, ExcelError) and value != NA


@_lifted("ISNA")
def _isna(value: Scalar) -> Scalar:
    return value == NA


@_register("NA")
def _na(ev: Evaluator) -> Value:
    return NA


# -- mathematics ---------------------------------------------------------------------------------------

def _round(value: Scalar, digits: Scalar, mode: str) -> float:
    number, places = num(value), integer(digits)
    if places > 15 or number == 0:
        return number
    try:
        # Like Excel, round what the cell shows (15 significant digits), not the binary fraction.
        rounded = Decimal(f"{number:.15g}").quantize(Decimal(1).scaleb(-places), rounding=mode)
    except InvalidOperation:
        return number
    return float(rounded)


@_lifted("ROUND")
def _round_fn(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    return _round(value, digits, ROUND_HALF_UP)


@_lifted("ROUNDUP")
def _roundup(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    return _round(value, digits, ROUND_UP)


@_lifted("ROUNDDOWN")
def _rounddown(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    return _round(value, digits, ROUND_DOWN)


@_lifted("TRUNC")
def _trunc(value: Scalar, digits: Scalar = 0.0) -> Scalar:
    return _round(value, digits, ROUND_DOWN)


@_lifted("INT")
def _int(value: Scalar) -> Scalar:
    return float(math.floor(num(value)))


@_lifted("MOD")
def _mod(value: Scalar, divisor: Scalar) -> Scalar:
    a, b = num(value), num(divisor)
    if b == 0:
        raise Failure(DIV0)
    return a - b * math.floor(_finite(a / b))  # an infinite quotient is #NUM!, as in Excel


@_lifted("ABS")
def _abs(value: Scalar) -> Scalar:
    return abs(num(value))


@_lifted("SIGN")
def _sign(value: Scalar) -> Scalar:
    number = num(value)
    return float((number > 0) - (number < 0))


@_lifted("SQRT")
def _sqrt(value: Scalar) -> Scalar:
    number = num(value)
    if number < 0:
        raise Failure(NUM)
    return math.sqrt(number)


@_lifted("POWER")
def _power(base: Scalar, exponent: Scalar) -> Scalar:
    return BINARY["^"](base, exponent)


@_lifted("EXP")
def _exp(value: Scalar) -> Scalar:
    try:
        return _finite(math.exp(num(value)))
    except OverflowError:
        raise Failure(NUM) from None


@_lifted("LN")
def _ln(value: Scalar) -> Scalar:
    number = num(value)
    if number <= 0:
        raise Failure(NUM)
    return math.log(number)


@_lifted("LOG10")
def _log10(value: Scalar) -> Scalar:
    number = num(value)
    if number <= 0:
        raise Failure(NUM)
    return math.log10(number)


@_register("PI")
def _pi(ev: Evaluator) -> Value:
    return math.pi


# -- lookup and reference ------------------------------------------------------------------------------

def _order(a: Scalar, b: Scalar) -> int:
    """Excel's ordering of two values; an error fails."""
    result = compare(a, b)
    if isinstance(result, ExcelError):
        raise Failure(result)
    return result


def _same_kind(a: Scalar, b: Scalar) -> bool:
    return (isinstance(a, str) == isinstance(b, str)) and (isinstance(a, bool) == isinstance(b, bool))


def _find(target: Scalar, items: Sequence[Scalar], mode: int) -> int | None:
    """Position (0-based) of ``target`` in ``items``, as MATCH finds it.

    Mode 0 is an exact match (wildcards in text), 1 the largest item <= target in ascending data,
    -1 the smallest item >= target in descending data.
    """
    if isinstance(target, ExcelError):
        raise Failure(target)
    if mode == 0:
        if isinstance(target, str) and any(c in target for c in "*?~"):
            pattern = _wildcard(target)
            return next((i for i, item in enumerate(items) if isinstance(item, str) and pattern.fullmatch(item)),
                        None)
        return next((i for i, item in enumerate(items)
                     if item is not None and _same_kind(item, target) and compare(item, target) == 0), None)
    found = None
    for index, item in enumerate(items):
        if item is None or isinstance(item, ExcelError) or not _same_kind(item, target):
            continue
        order = _order(item, target)
        if (mode > 0 and order > 0) or (mode < 0 and order < 0):
            break
        found = index
        if order == 0 and mode < 0:
            break
    return found


@_register("MATCH")
def _match(ev: Evaluator, target: Value, where: Value, mode: Value = 1.0) -> Value:
    kind = num(scalar(ev, mode))
    position = _find(scalar(ev, target), vector(ev, where), (kind > 0) - (kind < 0))
    if position is None:
        raise Failure(NA)
    return float(position + 1)


def _table_lookup(ev: Evaluator, target: Value, table: Value, index: Value, approximate: Value,
                  *, by_row: bool) -> Value:
    array = grid(ev, table)
    if not by_row:
        array = [list(column) for column in zip(*array, strict=True)]
    position = integer(scalar(ev, index))
    if position < 1:
        raise Failure(VALUE)
    if position > len(array):
        raise Failure(REF)
    exact = approximate is not None and not logical(scalar(ev, approximate))
    found = _find(scalar(ev, target), array[0], 0 if exact else 1)
    if found is None:
        raise Failure(NA)
    result = array[position - 1][found]
    return 0.0 if result is None else result


@_register("VLOOKUP")
def _vlookup(ev: Evaluator, target: Value, table: Value, column: Value, approximate: Value = True) -> Value:
    return _table_lookup(ev, target, table, column, approximate, by_row=False)


@_register("HLOOKUP")
def _hlookup(ev: Evaluator, target: Value, table: Value, row: Value, approximate: Value = True) -> Value:
    return _table_lookup(ev, target, table, row, approximate, by_row=True)


@_register("XLOOKUP")
def _xlookup(ev: Evaluator, target: Value, where: Value, results: Value, missing: Value = None,
             match_mode: Value = 0.0, search_mode: Value = 1.0) -> Value:
    items = vector(ev, where)
    mode, search = integer(scalar(ev, match_mode) or 0.0), integer(scalar(ev, search_mode) or 1.0)
    order = list(range(len(items)))[:: -1 if search < 0 else 1]
    position = _xfind(scalar(ev, target), items, order, mode)
    if position is None:
        if missing is None:
            raise Failure(NA)
        return missing
    array = grid(ev, results)
    vertical = len(grid(ev, where)) > 1 or len(array) == len(items) != 1
    picked = [array[position]] if vertical else [[row[position]] for row in array]
    return picked[0][0] if len(picked) == 1 and len(picked[0]) == 1 else picked


def _xfind(target: Scalar, items: Sequence[Scalar], order: list[int], mode: int) -> int | None:
    if mode == 2 and isinstance(target, str):
        pattern = _wildcard(target)
        return next((i for i in order if isinstance(items[i], str) and pattern.fullmatch(items[i])), None)  # type: ignore[arg-type]
    best: int | None = None
    for index in order:
        item = items[index]
        if item is None or not _same_kind(item, target):
            continue
        difference = _order(item, target)
        if difference == 0:
            return index
        if mode == -1 and difference < 0 and (best is None or _order(item, items[best]) == 1):
            best = index
        if mode == 1 and difference > 0 and (best is None or _order(item, items[best]) == -1):
            best = index
    return best


@_register("INDEX")
def _index(ev: Evaluator, source: Value, row: Value = None, column: Value = None) -> Value:
    rows, cols = source.shape if isinstance(source, Ref) else (len(grid(ev, source)), len(grid(ev, source)[0]))
    r = integer(scalar(ev, row)) if row is not None else 0
    c = integer(scalar(ev, column)) if column is not None else 0
    if column is None and rows == 1 and cols > 1:
        r, c = 1, r
    if r < 0 or c < 0 or r > rows or c > cols:
        raise Failure(REF)
    if isinstance(source, Ref):
        return Ref(source.sheet, source.r1 + r - 1 if r else source.r1, source.c1 + c - 1 if c else source.c1,
                   source.r1 + r - 1 if r else source.r2, source.c1 + c - 1 if c else source.c2)
    array = grid(ev, source)
    picked = [line for i, line in enumerate(array) if not r or i == r - 1]
    picked = [[item for j, item in enumerate(line) if not c or j == c - 1] for line in picked]
    return picked[0][0] if len(picked) == 1 and len(picked[0]) == 1 else picked


@_register("ROW")
def _row(ev: Evaluator, ref: Value = None) -> Value:
    if ref is None:
        return float((ev.current >> 15) & 0x1FFFFF)
    if not isinstance(ref, Ref):
        raise Failure(VALUE)
    return float(ref.r1) if ref.r1 == ref.r2 else [[float(r)] for r in range(ref.r1, ref.r2 + 1)]


@_register("COLUMN")
def _column(ev: Evaluator, ref: Value = None) -> Value:
    if ref is None:
        return float(ev.current & 0x7FFF)
    if not isinstance(ref, Ref):
        raise Failure(VALUE)
    return float(ref.c1) if ref.c1 == ref.c2 else [[float(c) for c in range(ref.c1, ref.c2 + 1)]]


@_register("ROWS")
def _rows(ev: Evaluator, source: Value) -> Value:
    return float(source.shape[0] if isinstance(source, Ref) else len(grid(ev, source)))


@_register("COLUMNS")
def _columns(ev: Evaluator, source: Value) -> Value:
    return float(source.shape[1] if isinstance(source, Ref) else len(grid(ev, source)[0]))


# -- dates ---------------------------------------------------------------------------------------------

def _date(value: Scalar) -> dt.date:
    number = num(value)
    try:
        return excel_date(number)
    except (ValueError, OverflowError):
        raise Failure(NUM) from None


@_lifted("DATE")
def _date_fn(year: Scalar, month: Scalar, day: Scalar) -> Scalar:
    y, m, d = integer(year), integer(month), integer(day)
    if 0 <= y < 1900:
        y += 1900
    first_year, first_month = divmod(y * 12 + m - 1, 12)
    if not 1900 <= first_year <= 9999:
        raise Failure(NUM)
    serial = serial_date(dt.date(first_year, first_month + 1, 1)) + d - 1
    if serial < 0:
        raise Failure(NUM)
    return serial


@_lifted("YEAR")
def _year(value: Scalar) -> Scalar:
    return float(_date(value).year) if num(value) >= 1 else 1900.0


@_lifted("MONTH")
def _month(value: Scalar) -> Scalar:
    return float(_date(value).month) if num(value) >= 1 else 1.0


@_lifted("DAY")
def _day(value: Scalar) -> Scalar:
    return float(_date(value).day) if num(value) >= 1 else 0.0


def _add_months(value: Scalar, months: Scalar) -> tuple[int, int, int]:
    start = _date(value)
    year, month = divmod(start.year * 12 + start.month - 1 + integer(months), 12)
    if not 1900 <= year <= 9999:
        raise Failure(NUM)
    return year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1])


@_lifted("EDATE")
def _edate(start: Scalar, months: Scalar) -> Scalar:
    return serial_date(dt.date(*_add_months(start, months)))


@_lifted("EOMONTH")
def _eomonth(start: Scalar, months: Scalar) -> Scalar:
    year, month, _ = _add_months(start, months)
    return serial_date(dt.date(year, month, calendar.monthrange(year, month)[1]))


@_lifted("DAYS")
def _days(end: Scalar, start: Scalar) -> Scalar:
    return float(math.floor(num(end)) - math.floor(num(start)))


# -- text ----------------------------------------------------------------------------------------------

@_register("CONCATENATE")
def _concatenate(ev: Evaluator, *args: Value) -> Value:
    return "".join(text(scalar(ev, arg)) for arg in args)


@_register("CONCAT")
def _concat(ev: Evaluator, *args: Value) -> Value:
    parts = []
    for item, _ in _flat(ev, args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        parts.append(text(item))
    return "".join(parts)


@_register("TEXTJOIN")
def _textjoin(ev: Evaluator, separator: Value, skip_empty: Value, *args: Value) -> Value:
    skip = logical(scalar(ev, skip_empty))
    parts = []
    for item, _ in _flat(ev, args):
        if isinstance(item, ExcelError):
            raise Failure(item)
        if not (skip and (item is None or item == "")):
            parts.append(text(item))
    return text(scalar(ev, separator)).join(parts)


@_lifted("LEFT")
def _left(value: Scalar, count: Scalar = 1.0) -> Scalar:
    return text(value)[: max(0, integer(count))]


@_lifted("RIGHT")
def _right(value: Scalar, count: Scalar = 1.0) -> Scalar:
    n = max(0, integer(count))
    return text(value)[-n:] if n else ""


@_lifted("MID")
def _mid(value: Scalar, start: Scalar, count: Scalar) -> Scalar:
    first, n = integer(start), integer(count)
    if first < 1 or n < 0:
        raise Failure(VALUE)
    return text(value)[first - 1: first - 1 + n]


@_lifted("LEN")
def _len(value: Scalar) -> Scalar:
    return float(len(text(value)))


@_lifted("UPPER")
def _upper(value: Scalar) -> Scalar:
    return text(value).upper()


@_lifted("LOWER")
def _lower(value: Scalar) -> Scalar:
    return text(value).lower()


@_lifted("TRIM")
def _trim(value: Scalar) -> Scalar:
    return re.sub(" +", " ", text(value)).strip(" ")


@_lifted("VALUE")
def _value(value: Scalar) -> Scalar:
    return num(text(value)) if not isinstance(value, float) else value


@_lifted("EXACT")
def _exact(first: Scalar, second: Scalar) -> Scalar:
    return text(first) == text(second)


@_lifted("SUBSTITUTE")
def _substitute(value: Scalar, old: Scalar, new: Scalar, instance: Scalar = None) -> Scalar:
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


@_lifted("REPT")
def _rept(value: Scalar, count: Scalar) -> Scalar:
    times, pattern = integer(count), text(value)
    if times < 0 or len(pattern) * times > MAX_TEXT:
        raise Failure(VALUE)
    return pattern * times


# -- custom (JBJR) functions ---------------------------------------------------------------------------

def _custom_argument(ev: Evaluator, value: Value) -> object:
    if isinstance(value, Ref) and not (value.r1 == value.r2 and value.c1 == value.c2):
        return [list(row) for row in ev.array(value)]
    resolved = ev.value(value)
    return [list(row) for row in resolved] if isinstance(resolved, list) else resolved


def call_custom(ev: Evaluator, name: str, function: Callable[..., object], args: list[Value]) -> Value:
    """Call a custom function with Excel-shaped arguments; its exceptions become #VALUE! and a reported issue."""
    converted = [_custom_argument(ev, arg) for arg in args]
    for item in converted:
        if isinstance(item, ExcelError):
            return item
    try:
        result = function(*converted)
    except JbjrFout as exc:
        ev.note("fout in functie", f"{name}: {exc}")
        return VALUE
    except Exception as exc:
        ev.note("fout in functie", f"{name}: {type(exc).__name__}: {exc}")
        return VALUE
    if isinstance(result, str) and result.startswith(ERROR_TEXT):
        ev.note("fout in functie", f"{name}: {result.removeprefix(ERROR_TEXT).strip()}")
    return from_python(result)
