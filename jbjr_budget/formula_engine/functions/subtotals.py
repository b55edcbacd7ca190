"""Math and trig, third part: SUBTOTAL and AGGREGATE, which skip the subtotals inside their ranges.

The engine does not know which rows are hidden or filtered out: SUBTOTAL 101-111 and AGGREGATE's
options for hidden rows count every row.
"""

from __future__ import annotations

from collections.abc import Callable

from jbjr_budget.formula_engine.functions import ranks, statistical
from jbjr_budget.formula_engine.functions.coerce import grid, integer, scalar
from jbjr_budget.formula_engine.functions.mathematics import product, sum_
from jbjr_budget.formula_engine.functions.registry import Context, Failure, register, resolve
from jbjr_budget.formula_engine.values import VALUE, Array, ExcelError, Ref, Value

__all__: list[str] = []

Aggregate = Callable[..., Value]
_BASIC: dict[int, Aggregate] = {
    1: statistical.average, 2: statistical.count, 3: statistical.counta, 4: statistical.max_, 5: statistical.min_,
    6: product, 7: statistical.stdev_s, 8: statistical.stdev_p, 9: sum_, 10: statistical.var_s, 11: statistical.var_p,
}
_MORE: dict[int, Aggregate] = {12: ranks.median, 13: ranks.mode}
_WITH_K: dict[int, Aggregate] = {
    14: ranks.large, 15: ranks.small, 16: ranks.percentile_inc, 17: ranks.quartile_inc, 18: ranks.percentile_exc,
    19: ranks.quartile_exc,
}


def _values(context: Context, arg: Value, *, skip_nested: bool, skip_errors: bool) -> Array:
    """A range without the cells that hold SUBTOTAL or AGGREGATE (and, if asked, without errors)."""
    if isinstance(arg, Ref):
        array = context.array(arg)
        if skip_nested:
            array = [[None if item is not None and context.is_subtotal(arg.sheet, arg.r1 + i, arg.c1 + j) else item
                      for j, item in enumerate(row)] for i, row in enumerate(array)]
    else:
        array = grid(resolve(context, arg))
    if skip_errors:
        array = [[None if isinstance(item, ExcelError) else item for item in row] for row in array]
    return array


@register("SUBTOTAL", references=True)
def subtotal(context: Context, function: Value, *refs: Value) -> Value:
    """SUBTOTAL: function 1-11 (or 101-111) over the ranges, nested subtotals left out."""
    number = integer(scalar(resolve(context, function)))
    chosen = _BASIC.get(number % 100 if number > 100 else number)
    if chosen is None or not refs:
        raise Failure(VALUE)
    return chosen(*[_values(context, ref, skip_nested=True, skip_errors=False) for ref in refs])


@register("AGGREGATE", references=True)
def aggregate(context: Context, function: Value, options: Value, *args: Value) -> Value:
    """AGGREGATE: function 1-19 with options 0-7 (1, 3, 5, 7: hidden rows, not known here, count)."""
    number = integer(scalar(resolve(context, function)))
    option = integer(scalar(resolve(context, options))) if options is not None else 0
    if not 0 <= option <= 7 or not args:
        raise Failure(VALUE)
    skip_nested, skip_errors = option < 4, option in (2, 3, 6, 7)
    if number in _WITH_K:
        if len(args) != 2:
            raise Failure(VALUE)
        values = _values(context, args[0], skip_nested=skip_nested, skip_errors=skip_errors)
        return _WITH_K[number](values, resolve(context, args[1]))
    chosen = _BASIC.get(number) or _MORE.get(number)
    if chosen is None:
        raise Failure(VALUE)
    return chosen(*[_values(context, arg, skip_nested=skip_nested, skip_errors=skip_errors) for arg in args])
