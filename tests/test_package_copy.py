"""Copying a zip package with members replaced: the rest keeps its compressed bytes, the result is a valid zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine.package_copy import copy_package

MEMBERS = {"[Content_Types].xml": b"<Types/>" * 40, "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row/>" * 500,
           "xl/vbaProject.bin": bytes(range(256)) * 8, "xl/media/afbeelding é.png": b"\x89PNG" * 10,
           "docProps/leeg.xml": b""}


class _Unseekable(io.BytesIO):
    """A stream zipfile cannot seek back in: it then writes each member's sizes after its data."""

    def seek(self, *_: object) -> int:
        raise OSError("niet terug te spoelen")


def _package(path: Path, *, streamed: bool = False) -> Path:
    """A package as Excel-like writers make it; ``streamed``: sizes in data descriptors after each member."""
    buffer = _Unseekable() if streamed else io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in MEMBERS.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 14, 15, 9, 26))
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as member:
                member.write(data)
    path.write_bytes(buffer.getvalue())
    return path


def _copy(source: Path, target: Path, replaced: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as archive, source.open("rb") as raw, target.open("wb") as out:
        copy_package(archive, raw, out, replaced)
    return target


@pytest.mark.parametrize("streamed", [False, True], ids=["sizes in headers", "data descriptors"])
def test_a_copy_holds_every_member_with_the_replaced_ones_new(tmp_path: Path, streamed: bool) -> None:
    source = _package(tmp_path / "bron.xlsm", streamed=streamed)
    new = b"<worksheet><row r='1'/></worksheet>"
    target = _copy(source, tmp_path / "kopie.xlsm", {"xl/worksheets/sheet1.xml": new})
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert all(bool(info.flag_bits & 0x08) == streamed for info in before.infolist())
        assert after.testzip() is None
        assert after.namelist() == before.namelist()
        assert {n: after.read(n) for n in after.namelist()} == {**MEMBERS, "xl/worksheets/sheet1.xml": new}
        for old, copied in zip(before.infolist(), after.infolist(), strict=True):
            assert (copied.date_time, copied.external_attr) == (old.date_time, old.external_attr)
            if old.filename != "xl/worksheets/sheet1.xml":
                assert (copied.compress_type, copied.compress_size, copied.CRC) == (
                    old.compress_type, old.compress_size, old.CRC)


def test_unchanged_members_keep_their_compressed_bytes(tmp_path: Path) -> None:
    source = _package(tmp_path / "bron.xlsm")
    target = _copy(source, tmp_path / "kopie.xlsm", {})
    assert target.read_bytes() == source.read_bytes()  # as zipfile wrote it: no extras, no comment


def test_a_member_without_its_local_header_is_refused(tmp_path: Path) -> None:
    source = _package(tmp_path / "bron.xlsm")
    data = bytearray(source.read_bytes())
    data[:4] = b"XXXX"  # the first member's header signature; the central directory still points there
    source.write_bytes(bytes(data))
    with pytest.raises(JbjrFout, match="geen lokale kop"):
        _copy(source, tmp_path / "kopie.xlsm", {})
