r"""Issues found in a returned file, and text from a file made safe to print.

File names and cell texts come from outside: :func:`printable` escapes
every control, format and line-separator character, so a name such as
``x\nAANGENOMEN: ...`` can never print a line of its own or send escape codes
to a terminal or log.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["Collector", "Issue", "Stop", "printable", "quoted"]

MAX_QUOTED = 60
UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def printable(text: str) -> str:
    r"""``text`` with every control, format or separator character written as an escape.

    Examples:
        >>> printable("x\nAANGENOMEN\x1b[2J")
        'x\\nAANGENOMEN\\x1b[2J'
        >>> printable("Financiën\u202e")
        'Financiën\\u202e'
    """
    if text.isprintable():
        return text
    return "".join(_escape(char) if unicodedata.category(char) in UNPRINTABLE else char for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quoted(text: str) -> str:
    """A cell text for a message: printable, at most 60 characters, between quotes.

    Examples:
        >>> quoted("drie")
        "'drie'"
    """
    shown = printable(text)
    return f"'{shown[:MAX_QUOTED]}…'" if len(shown) > MAX_QUOTED else f"'{shown}'"


@dataclass(frozen=True)
class Issue:
    """One problem in a file, with the sheet and cell it is about (when there is one)."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        """The Dutch report line: ``bestand, blad 'X', cel B5: melding``, safe to print."""
        where = "".join([f", blad '{self.sheet}'" if self.sheet else "", f", cel {self.cell}" if self.cell else ""])
        return printable(f"{self.file}{where}: {self.message}")


class Stop(Exception):
    """Stops validation of a file after a problem that makes further checks meaningless."""


class Collector:
    """Collects the issues of one file."""

    def __init__(self, name: str) -> None:
        """Collect issues for the file called ``name``."""
        self.name = name
        self.issues: list[Issue] = []

    def add(self, message: str, sheet: str | None = None, cell: str | None = None) -> None:
        """Record an issue and go on."""
        self.issues.append(Issue(self.name, message, sheet, cell))

    def stop(self, message: str, sheet: str | None = None, cell: str | None = None) -> Stop:
        """Record an issue and return the exception that ends the file's validation."""
        self.add(message, sheet, cell)
        return Stop()
