"""Mutations of what a person does not see and of size: sheets, parts, hidden content, limits, broken zips."""

from __future__ import annotations

import io
import random
import re
import zipfile

from openpyxl.utils import get_column_letter

from jbjr_budget.monitoring.layout import META_SHEET
from jbjr_budget.monitoring.package import Limits
from monitoring_cases.harness import Case, Filled
from monitoring_cases.mutations_values import Mutation, accept, refuse

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_R = "http://schemas.microsoft.com/office/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
SHEET_XML = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>Notities</t></is></c><c r="B1"><v>1250</v></c></row>'
             "</sheetData></worksheet>")


def _sheet_with_field(rng: random.Random, filled: Filled) -> str:
    return rng.choice([s.name for s in filled.layout.sheets if s.fields])


def _edit(filled: Filled, sheet: str, change: tuple[str, str], count: int = 1) -> None:
    part = filled.parts.sheet_part(sheet)
    text, done = re.subn(change[0], change[1], filled.parts.text(part), count=count)
    assert done, change
    filled.parts.put(part, text)


def _add_sheet(filled: Filled, name: str, state: str, xml: str, rel_type: str = R + "worksheet",
               content_type: str = CT + "worksheet+xml", part: str = "xl/worksheets/extra1.xml") -> None:
    filled.parts.add_part(part, xml.encode(), content_type, "xl/workbook.xml", rel_type, rel_id="rIdExtra")
    workbook = filled.parts.text("xl/workbook.xml").replace(
        "</sheets>", f'<sheet name="{name}" sheetId="99" state="{state}" r:id="rIdExtra"/></sheets>')
    if 'xmlns:r="' not in workbook:
        workbook = workbook.replace("<workbook ", f'<workbook xmlns:r="{R[:-1]}" ', 1)
    filled.parts.put("xl/workbook.xml", workbook)


def _state(filled: Filled, sheet: str, state: str) -> None:
    workbook = re.sub(rf'(<sheet [^>]*name="{re.escape(sheet)}"[^>]*?)state="[a-zA-Z]+"', rf'\1state="{state}"',
                      filled.parts.text("xl/workbook.xml"))
    filled.parts.put("xl/workbook.xml", workbook)


def extra_sheet(rng: random.Random, filled: Filled) -> Case:
    state = rng.choice(("visible", "hidden", "veryHidden"))
    _add_sheet(filled, "Notities", state, SHEET_XML)
    return refuse("extra_sheet", filled, ("extra blad hoort niet bij het sjabloon", "Notities", None))


def lookalike_sheet(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    _state(filled, sheet, "hidden")
    _add_sheet(filled, f"{sheet} (2)", "visible", filled.parts.text(filled.parts.sheet_part(sheet)))
    return refuse("lookalike_sheet", filled, ("blad van het sjabloon is verborgen", sheet, None),
                  ("extra blad hoort niet bij het sjabloon", f"{sheet} (2)", None))


def template_sheet_hidden(rng: random.Random, filled: Filled) -> Case:
    sheet = rng.choice([s.name for s in filled.layout.sheets])
    _state(filled, sheet, rng.choice(("hidden", "veryHidden")))
    return refuse("template_sheet_hidden", filled, ("blad van het sjabloon is verborgen", sheet, None))


def metadata_visible(rng: random.Random, filled: Filled) -> Case:
    _state(filled, META_SHEET, "visible")
    return refuse("metadata_visible", filled, ("het verborgen blad Metadata is zichtbaar gemaakt", META_SHEET, None))


def alternate_content(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    choice = (f'<mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="x14"><sheetData><row r="5">'
              f'<c r="B5"><v>999</v></c></row></sheetData></mc:Choice></mc:AlternateContent>')
    _edit(filled, sheet, ("</sheetData>", "</sheetData>" + choice))
    return refuse("alternate_content", filled, ("alternatieve inhoud (mc:AlternateContent)", sheet, None))


def extension_row(rng: random.Random, filled: Filled) -> Case:
    """Rows inside an extension are not shown by Excel or LibreOffice, so the importer must not book them."""
    sheet = _sheet_with_field(rng, filled)
    ext = ('<extLst><ext uri="{00000000-0000-0000-0000-000000000000}"><row r="5"><c r="B5"><v>999</v></c>'
           '<c r="D5"><v>999</v></c></row></ext></extLst></worksheet>')
    _edit(filled, sheet, ("</worksheet>", ext))
    return accept("extension_row", filled)


X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XR = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"


def excel_parts(rng: random.Random, filled: Filled) -> Case:
    """What Excel adds when it saves (per its documented part layout): accepted, and nothing else is booked."""
    parts = filled.parts
    workbook = parts.text("xl/workbook.xml").replace(
        "<bookViews>", f'<mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="x15"><x15ac:absPath '
        f'xmlns:x15ac="{X15AC}" url="C:\\Users\\gi\\Documents\\"/></mc:Choice></mc:AlternateContent>'
        f'<xr:revisionPtr xmlns:xr="{XR}" revIDLastSave="0" documentId="8_{{0}}"/><bookViews>', 1)
    parts.put("xl/workbook.xml", workbook)
    sheet = _sheet_with_field(rng, filled)
    part = parts.sheet_part(sheet)
    ext = (f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}"><x14:dataValidations '
           'count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list">'
           "<x14:formula1><xm:f>Metadata!$B$2:$B$3</xm:f></x14:formula1><xm:sqref>Z99</xm:sqref>"
           "</x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>")
    text = re.sub(r'<row r="([0-9]+)"', rf'<row r="\1" spans="1:11" xmlns:x14ac="{X14}" x14ac:dyDescent="0.25"',
                  parts.text(part)).replace("</worksheet>", ext)
    parts.put(part, text)
    ct = "application/vnd.openxmlformats-officedocument."
    parts.add_part("xl/printerSettings/printerSettings1.bin", b"\x00" * 64 + rng.randbytes(64), None, part,
                   R + "printerSettings", rel_id="rIdP1")
    parts.put("[Content_Types].xml", parts.text("[Content_Types].xml").replace(
        "<Override", f'<Default Extension="bin" ContentType="{ct}spreadsheetml.printerSettings"/><Override', 1))
    parts.add_part("xl/calcChain.xml", f'<calcChain xmlns="{MAIN}"/>'.encode(), CT + "calcChain+xml",
                   "xl/workbook.xml", R + "calcChain", rel_id="rIdC1")
    parts.add_part("docProps/custom.xml", b"<Properties/>", ct + "custom-properties+xml", "", R + "custom-properties",
                   rel_id="rIdD1")
    parts.add_part("customXml/item1.xml", b"<b:Sources xmlns:b='urn:b'/>", None, "xl/workbook.xml",
                   R + "customXml", rel_id="rIdX1")
    parts.add_part("customXml/itemProps1.xml", b"<ds:datastoreItem xmlns:ds='urn:ds'/>",
                   ct + "customXmlProperties+xml", "customXml/item1.xml", R + "customXmlProps", rel_id="rIdX2")
    parts.add_part("docMetadata/LabelInfo.xml", b"<clbl:labelList xmlns:clbl='urn:c'/>",
                   "application/vnd.ms-office.classificationlabels+xml", "",
                   "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels", rel_id="rIdL1")
    return accept("excel_parts", filled)


def _part_case(kind: str, name: str, data: bytes, content_type: str | None, source: str | None, rel_type: str | None,
               message: str) -> Mutation:
    def mutate(rng: random.Random, filled: Filled) -> Case:
        where = source
        if source == "sheet":
            where = filled.parts.sheet_part(_sheet_with_field(rng, filled))
        filled.parts.add_part(name, data, content_type, where, rel_type)
        return refuse(kind, filled, (message, None, None))
    return mutate


def macro_sheet(rng: random.Random, filled: Filled) -> Case:
    _add_sheet(filled, "Macro1", "visible", SHEET_XML.replace("worksheet", "xm:macrosheet"),
               MS_R + "xlMacrosheet", "application/vnd.ms-excel.macrosheet+xml", "xl/macrosheets/sheet1.xml")
    return refuse("macro_sheet", filled, ("een Excel 4.0-macroblad", None, None))


def _set_attributes(filled: Filled, sheet: str, element: str, attributes: str) -> None:
    """Set attributes on the first element matching ``element`` (a regex for its start), replacing them."""
    part = filled.parts.sheet_part(sheet)
    names = re.findall(r"([A-Za-z:]+)=", attributes)

    def rewrite(match: re.Match[str]) -> str:
        tag = match.group(0)
        for name in names:
            tag = re.sub(rf'\s{name}="[^"]*"', "", tag)
        return tag[:-2] + f" {attributes}/>" if tag.endswith("/>") else tag[:-1] + f" {attributes}>"

    text, done = re.subn(element + r"[^>]*>", rewrite, filled.parts.text(part), count=1)
    assert done, element
    filled.parts.put(part, text)


def hidden_row(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    fields = next(s.fields for s in filled.layout.sheets if s.name == sheet)
    row = int(re.sub("[A-Z]", "", rng.choice(fields).cell))
    first = next(f.cell for f in fields if int(re.sub("[A-Z]", "", f.cell)) == row)
    _set_attributes(filled, sheet, f'<row r="{row}"', rng.choice(('hidden="1"', 'hidden="true"',
                                                                  'ht="0" customHeight="1"')))
    return refuse("hidden_row", filled, ("rij of kolom met invoercellen is verborgen", sheet, first))


def hidden_column(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    first = next(s.fields for s in filled.layout.sheets if s.name == sheet)[0].cell
    column = ord(first[0]) - 64
    if "<cols>" in filled.parts.text(filled.parts.sheet_part(sheet)):
        _set_attributes(filled, sheet, rf'<col (?=[^>]*min="{column}")', rng.choice(('hidden="1"', 'width="0"')))
    else:
        _edit(filled, sheet, ("<sheetData", f'<cols><col min="{column}" max="{column}" hidden="1"/></cols><sheetData'))
    return refuse("hidden_column", filled, ("rij of kolom met invoercellen is verborgen", sheet, first))


def zero_height(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    first = next(s.fields for s in filled.layout.sheets if s.name == sheet)[0].cell
    _set_attributes(filled, sheet, "<sheetFormatPr", 'zeroHeight="1"')
    return refuse("zero_height", filled, ("rij of kolom met invoercellen is verborgen", sheet, first))


def merged_cells(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    cell = rng.choice(next(s.fields for s in filled.layout.sheets if s.name == sheet)).cell
    ref = f"A{cell[1:]}:{cell}"
    _edit(filled, sheet, ("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'))
    return refuse("merged_cells", filled, ("samengevoegde cellen verbergen waarden", sheet, ref))


def hyperlink_on_label(rng: random.Random, filled: Filled) -> Case:
    sheet = rng.choice([s.name for s in filled.layout.sheets])
    _edit(filled, sheet, ("</sheetData>", f"</sheetData><hyperlinks><hyperlink ref=\"A1\" location=\"'{sheet}'!A1\"/>"
                                          "</hyperlinks>"))
    return refuse("hyperlink_on_label", filled, ("hyperlink niet toegestaan", sheet, "A1"))


def _sheet_xml(kind: str, change: tuple[str, str], message: str, cell: str | None = None) -> Mutation:
    """Edit one sheet's XML (``{n}`` in the replacement is a random size); the refusal names that sheet."""
    def mutate(rng: random.Random, filled: Filled) -> Case:
        sheet = _sheet_with_field(rng, filled)
        _edit(filled, sheet, (change[0], change[1].replace("{n}", str(rng.randint(10, 200_000)))))
        return refuse(kind, filled, (message, sheet, cell))
    return mutate


def many_cells(rng: random.Random, filled: Filled) -> Case:
    """Rows of formatted empty cells below the template: refused at the first cell over the limit."""
    sheet = _sheet_with_field(rng, filled)
    cells = [get_column_letter(c) for c in range(1, 101)]
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in cells) + "</row>"
                   for r in range(1000, 1000 + rng.randint(201, 300)))
    over = Limits().max_cells + 1 - filled.parts.text(filled.parts.sheet_part(sheet)).count("<c r=")
    _edit(filled, sheet, ("</sheetData>", rows + "</sheetData>"))
    cell = f"{get_column_letter((over - 1) % 100 + 1)}{1000 + (over - 1) // 100}"
    return refuse("many_cells", filled, ("cellen); verwijder wat daar staat", sheet, cell))


def many_strings(rng: random.Random, filled: Filled) -> Case:
    count = rng.randint(20_001, 120_000)
    items = "<si><t>x</t></si>" * count
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}">{items}</sst>'
    if "xl/sharedStrings.xml" in filled.parts:
        filled.parts.put("xl/sharedStrings.xml", sst)
    else:
        filled.parts.add_part("xl/sharedStrings.xml", sst.encode(), CT + "sharedStrings+xml", "xl/workbook.xml",
                              R + "sharedStrings")
    return refuse("many_strings", filled, ("meer dan 20.000 teksten", None, None))


def huge_part(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    _edit(filled, sheet, ("</sheetData>", "</sheetData>" + " " * (Limits().max_part + rng.randint(1, 9999))))
    return refuse("huge_part", filled, ("pakt uit tot", None, None))


def _whole_file(kind: str, make: str, message: str) -> Mutation:
    def mutate(rng: random.Random, filled: Filled) -> Case:
        data = filled.parts.dump()
        if make == "truncated":
            data = data[: rng.randint(1, len(data) - 1)]
        elif make == "random":
            data = rng.randbytes(rng.randint(0, 4000))
        else:
            data = _encrypted(data, "xl/workbook.xml")
        return Case(kind, filled.name, data, None, ((message, None, None),))
    return mutate


def _encrypted(data: bytes, name: str) -> bytes:
    """Set the 'encrypted' flag of one entry in its local header and its central directory record."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(name).header_offset
    patched[offset + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + length] == name.encode():
            patched[central + 8] |= 0x1
        central = data.find(b"PK\x01\x02", central + 46)
    return bytes(patched)


PACKAGE_KINDS: dict[str, Mutation] = {
    "extra_sheet": extra_sheet,
    "lookalike_sheet": lookalike_sheet,
    "template_sheet_hidden": template_sheet_hidden,
    "metadata_visible": metadata_visible,
    "alternate_content": alternate_content,
    "extension_row": extension_row,
    "excel_parts": excel_parts,
    "macro_sheet": macro_sheet,
    "vba_other_name": _part_case("vba_other_name", "xl/media/image1.png", OLE, "application/vnd.ms-office.vbaProject",
                                 "xl/workbook.xml", MS_R + "vbaProject", "macro's (VBA)"),
    "vba_image_type": _part_case("vba_image_type", "xl/media/image2.png", OLE, "image/png", None, None,
                                 "macro's (VBA)"),
    "activex": _part_case("activex", "xl/activeX/activeX1.xml", b"<ax:ocx xmlns:ax='x'/>",
                          "application/vnd.ms-office.activeX+xml", "sheet", R + "control", "ActiveX"),
    "comments": _part_case("comments", "xl/comments1.xml", b"<comments xmlns='x'/>", CT + "comments+xml", "sheet",
                           R + "comments", "opmerkingen"),
    "stray_part": _part_case("stray_part", "xl/notities.xml", b"<n>12</n>", None, None, None,
                             "niet bij het sjabloon hoort"),
    "ole_object": _part_case("ole_object", "xl/styles2.xml", b"<x/>", None, "xl/workbook.xml",
                                  R + "oleObject", "ingesloten objecten"),
    "hidden_row": hidden_row,
    "hidden_column": hidden_column,
    "zero_height": zero_height,
    "merged_cells": merged_cells,
    "hyperlink_on_label": hyperlink_on_label,
    "process_content": _sheet_xml("process_content", ("<sheetData", f'<sheetData xmlns:mc="{MC}" mc:Ignorable="w" '
                                                      'mc:ProcessContent="w:wrap"'), "markup compatibility"),
    "doctype": _sheet_xml("doctype", ("<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "{n}">]><worksheet'),
                          "DOCTYPE"),
    "xml_comment": _sheet_xml("xml_comment", ("</sheetData>", "</sheetData><!-- {n} -->"), "verborgen commentaar"),
    "processing_instruction": _sheet_xml("processing_instruction", ("</sheetData>", "</sheetData><?x {n}?>"),
                                         "verwerkingsinstructie"),
    "far_row": _sheet_xml("far_row", ("</sheetData>", '<row r="1048576"><c r="A1048576" s="1"/></row></sheetData>'),
                          "blad loopt door tot rij 1048576"),
    "far_cell": _sheet_xml("far_cell", ("</sheetData>", '<row r="10000"><c r="XFD10000" s="1"/></row></sheetData>'),
                           "ver buiten het sjabloon", "XFD10000"),
    "duplicate_cell": _sheet_xml("duplicate_cell", ("</sheetData>", '<row r="9000"><c r="A9000"/><c r="A9000"/></row>'
                                                    "</sheetData>"), "dubbel of niet op volgorde", "A9000"),
    "rows_out_of_order": _sheet_xml("rows_out_of_order", ("</sheetData>", '<row r="2"/></sheetData>'),
                                    "niet op volgorde"),
    "unknown_in_sheetdata": _sheet_xml("unknown_in_sheetdata", ("</sheetData>", "<x:row xmlns:x='urn:x'/></sheetData>"),
                                       "onbekende inhoud tussen de rijen"),
    "deep_nesting": _sheet_xml("deep_nesting", ("</worksheet>", "<extLst>" + "<a>" * 60 + "</a>" * 60 + "</extLst>"
                                                "</worksheet>"), "te diep genest"),
    "many_cells": many_cells,
    "many_strings": many_strings,
    "huge_part": huge_part,
    "truncated": _whole_file("truncated", "truncated", "geen geldig Excel-bestand"),
    "not_a_zip": _whole_file("not_a_zip", "random", "geen geldig Excel-bestand"),
    "encrypted_entry": _whole_file("encrypted_entry", "encrypted", "versleuteld"),
}
