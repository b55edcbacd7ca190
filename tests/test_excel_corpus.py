"""The Excel corpus: its manifest, obtaining it from the registries with hash checks, and the scorer's rules.

Tests marked ``network`` obtain the real corpus (registries on the first run, the cache after that) and skip
when a registry cannot be reached. The rest build a small archive themselves and need nothing from outside.
"""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from excel_corpus.causes import BY_DESIGN, VBA, issue_cause, vba_cause
from excel_corpus.obtain import (
    MANIFEST,
    Archive,
    CorpusFout,
    HashFout,
    Manifest,
    RegistryOnbereikbaar,
    WorkbookEntry,
    app_properties,
    load_manifest,
    obtain,
)
from excel_corpus.scoring import Subject, same, score_herbereken, score_herbereken_workbook, subjects
from openpyxl import Workbook

from jbjr_budget.formula_engine.evaluator import Issue
from jbjr_budget.formula_engine.values import ExcelError
from jbjr_budget.process_pool import pool_context

EXCEL_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel</Application><AppVersion>16.0300</AppVersion></Properties>"
)
FORBIDDEN_SOURCES = ("poi", "npoi", "pycel", "xlcalculator", "formulas")


# -- the manifest ------------------------------------------------------------------------------------------


def test_manifest_lists_forty_or_more_excel_workbooks_in_both_categories():
    manifest = load_manifest()
    categories = {entry.category for entry in manifest.workbooks}
    assert len(manifest.workbooks) >= 40
    assert categories == {"gebouwd", "functiecatalogus"}
    assert all(entry.application.startswith("Microsoft") for entry in manifest.workbooks)
    assert all(entry.formulas > 0 for entry in manifest.workbooks)


def test_manifest_uses_no_file_from_the_independent_check():
    manifest = load_manifest()
    for archive in manifest.archives.values():
        assert archive.package.lower() not in FORBIDDEN_SOURCES
    for entry in manifest.workbooks:
        parts = entry.path.lower().replace("-", "_").split("/")
        assert not any(part.startswith(("apachepoi", "poi_", "npoi")) for part in parts), entry.path


def test_every_archive_is_used_and_has_a_licence():
    manifest = load_manifest()
    used = {entry.archive.key for entry in manifest.workbooks}
    assert used == set(manifest.archives)
    assert all(archive.licence for archive in manifest.archives.values())


def test_manifest_refuses_a_duplicate_key(tmp_path):
    text = MANIFEST.read_text(encoding="utf-8")
    broken = tmp_path / "manifest.yaml"
    broken.write_text(text.replace("    licence: MIT\n", "    licence: MIT\n    licence: MIT\n", 1), encoding="utf-8")
    with pytest.raises(CorpusFout, match="dubbele sleutel"):
        load_manifest(broken)


# -- obtaining, with a local archive -----------------------------------------------------------------------


def _workbook_bytes(tmp_path: Path) -> bytes:
    """A small workbook with a formula, marked as saved by Excel (cached value written by hand)."""
    book = Workbook()
    book.active["A1"] = 2
    book.active["A2"] = "=A1*21"
    path = tmp_path / "made.xlsx"
    book.save(path)
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/app.xml":
                data = EXCEL_APP_XML.encode()
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<f>A1\*21</f>(<v\s*/>|<v></v>)?", b"<f>A1*21</f><v>42</v>", data)
            target.writestr(info, data)
    return out.getvalue()


def _tarball(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _local_manifest(tarball: bytes, workbook: bytes) -> Manifest:
    """A one-workbook manifest for a local archive."""
    archive = Archive("lokaal-1.0", "pypi", "lokaal", "1.0", "lokaal-1.0.tar.gz",
                      hashlib.sha256(tarball).hexdigest(), "MIT")
    entry = WorkbookEntry("lokaal-model", archive, "lokaal-1.0/data/model.xlsx", hashlib.sha256(workbook).hexdigest(),
                          "Microsoft Excel", "16.0300", "gebouwd", 1, (), "a test workbook")
    return Manifest({archive.key: archive}, (entry,))


def _fetcher(content: bytes, calls: list[Path]):
    """A stand-in for the registry client: writes ``content`` as the archive and records the call."""
    def fetch(archive: Archive, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / archive.file
        target.write_bytes(content)
        calls.append(target)
        return target

    return fetch


def test_obtain_extracts_the_listed_workbook_and_then_uses_the_cache(tmp_path):
    workbook = _workbook_bytes(tmp_path)
    tarball = _tarball({"lokaal-1.0/data/model.xlsx": workbook, "lokaal-1.0/data/other.xlsx": b"not listed"})
    manifest = _local_manifest(tarball, workbook)
    calls: list[Path] = []
    paths = obtain(manifest, tmp_path / "cache", fetch=_fetcher(tarball, calls))
    assert paths["lokaal-model"].read_bytes() == workbook
    assert sorted(p.name for p in (tmp_path / "cache" / "workbooks").iterdir()) == ["lokaal-model.xlsx"]
    assert obtain(manifest, tmp_path / "cache", fetch=_fetcher(tarball, calls)) == paths
    assert len(calls) == 1  # the second run found everything in the cache


def test_obtain_refuses_a_tampered_archive(tmp_path):
    workbook = _workbook_bytes(tmp_path)
    tarball = _tarball({"lokaal-1.0/data/model.xlsx": workbook})
    manifest = _local_manifest(tarball, workbook)
    tampered = _tarball({"lokaal-1.0/data/model.xlsx": workbook + b"\0"})
    with pytest.raises(HashFout, match=r"archief lokaal-1\.0"):
        obtain(manifest, tmp_path / "cache", fetch=_fetcher(tampered, []))
    assert not (tmp_path / "cache" / "archives" / "lokaal-1.0.tar.gz").exists()


def test_obtain_refuses_a_workbook_that_differs_from_the_manifest(tmp_path):
    workbook = _workbook_bytes(tmp_path)
    tarball = _tarball({"lokaal-1.0/data/model.xlsx": workbook[:-1] + b"\1"})
    manifest = _local_manifest(tarball, workbook)
    with pytest.raises(HashFout, match="werkboek lokaal-model"):
        obtain(manifest, tmp_path / "cache", fetch=_fetcher(tarball, []))


def test_obtain_repairs_a_tampered_workbook_in_the_cache(tmp_path):
    workbook = _workbook_bytes(tmp_path)
    tarball = _tarball({"lokaal-1.0/data/model.xlsx": workbook})
    manifest = _local_manifest(tarball, workbook)
    paths = obtain(manifest, tmp_path / "cache", fetch=_fetcher(tarball, []))
    paths["lokaal-model"].write_bytes(b"tampered")
    calls: list[Path] = []
    obtain(manifest, tmp_path / "cache", fetch=_fetcher(tarball, calls))
    assert paths["lokaal-model"].read_bytes() == workbook
    assert calls == []  # extracted again from the cached archive, no download


def test_scorer_counts_a_matching_formula(tmp_path):
    workbook = _workbook_bytes(tmp_path)
    path = tmp_path / "model.xlsx"
    path.write_bytes(workbook)
    score = score_herbereken([Subject("lokaal-model", "gebouwd", path)])
    assert (score.totals(), score.rates()["gebouwd"]) == ((1, 1), 1.0)
    assert app_properties(path) == ("Microsoft Excel", "16.0300")


@pytest.mark.parametrize(("stored", "computed", "expected"), [
    (1.0, 1.0 + 1e-12, True),
    (1e6, 1e6 + 0.01, False),  # a relative difference of 1e-8
    (1e-12, 2e-12, True),  # within the absolute tolerance
    ("a", "a", True),
    ("1", 1.0, False),
    (True, 1.0, False),
    (None, "", True),
    (None, 0.0, False),
    (ExcelError("#N/A"), ExcelError("#N/A", "reden"), True),
    (ExcelError("#N/A"), ExcelError("#VALUE!"), False),
])
def test_same_value_rules(stored, computed, expected):
    assert same(stored, computed) is expected


def test_causes_name_a_vba_function_and_the_undocumented_forecasts(tmp_path):
    with_vba, without = tmp_path / "met.xlsm", tmp_path / "zonder.xlsx"
    with zipfile.ZipFile(with_vba, "w") as package:
        package.writestr("xl/vbaProject.bin", b"\x00Attribute VB_Name\x00MyFunc\x00")
    with zipfile.ZipFile(without, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert vba_cause("onbekende functie: MYFUNC", with_vba) == f"{VBA}: MYFUNC"
    assert vba_cause("onbekende functie: OTHER", with_vba) == "onbekende functie: OTHER"
    assert vba_cause("onbekende functie: MYFUNC", without) == "onbekende functie: MYFUNC"
    assert issue_cause(Issue("Blad", "A1", "onbekende functie", "FORECAST.ETS.CONFINT")) == \
        f"{BY_DESIGN}: FORECAST.ETS.CONFINT"
    assert issue_cause(Issue("Blad", "A1", "onbekende functie", "FORECAST.LINEAR")) == \
        "onbekende functie: FORECAST.LINEAR"


# -- the real corpus (registries or cache) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> dict[str, Path]:
    try:
        return obtain()
    except RegistryOnbereikbaar as exc:
        pytest.skip(f"Excel-corpus niet te halen: {exc}")


@pytest.mark.network
@pytest.mark.slow
def test_every_workbook_was_saved_by_excel_as_the_manifest_says(corpus):
    for entry in load_manifest().workbooks:
        application, version = app_properties(corpus[entry.id])
        assert application is not None
        assert application.startswith("Microsoft"), (entry.id, application)
        assert "Excel" in application, (entry.id, application)
        assert (application, version) == (entry.application, entry.app_version), entry.id


@pytest.mark.network
@pytest.mark.slow
def test_every_workbook_holds_formulas_with_stored_values(corpus):
    for entry in load_manifest().workbooks:
        with zipfile.ZipFile(corpus[entry.id]) as package:
            sheets = b"".join(package.read(name) for name in package.namelist() if name.startswith("xl/worksheets/"))
        assert b"<f" in sheets or b":f" in sheets, entry.id
        assert b"<v>" in sheets or b":v>" in sheets, entry.id


@pytest.mark.network
@pytest.mark.slow
def test_herbereken_matches_every_stored_value_but_the_listed_causes(corpus, tmp_path):
    # Every formula cell Excel stored a value for, in all workbooks, against herbereken; the only differences
    # allowed are the two causes the benchmark lists as not the engine's arithmetic (see causes.py).
    manifest = load_manifest()
    found = subjects(manifest, corpus)
    with ProcessPoolExecutor(max_workers=2, mp_context=pool_context()) as pool:
        scores = list(pool.map(score_herbereken_workbook, found, [tmp_path] * len(found)))
    assert sum(score.scored for score in scores) > 200_000
    unexplained = [(score.id, cell.sheet, cell.address, cell.formula, cell.cause) for score in scores
                   for cell in score.differences if not cell.cause.startswith((BY_DESIGN, VBA))]
    assert unexplained == []
    assert [score.id for score in scores if score.error] == []
