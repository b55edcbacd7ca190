"""The zip package of a returned file: sizes, content types and the exact set of parts a template may hold.

A template holds a workbook, worksheets, styles, a theme, shared strings and
document properties; Excel and LibreOffice may add a calculation chain,
printer settings, custom properties, custom XML and a sensitivity label. Every
other part is refused by its relationship type and content type, never by its
file name: macros (VBA, Excel 4.0 macro sheets), ActiveX, embedded objects,
drawings, comments, tables, and parts that nothing refers to.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import unquote

from jbjr_budget.monitoring.xml_stream import Budget, Handler, Refusal, stream_part

__all__ = ["REL_OFFICE_DOCUMENT", "REL_STRINGS", "REL_STYLES", "REL_WORKSHEET", "Limits", "Package", "Rel",
           "open_package"]

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships/"
MS_R = "http://schemas.microsoft.com/office/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

REL_OFFICE_DOCUMENT = R + "officeDocument"
REL_WORKSHEET = R + "worksheet"
REL_STYLES = R + "styles"
REL_STRINGS = R + "sharedStrings"
WORKBOOK = CT + "spreadsheetml.sheet.main+xml"
WORKSHEET = CT + "spreadsheetml.worksheet+xml"
PACKAGE = ""
CUSTOM_XML = "application/xml"
IMAGES = ("image/jpeg", "image/png", "image/x-emf", "image/x-wmf")
CORE = ("application/vnd.openxmlformats-package.core-properties+xml",)

ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    PACKAGE: {
        REL_OFFICE_DOCUMENT: (WORKBOOK,),
        PKG_R + "metadata/core-properties": CORE,
        R + "metadata/core-properties": CORE,
        R + "extended-properties": (CT + "extended-properties+xml",),
        R + "custom-properties": (CT + "custom-properties+xml",),
        PKG_R + "metadata/thumbnail": IMAGES,
        "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels":
            ("application/vnd.ms-office.classificationlabels+xml",),
    },
    WORKBOOK: {
        REL_WORKSHEET: (WORKSHEET,),
        REL_STYLES: (CT + "spreadsheetml.styles+xml",),
        R + "theme": (CT + "theme+xml",),
        REL_STRINGS: (CT + "spreadsheetml.sharedStrings+xml",),
        R + "calcChain": (CT + "spreadsheetml.calcChain+xml",),
        R + "customXml": (CUSTOM_XML,),
    },
    WORKSHEET: {R + "printerSettings": (CT + "spreadsheetml.printerSettings",)},
    CUSTOM_XML: {R + "customXmlProps": (CT + "customXmlProperties+xml",)},
}
"""Per content type of the source part: the relationship types it may have and the content types they reach."""
HYPERLINK = R + "hyperlink"
EXTERNAL_LINK = R + "externalLink"
EXTERNAL_LINK_MESSAGE = "bestand bevat koppelingen naar andere werkmappen (externe verwijzingen); verwijder ze"
VBA_MESSAGE = "bestand bevat macro's (VBA); alleen .xlsx zonder macro's wordt geaccepteerd"
WHAT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("vbaproject", "macroenabled", "vba"), "macro's (VBA)"),
    (("macrosheet",), "een Excel 4.0-macroblad"),
    (("dialogsheet",), "een dialoogblad met macro's"),
    (("activex", "control", "ctrlprop"), "ActiveX- of formulierbesturingselementen"),
    (("oleobject", "package", "embedding"), "ingesloten objecten"),
    (("comments", "threadedcomment", "vmldrawing", "person"), "opmerkingen (notities)"),
    (("chartsheet", "drawing", "chart", "image"), "afbeeldingen, vormen of grafieken"),
    (("table", "pivot", "querytable", "connections", "slicer", "timeline"),
     "tabellen, draaitabellen of gegevensverbindingen"),
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
"""The start of every compound (OLE) file: VBA projects, ActiveX binaries, embedded objects."""


@dataclass(frozen=True)
class Limits:
    """Size and work limits: stop oversized files, zip bombs and endless parts before they cost time."""

    max_bytes: int = 5 * 1024 * 1024
    max_unpacked: int = 50 * 1024 * 1024
    max_entries: int = 500
    max_part: int = 4 * 1024 * 1024
    max_elements: int = 60_000
    max_cells: int = 10_000
    max_row: int = 10_000
    max_column: int = 100
    max_strings: int = 20_000


@dataclass(frozen=True)
class Rel:
    """One relationship: its id, type and the part it reaches (or the external address)."""

    id: str
    type: str
    target: str
    external: bool


@dataclass
class Package:
    """An opened, checked package: its parts, content types and relationships, and a shared work budget."""

    archive: zipfile.ZipFile
    parts: dict[str, zipfile.ZipInfo]
    budget: Budget
    overrides: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    rels: dict[str, list[Rel]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def content_type(self, part: str) -> str:
        """A part's content type: its override, else the default for its extension."""
        extension = part.rpartition(".")[2] if "." in part.rpartition("/")[2] else ""
        return self.overrides.get(part.lower()) or self.defaults.get(extension.lower(), "")

    def info(self, part: str) -> zipfile.ZipInfo:
        """The zip entry of a part."""
        return self.parts[part.lower()]

    def related(self, source: str, rel_type: str) -> list[Rel]:
        """The relationships of one type from ``source`` (``""`` is the package itself)."""
        return [rel for rel in self.rels.get(source, []) if rel.type == rel_type]

    def parse(self, part: str, handler: Handler, alternate: frozenset[str] = frozenset()) -> None:
        """Stream one part into ``handler`` within the file's budget."""
        stream_part(self.archive, self.info(part), handler, self.budget, alternate)


def open_package(archive: zipfile.ZipFile, limits: Limits) -> Package:
    """Check the zip and its parts against the template's part list.

    Raises:
        Refusal: the archive is too large, holds a part that does not belong, or is malformed.
    """
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    # Python's zipfile never inflates an entry beyond its declared size, so checking the declared sizes suffices.
    if unpacked > limits.max_unpacked or len(entries) > limits.max_entries:
        raise Refusal(f"bestand pakt uit tot {unpacked:,} bytes in {len(entries)} delen; "
                      f"maximaal {limits.max_unpacked:,} bytes (mogelijk een zip-bom)".replace(",", "."))
    package = Package(archive, _entries(entries, limits), Budget(elements=limits.max_elements))
    _sniff(package)
    types = package.parts.get("[content_types].xml")
    if types is None:
        raise Refusal("geen geldig Excel-bestand (.xlsx): [Content_Types].xml ontbreekt")
    stream_part(archive, types, _TypesReader(package), package.budget)
    _walk(package)
    return package


def _entries(entries: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Zip entries by lower-case part name; duplicates, folders outside the package and huge parts are refused."""
    parts: dict[str, zipfile.ZipInfo] = {}
    for entry in entries:
        name = entry.filename
        if name.endswith("/"):
            continue
        if entry.flag_bits & 0x1:
            raise Refusal("bestand is versleuteld; sla het op zonder wachtwoord")
        if name.startswith("/") or "\\" in name or ".." in name.split("/") or name.lower() in parts:
            raise Refusal(f"bestand bevat een ongeldig of dubbel onderdeel '{name}'")
        if entry.file_size > limits.max_part:
            raise Refusal(f"onderdeel {name} pakt uit tot {entry.file_size:,} bytes; maximaal "
                          f"{limits.max_part:,}".replace(",", "."))
        parts[name.lower()] = entry
    return parts


def _sniff(package: Package) -> None:
    """A compound (OLE) file is a VBA project or an embedded object, whatever its name: refused."""
    for entry in package.parts.values():
        if entry.file_size >= len(OLE_MAGIC):
            try:
                with package.archive.open(entry) as stream:
                    head = stream.read(len(OLE_MAGIC))
            except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError) as exc:
                raise Refusal(f"onderdeel {entry.filename} kan niet worden uitgepakt ({type(exc).__name__})") from None
            if head == OLE_MAGIC:
                raise Refusal(VBA_MESSAGE.replace("(VBA)", "(VBA) of een ingesloten object"))


class _TypesReader(Handler):
    def __init__(self, package: Package) -> None:
        self.package = package

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        if name == f"{TYPES_NS} Default":
            self.package.defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
        elif name == f"{TYPES_NS} Override":
            part = unquote(attrs.get("PartName", "")).lstrip("/").lower()
            self.package.overrides[part] = attrs.get("ContentType", "")
        return False


class _RelsReader(Handler):
    def __init__(self, source: str) -> None:
        self.source, self.rels = source, list[Rel]()

    def start(self, name: str, attrs: dict[str, str], depth: int) -> bool:
        if name == f"{RELS_NS} Relationship":
            external = attrs.get("TargetMode") == "External"
            target = attrs.get("Target", "")
            self.rels.append(Rel(attrs.get("Id", ""), attrs.get("Type", ""),
                                 target if external else _resolve(self.source, target), external))
        return False


def _resolve(source: str, target: str) -> str:
    base = posixpath.dirname(source)
    joined = unquote(target).lstrip("/") if target.startswith("/") else posixpath.join(base, unquote(target))
    resolved = posixpath.normpath(joined)
    if resolved.startswith("..") or resolved == ".":
        raise Refusal(f"bestand verwijst naar een onderdeel buiten het pakket ('{target}')")
    return resolved


def _rels_part(source: str) -> str:
    folder, _, name = source.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _walk(package: Package) -> None:
    """Follow the relationships from the package root; every part must be reached through an allowed type."""
    reached = {"[content_types].xml"}
    queue: deque[tuple[str, str]] = deque([(PACKAGE, PACKAGE)])
    while queue:
        source, source_type = queue.popleft()
        rels_part = _rels_part(source) if source else "_rels/.rels"
        if rels_part.lower() not in package.parts:
            continue
        reached.add(rels_part.lower())
        reader = _RelsReader(source)
        package.parse(rels_part, reader)
        package.rels[source] = reader.rels
        for rel in reader.rels:
            target_type = _check(package, source_type, rel)
            if rel.external or rel.target.lower() in reached:
                continue
            reached.add(rel.target.lower())
            if target_type is not None:
                queue.append((rel.target, target_type))
    stray = sorted(package.parts[name].filename for name in package.parts.keys() - reached)
    if stray:
        raise Refusal(f"bestand bevat een onderdeel dat niet bij het sjabloon hoort ({stray[0]}); "
                      "sla het sjabloon opnieuw op als Excel-werkmap (.xlsx)")


def _check(package: Package, source_type: str, rel: Rel) -> str | None:
    """The content type a relationship reaches, or None when it is not followed; refuses what does not belong."""
    if rel.type == HYPERLINK and source_type == WORKSHEET:
        return None  # hyperlinks are refused per cell by the sheet reader
    if rel.type == EXTERNAL_LINK and source_type == WORKBOOK:
        package.notes.append(EXTERNAL_LINK_MESSAGE)
        return None
    allowed = ALLOWED.get(source_type, {}).get(rel.type)
    if allowed is None or rel.external:
        raise Refusal(_forbidden(rel.type, rel.target))
    if rel.target.lower() not in package.parts:
        raise Refusal(f"onderdeel {rel.target} ontbreekt; het bestand is beschadigd")
    content_type = package.content_type(rel.target)
    if content_type not in allowed:
        raise Refusal(_forbidden(content_type, rel.target))
    return content_type


def _forbidden(kind: str, target: str) -> str:
    lowered = kind.lower().rpartition("/")[2]
    if "vbaproject" in lowered or "macroenabled" in lowered:
        return VBA_MESSAGE
    what = next((text for words, text in WHAT if any(word in lowered for word in words)), None)
    if what is None:
        return f"bestand bevat een onderdeel dat niet bij het sjabloon hoort ({target}); verwijder het"
    return f"bestand bevat {what}; die horen niet in het sjabloon en worden niet ingelezen: verwijder ze"
