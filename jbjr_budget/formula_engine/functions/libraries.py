"""numpy and numpy-financial, imported on first use.

A workbook without LINEST, TREND or financial functions recalculates without loading them (numpy
alone takes 0.2 s to import).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["numpy", "numpy_financial"]


def numpy() -> ModuleType:
    """The numpy module."""
    return importlib.import_module("numpy")


def numpy_financial() -> ModuleType:
    """The numpy-financial module."""
    return importlib.import_module("numpy_financial")
