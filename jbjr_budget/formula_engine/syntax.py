"""The syntax tree of an Excel formula, as the parser builds it and the compiler reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from jbjr_budget.formula_engine.values import Scalar

__all__ = [
    "MAX_COL", "MAX_ROW", "Binary", "Call", "Constant", "ConstantArray", "FormulaSyntaxError", "Missing", "Name",
    "Node", "Reference", "TableRef", "Unary",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384


class FormulaSyntaxError(ValueError):
    """A formula the parser cannot read."""


class Constant(NamedTuple):
    """A number, text, logical or error literal."""

    value: Scalar


class ConstantArray(NamedTuple):
    """An array constant such as ``{1,2;3,4}``."""

    rows: tuple[tuple[Scalar, ...], ...]


@dataclass(frozen=True, slots=True)
class Missing:
    """An omitted argument, as in ``IF(A1,,2)``."""


class Reference(NamedTuple):
    """A cell or range; ``absolute`` flags (r1, c1, r2, c2) say which bounds do not move when copied.

    ``last_sheet`` is set for a 3D reference over the sheets ``sheet`` to ``last_sheet`` (``Jan:Mrt!B2``).
    """

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    absolute: tuple[bool, bool, bool, bool]
    last_sheet: str | None = None


class TableRef(NamedTuple):
    """A structured reference such as ``Tabel1[[#Headers],[Kolom]:[Prijs]]``.

    ``table`` None means the table the formula stands in; ``items`` are upper case without ``#``
    (``ALL``, ``DATA``, ``HEADERS``, ``TOTALS``, ``THIS ROW``); ``first``/``last`` name the column span,
    None for every column.
    """

    table: str | None
    items: tuple[str, ...]
    first: str | None
    last: str | None


class Name(NamedTuple):
    """A defined name (or a table name), optionally qualified by a sheet."""

    sheet: str | None
    name: str


class Call(NamedTuple):
    """A function call; ``name`` is upper case without ``_xlfn.``/``_xludf.`` prefixes."""

    name: str
    args: tuple[Node, ...]


class Binary(NamedTuple):
    """An infix operator: arithmetic, ``&``, comparison, range ``:``, intersection ``" "`` or union ``,``.

    ``last`` marks an addition or subtraction that is a formula's last operation, outside parentheses: there
    Excel turns a result that cancels to nothing but binary rounding into 0 (see :data:`operators.LAST`).
    """

    op: str
    left: Node
    right: Node
    last: bool = False


class Unary(NamedTuple):
    """Prefix ``-``/``+`` or postfix ``%``."""

    op: str
    operand: Node


Node: TypeAlias = Constant | ConstantArray | Missing | Reference | TableRef | Name | Call | Binary | Unary
