"""Copy a zip package with some members replaced: the others keep their compressed bytes.

Writing every member through :mod:`zipfile` inflates and deflates the whole workbook again (about 10 ms
for the controller workbook, most of its writing time); a member that does not change is copied as it is
stored, with its CRC and sizes. Replaced members are deflated as :mod:`zipfile` does. Names, times and
attributes come from the source's central directory; extra fields, comments and data descriptors are
not copied (none carries anything a workbook needs). Packages beyond the classic zip limits (4 GiB,
65,535 members) are refused.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import BinaryIO

from jbjr_budget.errors import JbjrFout

__all__ = ["copy_package"]

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header, as zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory entry, as zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # end of central directory, as zipfile.structEndArchive
_DATA_DESCRIPTOR = 0x08  # general purpose flag: sizes follow the data (ours are in the header)
_UTF8 = 0x800
_LIMIT = 0xFFFFFFFF


class _Entry:
    """One member as written: its source entry, where its header is, and what was written."""

    __slots__ = ("crc", "flags", "info", "method", "name", "offset", "size", "stored", "version")

    def __init__(self, info: zipfile.ZipInfo, offset: int, data: bytes | None, stored: bytes) -> None:
        """``data`` is a replaced member's content (``stored`` then its deflated bytes), None for a copy."""
        self.info, self.offset, self.stored = info, offset, len(stored)
        ascii_name = info.filename.isascii()
        self.name = info.filename.encode("ascii" if ascii_name else "utf-8")
        utf8 = 0 if ascii_name else _UTF8
        if data is None:
            self.crc, self.size, self.method = info.CRC, info.file_size, info.compress_type
            self.flags, self.version = info.flag_bits & ~_DATA_DESCRIPTOR | utf8, info.extract_version
        else:
            self.crc, self.size, self.method = zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED
            self.flags, self.version = utf8, max(20, info.extract_version)
        if max(offset, self.size, self.stored) >= _LIMIT:
            raise JbjrFout(f"{info.filename}: te groot om te herschrijven (meer dan 4 GiB)")

    def dos_time(self) -> tuple[int, int]:
        """Time and date as the zip format stores them."""
        year, month, day, hour, minute, second = self.info.date_time
        return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day

    def local_header(self) -> bytes:
        """The header before the member's data."""
        return _LOCAL.pack(b"PK\x03\x04", self.version, 0, self.flags, self.method, *self.dos_time(), self.crc,
                           self.stored, self.size, len(self.name), 0) + self.name

    def central_entry(self) -> bytes:
        """The member's entry in the central directory."""
        info = self.info
        return _CENTRAL.pack(b"PK\x01\x02", info.create_version, info.create_system, self.version, 0, self.flags,
                             self.method, *self.dos_time(), self.crc, self.stored, self.size, len(self.name), 0, 0,
                             0, info.internal_attr, info.external_attr, self.offset) + self.name


def _stored_bytes(archive: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """A member's data as the source stores it (compressed), read after its local header."""
    archive.seek(info.header_offset)
    header = _LOCAL.unpack(archive.read(_LOCAL.size))
    if header[0] != b"PK\x03\x04":
        raise JbjrFout(f"{info.filename}: beschadigd zip-pakket (geen lokale kop)")
    archive.seek(header[-2] + header[-1], 1)  # past the name and the extra field
    return archive.read(info.compress_size)


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def copy_package(source: zipfile.ZipFile, archive: BinaryIO, target: BinaryIO, replaced: Mapping[str, bytes]) -> None:
    """Write ``source`` (read raw from ``archive``, its file) to ``target``, members in ``replaced`` anew."""
    entries: list[_Entry] = []
    for info in source.infolist():
        data = replaced.get(info.filename)
        stored = _stored_bytes(archive, info) if data is None else _deflated(data)
        entries.append(_Entry(info, target.tell(), data, stored))
        target.write(entries[-1].local_header())
        target.write(stored)
    start = target.tell()
    for entry in entries:
        target.write(entry.central_entry())
    size = target.tell() - start
    if len(entries) > 0xFFFF or max(start, size) >= _LIMIT:
        raise JbjrFout("werkboek te groot om te herschrijven (zip64)")
    target.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0))
