"""Math and trig, third part: SUBTOTAL and AGGREGATE, which skip the subtotals inside their ranges.

SUBTOTAL 101-111 and AGGREGATE's options 1, 3, 5 and 7 also skip hidden rows. The workbook does not
say whether a row was hidden by hand or by a filter, so SUBTOTAL 1-11 counts every row (Excel skips
filtered-out rows there too).
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


def _values(context: Context, arg: Value, *, skip_nested: bool, skip_errors: bool, skip_hidden: bool) -> Array:
    """A range without the cells that hold SUBTOTAL or AGGREGATE, and if asked without errors and hidden rows."""
    if isinstance(arg, Ref):
        array = context.array(arg)
        hidden = {i for i in range(len(array)) if context.is_hidden_row(arg.sheet, arg.r1 + i)} if skip_hidden else ()
        array = [[None if i in hidden or (skip_nested and item is not None
                                          and context.is_subtotal(arg.sheet, arg.r1 + i, arg.c1 + j)) else item
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
    return chosen(*[_values(context, ref, skip_nested=True, skip_errors=False, skip_hidden=number > 100)
                    for ref in refs])


@register("AGGREGATE", references=True)
def aggregate(context: Context, function: Value, options: Value, *args: Value) -> Value:
    """AGGREGATE: function 1-19; options 0-3 skip nested subtotals, 2, 3, 6, 7 errors, odd ones hidden rows."""
    number = integer(scalar(resolve(context, function)))
    option = integer(scalar(resolve(context, options))) if options is not None else 0
    if not 0 <= option <= 7 or not args:
        raise Failure(VALUE)
    skip = {"skip_nested": option < 4, "skip_errors": option in (2, 3, 6, 7), "skip_hidden": option % 2 == 1}
    if number in _WITH_K:
        if len(args) != 2:
            raise Failure(VALUE)
        values = _values(context, args[0], **skip)
        return _WITH_K[number](values, resolve(context, args[1]))
    chosen = _BASIC.get(number) or _MORE.get(number)
    if chosen is None:
        raise Failure(VALUE)
    return chosen(*[_values(context, arg, **skip) for arg in args])
