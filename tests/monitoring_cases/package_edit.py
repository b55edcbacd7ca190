"""Edit an .xlsx package at the byte level, as a spreadsheet application stores things: cells, styles, parts.

Written independently of the importer's reader (regular expressions over the XML the template writer,
Excel and LibreOffice produce), so tests built with it do not share the reader's assumptions.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
ROW = re.compile(r'<row r="([0-9]+)"[^>]*?(?:/>|>.*?</row>)', re.DOTALL)


class Parts(dict[str, bytes]):
    """The members of a zip package by name, in order."""

    @classmethod
    def load(cls, data: bytes) -> Parts:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return cls((info.filename, archive.read(info)) for info in archive.infolist())

    def dump(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.items():
                archive.writestr(name, data)
        return out.getvalue()

    def text(self, name: str) -> str:
        return self[name].decode("utf-8")

    def put(self, name: str, text: str) -> None:
        self[name] = text.encode("utf-8")

    def copy(self) -> Parts:
        return Parts(self)

    def sheet_part(self, sheet: str) -> str:
        """The worksheet part that holds ``sheet`` (via workbook.xml and its relationships)."""
        workbook = self.text("xl/workbook.xml")
        match = re.search(rf'<sheet [^>]*name="{re.escape(escape(sheet))}"[^>]*/>', workbook)
        assert match, sheet
        rel_id = re.search(r'r:id="([^"]+)"', match.group(0))
        assert rel_id
        rels = self.text("xl/_rels/workbook.xml.rels")
        rel = re.search(rf'<Relationship [^>]*Id="{rel_id.group(1)}"[^>]*/>', rels)
        assert rel
        target = re.search(r'Target="([^"]+)"', rel.group(0))
        assert target
        path = target.group(1).lstrip("/")
        return path if path.startswith("xl/") else f"xl/{path}"

    def set_cells(self, sheet: str, cells: dict[str, str]) -> None:
        """Replace (or insert) cells of ``sheet``: cell reference -> complete ``<c>`` element."""
        part = self.sheet_part(sheet)
        self.put(part, set_cells(self.text(part), cells))

    def styles(self, sheet: str) -> dict[str, str]:
        """The style index of every cell element of ``sheet``."""
        found = re.finditer(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>)', self.text(self.sheet_part(sheet)))
        return {m.group(1): (re.findall(r' s="([0-9]+)"', m.group(2)) or ["0"])[0] for m in found}

    def add_style(self, like: str, number_format: str) -> str:
        """A new cell style like style ``like`` but with ``number_format``; returns its index."""
        styles = self.text("xl/styles.xml")
        ids = [int(i) for i in re.findall(r'numFmtId="([0-9]+)"', styles)]
        new_id = max([163, *ids]) + 1
        numfmt = f'<numFmt numFmtId="{new_id}" formatCode="{escape(number_format, {chr(34): "&quot;"})}"/>'
        if "<numFmts" in styles:
            styles = re.sub(r"(<numFmts[^>]*>)", lambda m: m.group(1) + numfmt, styles, count=1)
        else:
            styles = re.sub(r"(<styleSheet[^>]*>)", lambda m: m.group(1) + f"<numFmts>{numfmt}</numFmts>", styles,
                            count=1)
        block = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.DOTALL)
        assert block
        xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", block.group(1), re.DOTALL)
        clone = re.sub(r'numFmtId="[0-9]+"', f'numFmtId="{new_id}"', xfs[int(like)], count=1)
        styles = styles.replace("</cellXfs>", clone + "</cellXfs>", 1)
        self.put("xl/styles.xml", styles)
        return str(len(xfs))

    def add_part(self, name: str, data: bytes, content_type: str | None, rel_source: str | None = None,
                 rel_type: str | None = None, rel_id: str = "rIdX9") -> None:
        """Add a part, its content type override and a relationship to it from ``rel_source``'s rels part."""
        self[name] = data
        if content_type:
            types = self.text("[Content_Types].xml").replace(
                "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
            self.put("[Content_Types].xml", types)
        if rel_source is not None and rel_type:
            folder, _, base = rel_source.rpartition("/")
            rels_name = f"{folder}/_rels/{base}.rels" if folder else "_rels/.rels"
            rels = self.text(rels_name) if rels_name in self else (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
            target = "/" + name
            rels = rels.replace("</Relationships>",
                                f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/></Relationships>')
            self.put(rels_name, rels)


def set_cells(xml: str, cells: dict[str, str]) -> str:
    """Sheet XML with ``cells`` (ref -> ``<c>`` element) replacing or joining the cells there."""
    todo = dict(cells)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1) + match.group(2)
        return todo.pop(ref, match.group(0))

    xml = CELL.sub(replace, xml)
    for ref, element in sorted(todo.items(), key=lambda item: _position(item[0])):
        xml = _insert(xml, ref, element)
    return xml


def _position(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    assert match
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    return int(match.group(2)), column


def _insert(xml: str, ref: str, element: str) -> str:
    row, column = _position(ref)
    for match in ROW.finditer(xml):
        number = int(match.group(1))
        if number == row:
            body = match.group(0)
            if body.endswith("/>"):
                body = body[:-2] + ">" + "</row>"
            cells = list(CELL.finditer(body))
            after = next((c for c in cells if _position(c.group(1) + c.group(2))[1] > column), None)
            at = after.start() if after else body.rindex("</row>")
            return xml[:match.start()] + body[:at] + element + body[at:] + xml[match.end():]
        if number > row:
            return xml[:match.start()] + f'<row r="{row}">{element}</row>' + xml[match.start():]
    end = xml.index("</sheetData>") if "</sheetData>" in xml else None
    if end is None:
        return xml.replace("<sheetData/>", f'<sheetData><row r="{row}">{element}</row></sheetData>')
    return xml[:end] + f'<row r="{row}">{element}</row>' + xml[end:]


def number_cell(ref: str, style: str, text: str) -> str:
    return f'<c r="{ref}" s="{style}"><v>{text}</v></c>'


def text_cell(ref: str, style: str, text: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def empty_cell(ref: str, style: str) -> str:
    return f'<c r="{ref}" s="{style}"/>'
