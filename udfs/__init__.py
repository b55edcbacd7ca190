"""Excel worksheet functions (UDFs) and macros of jbjr_budget, for xlwings.

Each UDF converts what Excel gives (:mod:`udfs.convert`), calls one engine
function and returns; the facts Excel shows (name, category, help texts,
return shape) are in :data:`SPECS`. Excel loads :mod:`udfs.excel_functions`, which
holds every function once under its Excel name.
"""

from __future__ import annotations

from udfs import begroting, kostprijs, reserves, tarieven, volumes
from udfs.registration import EXCEL_FUNCTIONS, MACROS, SPECS, UdfSpec

__all__ = ["EXCEL_FUNCTIONS", "MACROS", "SPECS", "UdfSpec", "begroting", "kostprijs", "reserves", "tarieven", "volumes"]
