"""Parse Excel formulas (as stored in .xlsx files) into a syntax tree (see :mod:`syntax`)."""

from __future__ import annotations

from jbjr_budget.formula_engine.syntax import (
    Binary,
    Call,
    Constant,
    ConstantArray,
    FormulaSyntaxError,
    Missing,
    Node,
    Unary,
)
from jbjr_budget.formula_engine.tokenizer import Token, relative_key, tokenize
from jbjr_budget.formula_engine.values import ERROR_CODES, ExcelError, Scalar

__all__ = ["parse", "parse_at", "parse_tokens"]

_Parsed = tuple[Node | FormulaSyntaxError, int, int]
# Per process, shared by every workbook it evaluates: copies of one formula are parsed once.
_AT: dict[tuple[str, int, int], _Parsed] = {}
_RELATIVE: dict[tuple[object, ...], _Parsed] = {}

# Excel's precedence: range, intersection (a space), then the usual operators; union only inside parentheses.
_BINARY_POWER = {":": 90, " ": 85, "^": 70, "*": 60, "/": 60, "+": 50, "-": 50, "&": 40,
                 "=": 30, "<>": 30, "<": 30, ">": 30, "<=": 30, ">=": 30}


class _Parser:
    """Pratt parser over the token list."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", None)

    def take(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        if self.take() != ("op", op):
            raise FormulaSyntaxError(f"'{op}' verwacht")

    def expression(self, power: int = 0) -> Node:
        left = self.prefix()
        while True:
            kind, value = self.peek()
            if kind != "op":
                return left
            if value == "%":
                self.take()
                left = Unary("%", left)
                continue
            op_power = _BINARY_POWER.get(str(value))
            if op_power is None or op_power <= power:
                return left
            self.take()
            # ``^`` is left-associative in Excel, like every other binary operator.
            left = Binary(str(value), left, self.expression(op_power))

    def prefix(self) -> Node:  # noqa: PLR0911 - one return per prefix form
        kind, value = self.take()
        if kind == "const":
            return Constant(value)  # type: ignore[arg-type]
        if kind == "err":
            return Constant(_error(str(value)))
        if kind in ("ref", "name", "tref"):
            return value  # type: ignore[return-value]
        if kind == "func":
            return Call(str(value), self.arguments())
        if kind == "op" and value in ("-", "+"):
            return Unary(str(value), self.expression(80))
        if kind == "op" and value == "@":
            return Call("SINGLE", (self.expression(80),))
        if kind == "op" and value == "(":
            return self.parenthesised()
        if kind == "op" and value == "{":
            return self.array()
        raise FormulaSyntaxError("onverwacht einde" if kind == "end" else f"onverwacht '{value}'")

    def parenthesised(self) -> Node:
        """``(expr)``, or the union ``(A1:B2,D4)`` of the references listed."""
        inner = self.expression()
        while self.peek() == ("op", ","):
            self.take()
            inner = Binary(",", inner, self.expression())
        self.expect(")")
        return inner

    def arguments(self) -> tuple[Node, ...]:
        args: list[Node] = []
        if self.peek() == ("op", ")"):
            self.take()
            return ()
        while True:
            if self.peek() in (("op", ","), ("op", ")")):
                args.append(Missing())
            else:
                args.append(self.expression())
            kind, value = self.take()
            if (kind, value) == ("op", ")"):
                return tuple(args)
            if (kind, value) != ("op", ","):
                raise FormulaSyntaxError("',' of ')' verwacht")

    def array(self) -> ConstantArray:
        rows: list[tuple[Scalar, ...]] = []
        row: list[Scalar] = []
        while True:
            sign = -1.0 if self.peek() == ("op", "-") and self.take() else 1.0
            kind, value = self.take()
            if kind == "const":
                row.append(value * sign if isinstance(value, float) else value)  # type: ignore[arg-type]
            elif kind == "err":
                row.append(_error(str(value)))
            else:
                raise FormulaSyntaxError("ongeldige matrixconstante")
            kind, value = self.take()
            if value == ",":
                continue
            rows.append(tuple(row))
            row = []
            if value == "}":
                return ConstantArray(tuple(rows))
            if value != ";":
                raise FormulaSyntaxError("ongeldige matrixconstante")


def _error(code: str) -> Scalar:
    return ExcelError(code) if code in ERROR_CODES else None


def parse_tokens(tokens: list[Token]) -> Node:
    """The syntax tree of a token list."""
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek()[0] != "end":
        raise FormulaSyntaxError(f"onverwacht '{parser.peek()[1]}'")
    if isinstance(node, Binary) and node.op in ("+", "-") and not _enclosed(tokens):
        return node._replace(last=True)
    return node


def _enclosed(tokens: list[Token]) -> bool:
    """Whether the whole formula stands in one pair of parentheses, as in ``=(A1-B1)``."""
    depth = 0
    for index, (kind, value) in enumerate(tokens):
        if kind == "func" or (kind == "op" and value == "("):
            depth += 1
        elif kind == "op" and value == ")":
            depth -= 1
        if depth == 0:
            return index == len(tokens) - 1 and index > 0
    return False


def parse(formula: str) -> Node:
    """The syntax tree of a formula (with or without a leading ``=``)."""
    return parse_tokens(tokenize(formula))


def parse_at(text: str, row: int = 0, col: int = 0) -> tuple[Node, tuple[int, int]]:
    """The syntax tree of a formula in cell (row, col), and the offset to compile it with.

    The tree may come from a copy of the formula elsewhere (cached per process); the offset moves its
    relative references.
    """
    parsed = _AT.get((text, row, col))
    if parsed is None:
        try:
            tokens = tokenize(text)
        except FormulaSyntaxError as exc:
            parsed = (exc, row, col)
        else:
            key = relative_key(tokens, row, col)
            parsed = _RELATIVE.get(key)
            if parsed is None:
                try:
                    parsed = (parse_tokens(tokens), row, col)
                except FormulaSyntaxError as exc:
                    parsed = (exc, row, col)
                _RELATIVE[key] = parsed
        _AT[(text, row, col)] = parsed
    node, home_row, home_col = parsed
    if isinstance(node, FormulaSyntaxError):
        raise node
    return node, (row - home_row, col - home_col)
