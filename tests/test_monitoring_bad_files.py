"""A corpus of bad returned files, generated here: each is rejected with the right Dutch message and cell.

Every file starts as a correctly filled template and gets one problem. None of them may change the
ledger, and one bad file never stops the import of the others.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from monitoring_cases.fill import fill_with_openpyxl, typed_values
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.workbook import Workbook as WorkbookType

from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import TABLES
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.monitoring.validate import validate_file
from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.writers.template_workbook import write_template

Q1 = Periode.parse("2026-Q1")
NAME = template_name("jgb", "alkmaar", Q1)
Expected = list[tuple[str, str | None, str | None]]


def _edit(change: Callable[[WorkbookType], None]) -> Callable[[Path, Path], Path]:
    """A case that opens the good file with openpyxl, changes it and saves it."""
    def make(good: Path, out: Path) -> Path:
        workbook = load_workbook(good)
        change(workbook)
        workbook.save(out)
        return out
    return make


def _set(sheet: str, cell: str, value: object) -> Callable[[WorkbookType], None]:
    def change(workbook: WorkbookType) -> None:
        workbook[sheet][cell] = value
    return change


def _meta(key_row: int, value: str) -> Callable[[WorkbookType], None]:
    return _set("Metadata", f"B{key_row}", value)


def _hyperlink(workbook: WorkbookType) -> None:
    cell = workbook["Toelichting"]["B5"]
    cell.value, cell.hyperlink = "zie onze site", "https://example.org/cijfers"


def _insert_row(workbook: WorkbookType) -> None:
    workbook["Volumes"].insert_rows(6)


def _rename_sheet(workbook: WorkbookType) -> None:
    workbook["Personeel"].title = "Staf"


def _not_a_template(good: Path, out: Path) -> Path:
    workbook = Workbook()
    workbook.active["A1"] = "Eigen overzicht GI"
    workbook.save(out)
    return out


def _add_entry(name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> Callable[[Path, Path], Path]:
    def make(good: Path, out: Path) -> Path:
        shutil.copy(good, out)
        with zipfile.ZipFile(out, "a", compression=compress) as archive:
            archive.writestr(name, data)
        return out
    return make


def _external_link(good: Path, out: Path) -> Path:
    """A formula linking to another workbook, with the external link part Excel writes for it."""
    linked = out.with_name("gekoppeld.xlsx")
    _edit(_set("Volumes", "E5", "=[1]Blad1!A1"))(good, linked)
    link = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook/></externalLink>')
    relationship = (b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')
    override = (b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>')
    _patch_xml("xl/_rels/workbook.xml.rels", rb"</Relationships>", relationship)(linked, out)
    _patch_xml("[Content_Types].xml", rb"</Types>", override)(out, linked)
    shutil.copy(linked, out)
    linked.unlink()
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", link)
    return out


def _text_cell(sheet: str, cell: str, text: str) -> Callable[[WorkbookType], None]:
    """A text value as a spreadsheet stores a typed text, even one that starts with '='."""
    def change(workbook: WorkbookType) -> None:
        workbook[sheet][cell] = text
        workbook[sheet][cell].data_type = "s"
    return change


def _huge_stock(workbook: WorkbookType) -> None:
    for cell, value in (("D5", 10**20), ("E5", 0), ("F5", 0), ("G5", 10**20)):
        workbook["Volumes"][cell] = value


def _show_metadata(workbook: WorkbookType) -> None:
    workbook["Metadata"].sheet_state = "visible"


def _patch_xml(part: str, pattern: bytes, replacement: bytes) -> Callable[[Path, Path], Path]:
    """Rewrite one XML part of the good file (for values openpyxl cannot write, such as 1E999)."""
    def make(good: Path, out: Path) -> Path:
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in source.infolist():
                data = source.read(entry.filename)
                if entry.filename == part:
                    data, count = re.subn(pattern, replacement, data)
                    assert count == 1, part
                target.writestr(entry, data)
        return out
    return make


def _empty_file(good: Path, out: Path) -> Path:
    out.write_bytes(b"")
    return out


def _text_file(good: Path, out: Path) -> Path:
    out.write_text("Dit is geen spreadsheet.")
    return out


def _copy(good: Path, out: Path) -> Path:
    return Path(shutil.copy(good, out))


def _foreign_municipality(good: Path, out: Path) -> Path:
    """A template crafted with a consistent fingerprint that adds Haarlem (Zuid-Kennemerland) to Regio Alkmaar."""
    catalog = load_catalog()
    alkmaar = catalog.regio("alkmaar")
    crafted = replace(alkmaar, gemeenten=(*alkmaar.gemeenten, catalog.gemeente("haarlem")))
    layout = build_layout(replace(catalog, regios={**catalog.regios, "alkmaar": crafted}), "jgb", "alkmaar", Q1)
    return write_template(layout, out)


# name: (file name, how to make it, expected problems (message part, sheet, cell), all problems listed?)
CASES: dict[str, tuple[str, Callable[[Path, Path], Path], Expected]] = {
    "geen_sjabloon": ("overzicht.xlsx", _not_a_template,
                      [("geen JBJR-monitoringsjabloon: het verborgen blad Metadata ontbreekt", None, None)]),
    "leeg_bestand": ("monitoring_jgb_alkmaar_2026-Q1.xlsx", _empty_file,
                     [("geen geldig Excel-bestand (.xlsx)", None, None)]),
    "metadata_zichtbaar": (NAME, _edit(_show_metadata),
                           [("het verborgen blad Metadata is zichtbaar gemaakt", "Metadata", None)]),
    "geen_excel": ("cijfers.xlsx", _text_file,
                   [("geen geldig Excel-bestand (.xlsx); sla het sjabloon op als Excel-werkmap", None, None)]),
    "andere_versie": (NAME, _edit(_meta(3, "0.9")),
                      [("sjabloonversie 0.9 wordt niet ondersteund (dit programma leest versie 1.1)",
                        "Metadata", "B3")]),
    "gemeente_andere_regio": (NAME, _foreign_municipality,
                              [("metadata klopt niet: gemeente haarlem hoort niet bij Regio Alkmaar", "Metadata",
                                None)]),
    "metadata_gewijzigd": ("monitoring_jgb_alkmaar.xlsx", _edit(_meta(6, "2026-Q2")),
                           [("metadata of lay-out is gewijzigd: de vingerafdruk klopt niet", "Metadata", "B9")]),
    "naam_andere_periode": ("monitoring_jgb_alkmaar_2026-Q2.xlsx", _copy,
                            [("bestandsnaam noemt periode 2026-Q2, het bestand zelf is voor periode 2026-Q1",
                              None, None)]),
    "naam_andere_gi": ("monitoring_ljr_alkmaar_2026-Q1.xlsx", _copy,
                       [("bestandsnaam noemt GI ljr, het bestand zelf is voor GI jgb", None, None)]),
    "naam_andere_regio": ("monitoring_jgb_ijmond_2026-Q1.xlsx", _copy,
                          [("bestandsnaam noemt regio ijmond, het bestand zelf is voor regio alkmaar", None, None)]),
    "rij_ingevoegd": (NAME, _edit(_insert_row),
                      [("lay-out gewijzigd: verwacht '48A04', gevonden ''", "Volumes", "A6"),
                       ("lay-out gewijzigd: verwacht 'Ondertoezichtstelling (OTS) korter dan een jaar', gevonden ''",
                        "Volumes", "B6"),
                       ("lay-out gewijzigd: verwacht 'Bergen (NH)', gevonden ''", "Volumes", "C6"),
                       ("lay-out gewijzigd: verwacht 'Castricum', gevonden 'Bergen (NH)'", "Volumes", "C7"),
                       ("lay-out gewijzigd: verwacht 'Dijk en Waard', gevonden 'Castricum'", "Volumes", "C8"),
                       ("lay-out gewijzigd: nog 114 cellen wijken af (rijen of kolommen ingevoegd of verwijderd?)",
                        "Volumes", None)]),
    "blad_hernoemd": (NAME, _edit(_rename_sheet),
                      [("extra blad hoort niet bij het sjabloon en wordt niet ingelezen; verwijder het", "Staf", None),
                       ("blad ontbreekt of is hernoemd", "Personeel", None)]),
    "tekst_in_getalcel": (NAME, _edit(_set("Volumes", "E5", "drie")),
                          [("tekst in een getalcel: 'drie'; vul een getal in", "Volumes", "E5")]),
    "getal_als_tekst": (NAME, _edit(_set("Volumes", "D7", "12")),
                        [("tekst in een getalcel: '12'; vul een getal in", "Volumes", "D7")]),
    "getal_als_tekst_nl": (NAME, _edit(_set("Personeel", "B5", "1.234,5")),
                           [("tekst in een getalcel: '1.234,5'; vul een getal in", "Personeel", "B5")]),
    "ja_nee_in_getalcel": (NAME, _edit(_set("Volumes", "E5", True)),
                           [("ja/nee-waarde (WAAR of ONWAAR) in een invoercel", "Volumes", "E5")]),
    "ja_nee_in_tekstcel": (NAME, _edit(_set("Toelichting", "B6", False)),
                           [("ja/nee-waarde (WAAR of ONWAAR) in een invoercel", "Toelichting", "B6")]),
    "foutwaarde": (NAME, _edit(_set("Toelichting", "B6", "#NUM!")),
                   [("foutwaarde #NUM! in een invoercel", "Toelichting", "B6")]),
    "oneindig": (NAME, _patch_xml("xl/worksheets/sheet4.xml", rb'(<c r="B5"[^>]*>)<v>[^<]*</v>', rb"\1<v>1E999</v>"),
                 [("ongeldig getal: inf", "Personeel", "B5")]),
    "getal_te_groot": (NAME, _edit(_huge_stock),
                       [("waarde 100000000000000000000 is groter dan 1000000000000", "Volumes", "D5"),
                        ("waarde 100000000000000000000 is groter dan 1000000000000", "Volumes", "G5")]),
    "tekst_als_formule": (NAME, _edit(_text_cell("Toelichting", "B5", '=HYPERLINK("https://example.org","klik")')),
                          [("tekst begint met '=' en zou in een rapport een formule worden", "Toelichting", "B5")]),
    "rij_onder_de_tabel": (NAME, _edit(_set("Volumes", "E300", 7)),
                           [("waarde buiten de invoercellen wordt niet ingelezen", "Volumes", "E300")]),
    "waarde_naast_formulier": (NAME, _edit(_set("Personeel", "F5", "extra fte inhuur")),
                               [("waarde buiten de invoercellen wordt niet ingelezen", "Personeel", "F5")]),
    "negatief": (NAME, _edit(_set("Volumes", "F5", -1)), [("negatief getal niet toegestaan", "Volumes", "F5")]),
    "datum_in_getalcel": (NAME, _edit(_set("Volumes", "H5", dt.date(2026, 3, 1))),
                          [("datum of tijd in een invoercel; typ een getal of tekst", "Volumes", "H5")]),
    "geen_geheel_getal": (NAME, _edit(_set("Inspectienormen", "B6", 2.5)),
                          [("alleen hele getallen toegestaan, niet 2,5", "Inspectienormen", "B6")]),
    "voorraad_niet_geheel": (NAME, _edit(_set("Volumes", "D5", 3.5)),
                             [("alleen hele getallen toegestaan, niet 3,5", "Volumes", "D5")]),
    "percentage_te_hoog": (NAME, _edit(_set("Personeel", "B7", 120)),
                           [("percentage 120 ligt buiten 0 tot en met 100", "Personeel", "B7")]),
    "percentage_negatief": (NAME, _edit(_set("Personeel", "B8", -0.5)),
                            [("percentage -0,5 ligt buiten 0 tot en met 100", "Personeel", "B8")]),
    "bedrag_negatief": (NAME, _edit(_set("Financiën", "B5", -10)),
                        [("negatief getal niet toegestaan", "Financiën", "B5")]),
    "ongeldige_keuze": (NAME, _edit(_set("Financiën", "B10", "Misschien")),
                        [("ongeldige keuze 'Misschien'; kies uit: Voorlopig, Definitief", "Financiën", "B10")]),
    "verplicht_leeg": (NAME, _edit(_set("Personeel", "B5", None)),
                       [("verplicht veld is leeg: Fte jeugdbeschermers (gemiddeld in de periode)", "Personeel",
                         "B5")]),
    "toelichting_te_lang": (NAME, _edit(_set("Toelichting", "B6", "x" * 2500)),
                            [("toelichting is 2500 tekens; maximaal 2000", "Toelichting", "B6")]),
    "controle_voorraad": (NAME, _edit(_set("Volumes", "G9", 999)),
                          [("controle mislukt: begin + instroom - uitstroom is niet gelijk aan einde", "Volumes",
                            "G9")]),
    "controle_norm": (NAME, _edit(_set("Inspectienormen", "D5", 999)),
                      [("controle mislukt: aantal binnen 6 weken is groter dan het aantal zaken", "Inspectienormen",
                        "D5")]),
    "controle_resultaat": (NAME, _edit(_set("Financiën", "B7", 1)),
                           [("controle mislukt: resultaat is niet gelijk aan omzet min kosten", "Financiën", "B7")]),
    "formule": (NAME, _edit(_set("Volumes", "E5", "=1+2")),
                [("formule in invoercel niet toegestaan; typ alleen een waarde", "Volumes", "E5")]),
    "formule_hyperlink": (NAME, _edit(_set("Toelichting", "B5", '=HYPERLINK("https://example.org","klik")')),
                          [("formule in invoercel niet toegestaan; typ alleen een waarde", "Toelichting", "B5")]),
    "hyperlink": (NAME, _edit(_hyperlink),
                  [("hyperlink in invoercel niet toegestaan; typ alleen een waarde", "Toelichting", "B5")]),
    "externe_koppeling": (NAME, _external_link,
                          [("bestand bevat koppelingen naar andere werkmappen (externe verwijzingen)", None, None),
                           ("formule in invoercel niet toegestaan; typ alleen een waarde", "Volumes", "E5")]),
    "xlsm": ("monitoring_jgb_alkmaar_2026-Q1.xlsm", _copy,
             [("bestand met macro's (.xlsm) wordt niet geaccepteerd", None, None)]),
    "vba_in_xlsx": (NAME, _add_entry("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(512)),
                    [("bestand bevat macro's (VBA)", None, None)]),
    "te_groot": (NAME, _add_entry("xl/media/foto.bin", bytes(6 * 1024 * 1024), zipfile.ZIP_STORED),
                 [("bestand is te groot (", None, None)]),
    "zip_bom": (NAME, _add_entry("xl/media/bom.bin", bytes(60 * 1024 * 1024)),
                [("(mogelijk een zip-bom)", None, None)]),
}


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    folder = tmp_path_factory.mktemp("goed")
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    template = write_template(layout, folder / "leeg" / NAME)
    return fill_with_openpyxl(template, typed_values(layout, 42), folder / NAME)


@pytest.fixture(scope="module")
def corpus(good_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("slecht")
    made = {}
    for case, (name, make, _) in CASES.items():
        (root / case).mkdir()
        made[case] = make(good_file, root / case / name)
    return made


def test_the_good_file_is_valid(good_file: Path, catalog: Catalog) -> None:
    result = validate_file(good_file, catalog)
    assert result.issues == ()
    assert result.submission is not None


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_rejected_with_message_and_cell(case: str, corpus: dict[str, Path], catalog: Catalog) -> None:
    result = validate_file(corpus[case], catalog)
    assert result.submission is None
    found = [(p.message, p.sheet, p.cell) for p in result.issues]
    expected = CASES[case][2]
    assert len(found) == len(expected), found
    for (part, sheet, cell), (melding, blad, cel) in zip(expected, found, strict=True):
        assert part in melding
        assert (blad, cel) == (sheet, cell)
    assert all(str(p).startswith(corpus[case].name) for p in result.issues)


def test_requested_period_must_match(good_file: Path, catalog: Catalog) -> None:
    result = validate_file(good_file, catalog, Periode.parse("2026-Q2"))
    assert [(p.message, p.sheet, p.cell) for p in result.issues] == [
        ("bestand is voor periode 2026-Q1, gevraagd is periode 2026-Q2", "Metadata", "B6")]


def _dump(path: Path) -> list[list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        return [db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ["aanlevering", *TABLES]]


def test_corpus_leaves_the_ledger_unchanged_and_never_stops_the_rest(
    corpus: dict[str, Path], good_file: Path, tmp_path: Path, catalog: Catalog
) -> None:
    ledger = tmp_path / "gb.sqlite"
    other_layout = build_layout(catalog, "wss", "ijmond", Q1)
    other = write_template(other_layout, tmp_path / template_name("wss", "ijmond", Q1), typed_values(other_layout, 1))
    assert [o.status for o in import_files([other], ledger)] == ["nieuw"]
    before = _dump(ledger)
    outcomes = import_files(list(corpus.values()), ledger, processes=2)
    assert [o.status for o in outcomes] == ["afgewezen"] * len(CASES)
    assert _dump(ledger) == before
    mixed = [corpus["formule"], good_file, corpus["zip_bom"]]
    assert [o.status for o in import_files(mixed, ledger)] == ["afgewezen", "nieuw", "afgewezen"]
