"""Exception classes of jbjr_budget; their messages are Dutch because users read them."""

from __future__ import annotations

__all__ = ["GegevensFout", "InvoerFout", "JbjrFout", "ParameterFout"]


class JbjrFout(Exception):
    """Base class for every error jbjr_budget raises on purpose."""


class GegevensFout(JbjrFout):
    """Data were rejected: a file's content, or results that do not check out (the CLI exits with 1)."""


class ParameterFout(GegevensFout):
    """A parameter file is invalid, or a parameter has no value on the requested date."""


class InvoerFout(JbjrFout):
    """Input to a calculation is meaningless (negative volume, unknown product, ...)."""
