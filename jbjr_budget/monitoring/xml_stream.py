"""Hardened streaming XML for returned files: expat, no DTDs or entities, bounded work per part.

Every part of a returned file is parsed in chunks straight from the zip stream
by :func:`stream_part`. A document type declaration (and so every entity,
billion laughs and XXE alike), a comment, a processing instruction, markup
compatibility processing (``mc:ProcessContent``, ``mc:MustUnderstand``) or
more elements, depth or text than the limits allow stops the parse at once
with a :class:`Refusal`; nothing is expanded or buffered beyond the limits.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, NoReturn
from xml.parsers import expat

__all__ = ["MAIN", "MAX_DEPTH", "MC", "REL", "X15AC", "Budget", "Handler", "Refusal", "stream_part"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
ALTERNATE = f"{MC} AlternateContent"
CHUNK = 1024 * 1024
"""Expat rescans a token that spans chunks from its start on every chunk (before expat 2.6), so a long comment
or attribute costs time quadratic in the number of chunks: large chunks and small parts keep that bounded."""
MAX_DEPTH = 48
PROCESS_CONTENT, MUST_UNDERSTAND = f"{MC} ProcessContent", f"{MC} MustUnderstand"


class Refusal(Exception):
    """A returned file is refused: ``message`` in Dutch, with the sheet and cell when there is one."""

    def __init__(self, message: str, sheet: str | None = None, cell: str | None = None) -> None:
        """Keep the message and its place."""
        super().__init__(message)
        self.message, self.sheet, self.cell = message, sheet, cell


@dataclass
class Budget:
    """Work bounds shared by every part of one file: elements left, nesting depth, length of one text."""

    elements: int = 60_000
    depth: int = MAX_DEPTH
    text: int = 32_767


class Handler:
    """Receives one part's elements; subclasses read what they need.

    ``start`` gets the element name as ``namespace local`` (``local`` alone
    without a namespace), its attributes (same naming) and its depth (the root
    is 0); it returns True to collect the element's text, which ``end`` then
    receives. Other text is never kept.
    """

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        """An element opens; True collects its text."""
        return False

    def end(self, name: str, depth: int, text: str | None) -> None:
        """An element closes; ``text`` is its captured text, if it was captured."""


class _Parser:
    """Drives expat for one part and enforces the limits."""

    def __init__(self, handler: Handler, part: str, budget: Budget, alternate: frozenset[str]) -> None:
        self.handler, self.part, self.budget, self.alternate = handler, part, budget, alternate
        self.depth = 0
        self.alternate_depth: int | None = None
        self.capture_depth: int | None = None
        self.text: list[str] = []
        self.text_size = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.buffer_text = True
        parser.ordered_attributes = False
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        parser.StartDoctypeDeclHandler = self._refuse("een DOCTYPE-declaratie (entiteiten)")
        parser.EntityDeclHandler = self._refuse("een entiteitdeclaratie")
        parser.CommentHandler = self._refuse("verborgen commentaar")
        parser.ProcessingInstructionHandler = self._refuse("een verwerkingsinstructie")
        parser.ExternalEntityRefHandler = self._refuse("een verwijzing naar een extern bestand")
        self.parser = parser

    def _refuse(self, what: str) -> Callable[..., NoReturn]:
        def refuse(*_: object) -> NoReturn:
            raise Refusal(f"onderdeel {self.part} bevat {what}; dat hoort niet in een Excel-werkmap")
        return refuse

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.budget.elements -= 1
        if self.budget.elements < 0 or self.depth >= self.budget.depth:
            raise Refusal(f"onderdeel {self.part} is te groot of te diep genest; een ingevuld sjabloon is "
                          "veel kleiner")
        if attrs and (PROCESS_CONTENT in attrs or MUST_UNDERSTAND in attrs):
            raise Refusal(f"onderdeel {self.part} gebruikt markup compatibility (mc:ProcessContent); "
                          "sla het bestand opnieuw op als Excel-werkmap")
        if self.alternate_depth is None and name == ALTERNATE:
            self.alternate_depth = self.depth
        if self.alternate_depth is not None:
            self._check_alternate(name)
        elif self.handler.start(name, attrs, self.depth) and self.capture_depth is None:
            self.capture_depth = self.depth
        self.depth += 1

    def _check_alternate(self, name: str) -> None:
        """Alternate content may only hold harmless elements (Excel's absPath); a reader could show either choice."""
        namespace = name.partition(" ")[0]
        if namespace != MC and namespace not in self.alternate:
            raise Refusal(f"onderdeel {self.part} bevat alternatieve inhoud (mc:AlternateContent) die Excel en "
                          "LibreOffice anders kunnen tonen; sla het bestand opnieuw op als Excel-werkmap")

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.alternate_depth is not None:
            if self.alternate_depth == self.depth:
                self.alternate_depth = None
            return
        text = None
        if self.capture_depth == self.depth:
            text, self.text, self.text_size, self.capture_depth = "".join(self.text), [], 0, None
        self.handler.end(name, self.depth, text)

    def _chars(self, data: str) -> None:
        if self.capture_depth is None:
            return
        self.text_size += len(data)
        if self.text_size > self.budget.text:
            raise Refusal(f"onderdeel {self.part} bevat een tekst van meer dan {self.budget.text:,} tekens"
                          .replace(",", "."))
        self.text.append(data)

    def feed(self, stream: IO[bytes]) -> None:
        try:
            while chunk := stream.read(CHUNK):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refusal(f"onderdeel {self.part} is geen geldige XML ({expat.ErrorString(exc.code)}, "
                          f"regel {exc.lineno})") from None


def stream_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, handler: Handler, budget: Budget,
                alternate: frozenset[str] = frozenset()) -> None:
    """Parse one zip member into ``handler``, chunk by chunk, within ``budget``.

    ``alternate`` names the namespaces allowed inside ``mc:AlternateContent``;
    such content is never shown to the handler, and any other is refused.

    Raises:
        Refusal: the part is not plain, bounded XML.
    """
    parser = _Parser(handler, info.filename, budget, alternate)
    try:
        with archive.open(info) as stream:
            parser.feed(stream)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError, ValueError) as exc:
        raise Refusal(f"onderdeel {info.filename} kan niet worden uitgepakt ({type(exc).__name__})") from None
