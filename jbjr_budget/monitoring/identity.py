"""One identity per file: the hidden metadata, its fingerprint, the visible header and the file name agree.

The metadata says for which GI, region and period a file is booked; the
header on every sheet says what the person filling it in saw. A file whose
header, metadata or name disagree is refused with a message naming both, so a
rewritten metadata sheet can never book one GI's figures as another's.
"""

from __future__ import annotations

import re
from pathlib import Path

from jbjr_budget.errors import JbjrFout
from jbjr_budget.monitoring.issues import Collector, quoted
from jbjr_budget.monitoring.layout import (
    META_KEYS,
    META_SHEET,
    SJABLOON,
    SUBTITLE_SEPARATOR,
    TEMPLATE_VERSION,
    Layout,
    build_layout,
)
from jbjr_budget.monitoring.periode import PERIODE_PATROON, Periode
from jbjr_budget.monitoring.xlsx_reader import Workbook
from jbjr_budget.rules.catalog import Catalog

__all__ = ["check_header", "layout_from_meta"]

HEADER_PARTS = ("GI", "regio", "periode")
MAX_CACHED_LAYOUTS = 256
_LAYOUTS: dict[tuple[object, ...], tuple[Catalog, Layout]] = {}


def layout_from_meta(
    book: Workbook, path: Path, catalog: Catalog, periode: Periode | None, found: Collector
) -> Layout:
    """Rebuild the layout the file was made with from its metadata, and check the metadata and file name."""
    sheet = book.sheet(META_SHEET)
    if sheet is None:
        raise found.stop("geen JBJR-monitoringsjabloon: het verborgen blad Metadata ontbreekt")
    texts = {cell: (value.raw or "").strip() for cell, value in sheet.cells.items()}
    meta = {texts.get(f"A{row}", ""): texts.get(f"B{row}", "") for row in range(2, 2 + len(META_KEYS))}
    cells = {key: f"B{row}" for row, key in enumerate(META_KEYS, start=2)}
    if meta.get("sjabloon") != SJABLOON or any(not meta.get(key) for key in META_KEYS):
        raise found.stop("geen JBJR-monitoringsjabloon: de metadata ontbreekt of is onvolledig", META_SHEET)
    if meta["versie"] != TEMPLATE_VERSION:
        raise found.stop(f"sjabloonversie {quoted(meta['versie'])[1:-1]} wordt niet ondersteund (dit programma leest "
                         f"versie {TEMPLATE_VERSION}); vraag een nieuw sjabloon aan", META_SHEET, cells["versie"])
    try:
        layout = _layout(catalog, meta)
    except JbjrFout as exc:
        raise found.stop(f"metadata klopt niet: {exc}", META_SHEET) from None
    if sheet.state == "visible":
        found.add("het verborgen blad Metadata is zichtbaar gemaakt; gebruik het originele sjabloon", META_SHEET)
    if meta["vingerafdruk"] != layout.fingerprint():
        raise found.stop("metadata of lay-out is gewijzigd: de vingerafdruk klopt niet bij GI, regio, periode "
                         "en productlijst", META_SHEET, cells["vingerafdruk"])
    if periode is not None and periode != layout.periode:
        found.add(f"bestand is voor periode {layout.periode.code}, gevraagd is periode {periode.code}",
                  META_SHEET, cells["periode"])
    _check_file_name(path, layout, catalog, found)
    return layout


def _layout(catalog: Catalog, meta: dict[str, str]) -> Layout:
    """The layout named by the metadata; a batch of files for the same templates builds each layout once."""
    key = (id(catalog), *(meta[name] for name in ("gi", "regio", "periode", "producten", "gemeenten")))
    cached = _LAYOUTS.get(key)
    if cached is not None and cached[0] is catalog:
        return cached[1]
    layout = build_layout(catalog, meta["gi"], meta["regio"], Periode.parse(meta["periode"]),
                          tuple(meta["producten"].split(",")), tuple(meta["gemeenten"].split(",")))
    if len(_LAYOUTS) >= MAX_CACHED_LAYOUTS:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (catalog, layout)
    return layout


def check_header(book: Workbook, layout: Layout, found: Collector) -> None:
    """The header each sheet shows (GI, region, period) must be the one the metadata books."""
    for sheet_layout in layout.sheets:
        sheet = book.sheet(sheet_layout.name)
        if sheet is None:
            continue  # reported with the layout check
        for label in sheet_layout.labels:
            if label.style != "ondertitel":
                continue
            cell = sheet.cells.get(label.cell)
            seen = (cell.raw or "").strip() if cell is not None and not cell.formula else ""
            if seen != label.text:
                raise found.stop(_header_message(seen, label.text), sheet.name, label.cell)


def _header_message(seen: str, expected: str) -> str:
    shown, meant = seen.split(SUBTITLE_SEPARATOR), expected.split(SUBTITLE_SEPARATOR)
    if len(shown) == len(meant) == len(HEADER_PARTS):
        differences = [f"het blad toont {kind} {quoted(a)}, de metadata noemt {quoted(b)}"
                       for kind, a, b in zip(HEADER_PARTS, shown, meant, strict=True) if a != b]
    else:
        differences = [f"het blad toont {quoted(seen)}, de metadata noemt {quoted(expected)}"]
    return ("; ".join(differences) + ": GI, regio en periode op de bladen en in de metadata moeten hetzelfde zijn; "
            "gebruik het originele sjabloon")


def _check_file_name(path: Path, layout: Layout, catalog: Catalog, found: Collector) -> None:
    """The file name may not name another period, GI or region than the metadata."""
    stem = path.stem.upper()
    periods = {Periode.parse(m.group(0)).code for m in PERIODE_PATROON.finditer(stem)}
    if periods and periods != {layout.periode.code}:
        found.add(f"bestandsnaam noemt periode {', '.join(sorted(periods))}, het bestand zelf is voor "
                  f"periode {layout.periode.code}")
    words = "_" + "_".join(re.split(r"[^a-z0-9]+", path.stem.lower())) + "_"
    for kind, keys, own in (("GI", catalog.gis, layout.gi), ("regio", catalog.regios, layout.regio)):
        named = [key for key in keys if f"_{key}_" in words]
        if named and set(named) != {own}:
            found.add(f"bestandsnaam noemt {kind} {', '.join(named)}, het bestand zelf is voor {kind} {own}")
