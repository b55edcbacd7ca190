"""Mark array formulas as dynamic arrays, so Excel 365 spills them instead of showing ``=@...``.

openpyxl writes an array formula as ``<f t="array" ref="A1">``; Excel treats
it as a dynamic (spilling) array only when the cell points (``cm="1"``) at the
``XLDAPR`` cell metadata in ``xl/metadata.xml``. This adds that part, its
relationship and content type, and the attribute on single-cell array formulas.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

__all__ = ["mark_dynamic_arrays"]

METADATA_PART = "xl/metadata.xml"
METADATA_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" '
    'pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
    'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
    '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
)
RELATIONSHIP = (
    '<Relationship Id="rIdJbjrMetadata" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" '
    'Target="metadata.xml"/>'
)
CONTENT_TYPE = (
    '<Override PartName="/xl/metadata.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/>'
)
_SINGLE_CELL_ARRAY = re.compile(r'<c r="([A-Z]+[0-9]+)"((?:(?!cm=)[^>])*)><f t="array" ref="\1">')


def _mark_cells(sheet_xml: str) -> str:
    return _SINGLE_CELL_ARRAY.sub(r'<c r="\1"\2 cm="1"><f t="array" ref="\1">', sheet_xml)


def mark_dynamic_arrays(path: Path) -> int:
    """Rewrite ``path`` in place so its single-cell array formulas spill; returns how many were marked."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    marked = 0
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            text = data.decode("utf-8")
            marked += len(_SINGLE_CELL_ARRAY.findall(text))
            parts[name] = _mark_cells(text).encode("utf-8")
    if marked and METADATA_PART not in parts:
        parts[METADATA_PART] = METADATA_XML.encode("utf-8")
        rels_part = "xl/_rels/workbook.xml.rels"
        rels = parts[rels_part].decode("utf-8")
        parts[rels_part] = rels.replace("</Relationships>", f"{RELATIONSHIP}</Relationships>").encode()
        types = parts["[Content_Types].xml"].decode("utf-8")
        parts["[Content_Types].xml"] = types.replace("</Types>", f"{CONTENT_TYPE}</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return marked
