"""Excel's built-in functions, one module per Excel category, registered by name in :data:`REGISTRY`.

Functions take plain values (see :mod:`.registry` for the calling convention), never the evaluator;
the evaluator binds compiled arguments to them with :func:`bind`, and custom (JBJR) functions with
:func:`bind_custom`.
"""

from jbjr_budget.formula_engine.functions import (  # noqa: F401 - each category registers its functions
    arrays,
    date_spans,
    date_time,
    depreciation,
    distributions,
    engineering,
    financial,
    hypothesis,
    information,
    logical,
    lookup,
    mathematics,
    matrices,
    ranks,
    reference,
    regression,
    sampling,
    statistical,
    subtotals,
    text,
    trigonometry,
)
from jbjr_budget.formula_engine.functions.custom import bind_custom
from jbjr_budget.formula_engine.functions.registry import REGISTRY, Context, Spec, Thunk, bind

__all__ = ["NOT_SUPPORTED", "REGISTRY", "Context", "Spec", "Thunk", "bind", "bind_custom"]

# Known Excel functions herbereken does not compute: a cell using one is reported as not supported.
NOT_SUPPORTED = frozenset({"CELL", "INFO", "HYPERLINK"})
