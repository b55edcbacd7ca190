"""Split Excel formulas (as stored in .xlsx files) into tokens: references, names, structured references, literals."""

from __future__ import annotations

import re

from jbjr_budget.formula_engine.syntax import MAX_COL, MAX_ROW, FormulaSyntaxError, Name, Reference, TableRef

__all__ = ["Token", "column_number", "parse_address", "relative_key", "tokenize"]

Token = tuple[str, object]

_NAME = r"[^\W\d][\w.]*"
# A defined name or function: Excel takes any character beyond ASCII (even typographic quotes) as a letter.
_WORD = r"(?:[A-Za-z_\\]|[^\x00-\x7f\s])(?:[\w.]|[^\x00-\x7f\s])*"
# A sheet: quoted, plain, a 3D span, or one of another workbook (``[1]Blad``; ``[1]`` alone for its names).
_SHEET = (rf"(?:'(?P<qsheet>(?:[^']|'')+)'(?::'(?P<qlast>(?:[^']|'')+)')?"
          rf"|(?P<sheet>\[\d+\](?:{_NAME})?|{_NAME}(?::{_NAME})?))!")
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_TOKEN = re.compile(
    r"\s*(?:"
    rf"(?P<ref>(?:{_SHEET})?(?P<addr>{_CELL}(?::{_CELL})?|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?\d+:\$?\d+))(?![\w(.\[])"
    rf"|(?P<func>{_WORD})\("
    rf"|(?P<sname>{_SHEET.replace('qsheet', 'nqsheet').replace('qlast', 'nqlast').replace('(?P<sheet>', '(?P<nsheet>')}"
    rf"{_WORD})"
    rf"|(?P<tref>(?:{_WORD})?\[)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r'|(?P<str>"(?:[^"]|"")*")'
    r"|(?:(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?(?P<err>#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA))"
    rf"|(?P<name>{_WORD})"
    r"|(?P<op><>|<=|>=|[-+*/^&=<>%:(),;{}@])"
    r")"
)
_ADDRESS = re.compile(r"(\$?)([A-Za-z]{1,3})?(\$?)(\d+)?")
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLUDF.", "_XLL.", "_XLWS.")
_ITEMS = {"#ALL": "ALL", "#DATA": "DATA", "#HEADERS": "HEADERS", "#TOTALS": "TOTALS", "#THIS ROW": "THIS ROW"}
_ESCAPE = re.compile(r"'(.)")
# Tokens after which a space is Excel's intersection operator, and tokens that can start its right side.
_OPERAND_END = ("ref", "name", "tref")
_OPERAND_START = ("ref", "name", "tref", "func")


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


def parse_address(text: str, sheet: str | None = None, last_sheet: str | None = None) -> Reference:
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
    return Reference(sheet, r1, c1, r2, c2, (r1_abs, c1_abs, r2_abs, c2_abs), last_sheet)


def _sheets(match: re.Match[str], quoted: str, plain: str) -> tuple[str | None, str | None]:
    """The sheet and the last sheet of a 3D reference ``'Jan:Mrt'!`` (sheet names cannot hold ``:``)."""
    name = match.group(quoted).replace("''", "'") if match.group(quoted) is not None else match.group(plain)
    if name is None or ":" not in name:
        return name, None
    first, last = name.split(":", 1)
    return first, last


def _bracketed(text: str, start: int) -> int:
    """The index just past the ``]`` that closes the ``[`` at ``start`` (``'`` escapes a character)."""
    depth, pos = 0, start
    while pos < len(text):
        char = text[pos]
        if char == "'":
            pos += 1
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    raise FormulaSyntaxError("']' verwacht")


def _specifiers(content: str) -> list[tuple[str, str]]:
    """The ``[...]`` parts of a structured reference's content, each with the separator before it."""
    parts: list[tuple[str, str]] = []
    pos, separator = 0, ""
    while pos < len(content):
        char = content[pos]
        if char == "[":
            end = _bracketed(content, pos)
            parts.append((separator, content[pos + 1:end - 1]))
            pos, separator = end, ""
        elif char in ",:":
            separator, pos = char, pos + 1
        elif char.isspace():
            pos += 1
        else:
            raise FormulaSyntaxError(f"ongeldige tabelverwijzing '[{content}]'")
    return parts


def _structured(table: str | None, content: str) -> TableRef:
    """A structured reference from its table name and the text between its outer brackets."""
    content = content.strip()
    items: list[str] = []
    if content.startswith("@"):
        items.append("THIS ROW")
        content = content[1:].strip()
    parts = _specifiers(content) if content.startswith("[") else ([("", content)] if content else [])
    columns: list[str] = []
    for separator, raw in parts:
        part = raw.strip()
        if part.upper() in _ITEMS:
            items.append(_ITEMS[part.upper()])
        elif part.startswith("#"):
            raise FormulaSyntaxError(f"onbekend tabelonderdeel '{part}'")
        elif columns and separator != ":":
            raise FormulaSyntaxError(f"ongeldige tabelverwijzing '[{content}]'")
        else:
            columns.append(_ESCAPE.sub(r"\1", part))
    first, last = (columns[0], columns[-1]) if columns else (None, None)
    return TableRef(table, tuple(items), first, last)


def _token(match: re.Match[str], kind: str) -> Token:  # noqa: PLR0911 - one return per token kind
    if kind in ("qsheet", "sheet", "addr", "ref") and match.group("qlast") is not None:
        return "name", Name(None, match.group("ref"))  # 'Jan':'Mrt'!B1 is no 3D reference to Excel: #NAME?
    if kind in ("qsheet", "sheet", "addr", "ref"):
        return "ref", parse_address(match.group("addr"), *_sheets(match, "qsheet", "sheet"))
    if kind == "func":
        name = match.group("func").upper()
        for prefix in _PREFIXES:
            name = name.removeprefix(prefix)
        return "func", name
    if kind in ("nqsheet", "nsheet", "sname"):
        return "name", Name(_sheets(match, "nqsheet", "nsheet")[0], match.group("sname").rsplit("!", 1)[1])
    if kind == "num":
        return "const", float(match.group("num"))
    if kind == "str":
        return "const", match.group("str")[1:-1].replace('""', '"')
    if kind == "err":
        return "err", match.group("err")
    if kind == "name":
        upper = match.group("name").upper()
        return ("const", upper == "TRUE") if upper in ("TRUE", "FALSE") else ("name", Name(None, match.group("name")))
    return "op", match.group("op")


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip():
                raise FormulaSyntaxError(f"onleesbaar vanaf '{text[pos:pos + 20]}'")
            break
        kind = match.lastgroup or ""
        if kind == "tref":
            start = match.end() - 1
            pos = _bracketed(text, start)
            table = match.group("tref")[:-1] or None
            if table is None and text[start + 1:pos - 1].isdigit():
                raise FormulaSyntaxError("verwijzing naar een ander werkboek wordt niet ondersteund")
            token: Token = ("tref", _structured(table, text[start + 1:pos - 1]))
        else:
            pos = match.end()
            token = _token(match, kind)
        if text[match.start()].isspace() and tokens and (tokens[-1][0] in _OPERAND_END or tokens[-1] == ("op", ")")) \
                and (token[0] in _OPERAND_START or token == ("op", "(")):
            tokens.append(("op", " "))  # a space between two references is the intersection operator
        tokens.append(token)
    return tokens


def tokenize(formula: str) -> list[Token]:
    """The tokens of a formula (with or without a leading ``=``)."""
    return _tokens(formula.removeprefix("="))


def relative_key(tokens: list[Token], row: int, col: int) -> tuple[object, ...]:
    """The tokens with relative references made relative to (row, col): equal for copies of one formula."""
    key: list[object] = []
    for kind, value in tokens:
        if isinstance(value, Reference):
            r1_abs, c1_abs, r2_abs, c2_abs = value.absolute
            key.append((value.sheet, value.last_sheet, value.r1 - (0 if r1_abs else row),
                        value.c1 - (0 if c1_abs else col), value.r2 - (0 if r2_abs else row),
                        value.c2 - (0 if c2_abs else col), value.absolute))
        else:
            # The type too: TRUE equals 1 and FALSE 0 in Python, so =TRUE and =1 would share a parse.
            key.append((kind, type(value), value))
    return tuple(key)
