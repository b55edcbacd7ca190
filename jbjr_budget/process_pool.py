"""The process start method for worker pools, chosen once for every platform."""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

__all__ = ["pool_context"]


def pool_context() -> BaseContext:
    """Fork where the platform has it (fast start, imports shared); spawn elsewhere, such as Windows."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)
