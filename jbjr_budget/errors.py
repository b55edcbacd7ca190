"""Exception classes of jbjr_budget; their messages are Dutch because users read them."""

from __future__ import annotations

__all__ = ["InvoerFout", "JbjrFout", "ParameterFout"]


class JbjrFout(Exception):
    """Base class for every error jbjr_budget raises on purpose."""


class ParameterFout(JbjrFout):
    """A parameter file is invalid, or a parameter has no value on the requested date."""


class InvoerFout(JbjrFout):
    """Input to a calculation is meaningless (negative volume, unknown product, ...)."""
