"""Mutations of what a person does not see and of size: sheets, parts, hidden content, limits, broken zips."""

from __future__ import annotations

import io
import random
import re
import zipfile

from jbjr_budget.monitoring.layout import META_SHEET
from monitoring_cases.harness import Case, Filled
from monitoring_cases.mutations_values import Mutation, accept, refuse

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_R = "http://schemas.microsoft.com/office/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
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


def hidden_row(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    fields = next(s.fields for s in filled.layout.sheets if s.name == sheet)
    row = int(re.sub("[A-Z]", "", rng.choice(fields).cell))
    first = next(f.cell for f in fields if int(re.sub("[A-Z]", "", f.cell)) == row)
    attribute = rng.choice(('hidden="1"', 'hidden="true"', 'ht="0" customHeight="1"'))
    # The template sets a height on rows with text fields: replace it rather than write an attribute twice.
    part = filled.parts.sheet_part(sheet)
    text, done = re.subn(rf'<row r="{row}"[^>]*?(/?)>', lambda tag: "<row " + " ".join(
        a for a in re.findall(r'[\w:]+="[^"]*"', tag[0]) if not a.startswith(("ht=", "customHeight=", "hidden="))
    ) + f" {attribute}{tag[1]}>", filled.parts.text(part), count=1)
    assert done, row
    filled.parts.put(part, text)
    return refuse("hidden_row", filled, ("rij of kolom met invoercellen is verborgen", sheet, first))


def hidden_column(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    first = next(s.fields for s in filled.layout.sheets if s.name == sheet)[0].cell
    column = ord(first[0]) - 64
    _edit(filled, sheet, ("<sheetData", f'<cols><col min="{column}" max="{column}" width="0" customWidth="1"/></cols>'
                          "<sheetData") if "<cols>" not in filled.parts.text(filled.parts.sheet_part(sheet)) else
          (rf'(<col [^>]*min="{column}"[^>]*?)/>', r'\1 hidden="1"/>'))
    return refuse("hidden_column", filled, ("rij of kolom met invoercellen is verborgen", sheet, first))


def zero_height(rng: random.Random, filled: Filled) -> Case:
    sheet = _sheet_with_field(rng, filled)
    first = next(s.fields for s in filled.layout.sheets if s.name == sheet)[0].cell
    _edit(filled, sheet, (r"<sheetFormatPr", '<sheetFormatPr zeroHeight="1"'))
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
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{_letters(c)}{r}" s="1"/>' for c in range(1, 101)) + "</row>"
                   for r in range(1000, 1000 + rng.randint(501, 700)))
    over = 50_001 - filled.parts.text(filled.parts.sheet_part(sheet)).count("<c r=")
    _edit(filled, sheet, ("</sheetData>", rows + "</sheetData>"))
    cell = f"{_letters((over - 1) % 100 + 1)}{1000 + (over - 1) // 100}"
    return refuse("many_cells", filled, ("cellen); verwijder wat daar staat", sheet, cell))


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    _edit(filled, sheet, ("</sheetData>", "</sheetData>" + " " * (16 * 1024 * 1024 + rng.randint(1, 9999))))
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
