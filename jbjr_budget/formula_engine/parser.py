"""Parse Excel formulas (as stored in .xlsx files) into a small syntax tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from jbjr_budget.formula_engine.values import ERROR_CODES, ExcelError, Scalar

__all__ = [
    "MAX_COL", "MAX_ROW", "Binary", "Call", "Constant", "ConstantArray", "FormulaSyntaxError", "Missing", "Name",
    "Node", "Reference", "Unary", "column_number", "parse", "parse_address", "parse_tokens", "relative_key", "tokenize",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384


class FormulaSyntaxError(ValueError):
    """A formula the parser cannot read."""


@dataclass(frozen=True, slots=True)
class Constant:
    """A number, text, logical or error literal."""

    value: Scalar


@dataclass(frozen=True, slots=True)
class ConstantArray:
    """An array constant such as ``{1,2;3,4}``."""

    rows: tuple[tuple[Scalar, ...], ...]


@dataclass(frozen=True, slots=True)
class Missing:
    """An omitted argument, as in ``IF(A1,,2)``."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A cell or range; ``absolute`` flags (r1, c1, r2, c2) say which bounds do not move when copied."""

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    absolute: tuple[bool, bool, bool, bool]


@dataclass(frozen=True, slots=True)
class Name:
    """A defined name, optionally qualified by a sheet."""

    sheet: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; ``name`` is upper case without ``_xlfn.``/``_xludf.`` prefixes."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Binary:
    """An infix operator: arithmetic, ``&``, comparison or ``:``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Unary:
    """Prefix ``-``/``+`` or postfix ``%``."""

    op: str
    operand: Node


Node: TypeAlias = Constant | ConstantArray | Missing | Reference | Name | Call | Binary | Unary

_SHEET = r"(?:'(?P<qsheet>(?:[^']|'')+)'|(?P<sheet>[^\W\d][\w.]*))!"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_TOKEN = re.compile(
    r"\s*(?:"
    rf"(?P<ref>(?:{_SHEET})?(?P<addr>{_CELL}(?::{_CELL})?|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?\d+:\$?\d+))(?![\w(.])"
    r"|(?P<func>[A-Za-z_\\][\w.]*)\("
    rf"|(?P<sname>{_SHEET.replace('qsheet', 'nqsheet').replace('(?P<sheet>', '(?P<nsheet>')}[A-Za-z_\\][\w.]*)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r'|(?P<str>"(?:[^"]|"")*")'
    r"|(?:(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?(?P<err>#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA))"
    r"|(?P<name>[A-Za-z_\\][\w.]*)"
    r"|(?P<op><>|<=|>=|[-+*/^&=<>%:(),;{}@])"
    r")"
)
_ADDRESS = re.compile(r"(\$?)([A-Za-z]{1,3})?(\$?)(\d+)?")
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLUDF.", "_XLL.", "_XLWS.")
_BINARY_POWER = {":": 90, "^": 70, "*": 60, "/": 60, "+": 50, "-": 50, "&": 40,
                 "=": 30, "<>": 30, "<": 30, ">": 30, "<=": 30, ">=": 30}


def column_number(letters: str) -> int:
    """The number of a column.

    Examples:
        >>> column_number("A"), column_number("AB"), column_number("XFD")
        (1, 28, 16384)
    """
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _bound(text: str) -> tuple[int | None, int | None, bool, bool]:
    match = _ADDRESS.fullmatch(text)
    if not match:
        raise FormulaSyntaxError(text)
    col_abs, letters, row_abs, digits = match.groups()
    return (int(digits) if digits else None, column_number(letters) if letters else None,
            bool(row_abs), bool(col_abs))


def parse_address(text: str, sheet: str | None = None) -> Reference:
    """A reference for ``A1``, ``$A$1:B2``, ``A:C`` or ``1:3``."""
    first, _, second = text.partition(":")
    r1, c1, r1_abs, c1_abs = _bound(first)
    r2, c2, r2_abs, c2_abs = _bound(second) if second else (r1, c1, r1_abs, c1_abs)
    if r1 is None or r2 is None:
        r1, r2, r1_abs, r2_abs = 1, MAX_ROW, True, True
    if c1 is None or c2 is None:
        c1, c2, c1_abs, c2_abs = 1, MAX_COL, True, True
    if r1 > r2 or c1 > c2:
        r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
    return Reference(sheet, r1, c1, r2, c2, (r1_abs, c1_abs, r2_abs, c2_abs))


def _sheet_name(match: re.Match[str], quoted: str, plain: str) -> str | None:
    if match.group(quoted) is not None:
        return match.group(quoted).replace("''", "'")
    return match.group(plain)


def _tokens(text: str) -> list[tuple[str, object]]:  # noqa: PLR0912 - one branch per token kind
    tokens: list[tuple[str, object]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip():
                raise FormulaSyntaxError(f"onleesbaar vanaf '{text[pos:pos + 20]}'")
            break
        pos = match.end()
        kind = match.lastgroup or ""
        if kind in ("qsheet", "sheet", "addr"):
            kind = "ref"
        if kind in ("nqsheet", "nsheet"):
            kind = "sname"
        if kind == "ref":
            tokens.append(("ref", parse_address(match.group("addr"), _sheet_name(match, "qsheet", "sheet"))))
        elif kind == "func":
            name = match.group("func").upper()
            for prefix in _PREFIXES:
                name = name.removeprefix(prefix)
            tokens.append(("func", name))
        elif kind == "sname":
            name = match.group("sname").rsplit("!", 1)[1]
            tokens.append(("name", Name(_sheet_name(match, "nqsheet", "nsheet"), name)))
        elif kind == "num":
            tokens.append(("const", float(match.group("num"))))
        elif kind == "str":
            tokens.append(("const", match.group("str")[1:-1].replace('""', '"')))
        elif kind == "err":
            tokens.append(("err", match.group("err")))
        elif kind == "name":
            name = match.group("name")
            upper = name.upper()
            tokens.append(("const", upper == "TRUE") if upper in ("TRUE", "FALSE") else ("name", Name(None, name)))
        else:
            tokens.append(("op", match.group("op")))
    return tokens


class _Parser:
    """Pratt parser over the token list."""

    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, object]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", None)

    def take(self) -> tuple[str, object]:
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
        if kind in ("ref", "name"):
            return value  # type: ignore[return-value]
        if kind == "func":
            return Call(str(value), self.arguments())
        if kind == "op" and value in ("-", "+"):
            return Unary(str(value), self.expression(80))
        if kind == "op" and value == "@":
            return self.prefix()
        if kind == "op" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "op" and value == "{":
            return self.array()
        raise FormulaSyntaxError("onverwacht einde" if kind == "end" else f"onverwacht '{value}'")

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


def tokenize(formula: str) -> list[tuple[str, object]]:
    """The tokens of a formula (with or without a leading ``=``)."""
    return _tokens(formula.removeprefix("="))


def relative_key(tokens: list[tuple[str, object]], row: int, col: int) -> tuple[object, ...]:
    """The tokens with relative references made relative to (row, col): equal for copies of one formula."""
    key: list[object] = []
    for kind, value in tokens:
        if isinstance(value, Reference):
            r1_abs, c1_abs, r2_abs, c2_abs = value.absolute
            key.append((value.sheet, value.r1 - (0 if r1_abs else row), value.c1 - (0 if c1_abs else col),
                        value.r2 - (0 if r2_abs else row), value.c2 - (0 if c2_abs else col), value.absolute))
        else:
            key.append((kind, value))
    return tuple(key)


def parse_tokens(tokens: list[tuple[str, object]]) -> Node:
    """The syntax tree of a token list."""
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek()[0] != "end":
        raise FormulaSyntaxError(f"onverwacht '{parser.peek()[1]}'")
    return node


def parse(formula: str) -> Node:
    """The syntax tree of a formula (with or without a leading ``=``)."""
    return parse_tokens(tokenize(formula))
