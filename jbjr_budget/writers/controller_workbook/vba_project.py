"""Read the VBA source of the modules in an ``xl/vbaProject.bin``, without Excel.

``vbaProject.bin`` is an OLE compound file ([MS-CFB]); each module's source
sits compressed ([MS-OVBA] 2.4.1) behind its p-code, at an offset the
compressed ``VBA/dir`` stream records. Enough of both formats is implemented
here to check which xlwings version a workbook embeds.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

__all__ = ["decompress", "read_vba_project", "vba_modules"]

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFE
_NO_STREAM = 0xFFFFFFFF
_CHUNK = 4096


class _CompoundFile:
    """The streams of an OLE compound file, addressed by path (``VBA/dir``)."""

    def __init__(self, data: bytes) -> None:
        if data[:8] != _SIGNATURE:
            raise ValueError("geen OLE-bestand (vbaProject.bin verwacht)")
        self.data = data
        self.sector_size = 1 << int(struct.unpack_from("<H", data, 0x1E)[0])
        self.mini_size = 1 << int(struct.unpack_from("<H", data, 0x20)[0])
        first_dir, _, self.cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from(
            "<IIIIIII", data, 0x30
        )
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        sector = first_difat
        for _ in range(n_difat):
            entries = struct.unpack_from(f"<{self.sector_size // 4}I", data, self._offset(sector))
            fat_sectors.extend(entries[:-1])
            sector = entries[-1]
        self.fat = [
            entry
            for s in fat_sectors
            if s < _END_OF_CHAIN - 4
            for entry in struct.unpack_from(f"<{self.sector_size // 4}I", data, self._offset(s))
        ]
        raw_minifat = self._chain(first_minifat)
        self.minifat = list(struct.unpack(f"<{len(raw_minifat) // 4}I", raw_minifat))
        directory = self._chain(first_dir)
        self.entries = [directory[i : i + 128] for i in range(0, len(directory), 128)]
        self.ministream = self._chain(self._start(0))
        self.paths: dict[str, int] = {}
        self._walk(struct.unpack_from("<I", self.entries[0], 76)[0], "")

    def _offset(self, sector: int) -> int:
        return (sector + 1) * self.sector_size

    def _chain(self, start: int, table: list[int] | None = None, mini: bool = False) -> bytes:
        table = self.fat if table is None else table
        size = self.mini_size if mini else self.sector_size
        parts, sector, seen = [], start, set()
        while sector < _END_OF_CHAIN - 4 and sector not in seen:
            seen.add(sector)
            if mini:
                parts.append(self.ministream[sector * size : (sector + 1) * size])
            else:
                parts.append(self.data[self._offset(sector) : self._offset(sector) + size])
            sector = table[sector]
        return b"".join(parts)

    def _start(self, index: int) -> int:
        return int(struct.unpack_from("<I", self.entries[index], 116)[0])

    def _walk(self, index: int, prefix: str) -> None:
        """Record every entry of the red-black sibling tree at ``index`` and below it."""
        if index == _NO_STREAM:
            return
        entry = self.entries[index]
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le")
        left, right, child = struct.unpack_from("<III", entry, 68)
        self.paths[prefix + name] = index
        self._walk(left, prefix)
        self._walk(right, prefix)
        self._walk(child, f"{prefix}{name}/")

    def stream(self, path: str) -> bytes:
        """The bytes of the stream at ``path`` (e.g. ``VBA/dir``)."""
        if path not in self.paths:
            raise KeyError(f"stream '{path}' ontbreekt in vbaProject.bin")
        index = self.paths[path]
        size = int(struct.unpack_from("<Q", self.entries[index], 120)[0]) & 0xFFFFFFFF
        if size < self.cutoff:
            return self._chain(self._start(index), self.minifat, mini=True)[:size]
        return self._chain(self._start(index))[:size]


def decompress(data: bytes) -> bytes:
    """Decompress an [MS-OVBA] 2.4.1 compressed container.

    Examples:
        >>> decompress(bytes.fromhex("01 03 B0 00 61 62 63"))
        b'abc'
    """
    if not data or data[0] != 1:
        raise ValueError("geen gecomprimeerde VBA-container")
    out, pos = bytearray(), 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        end = min(pos + 2 + (header & 0x0FFF) + 1, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < end:
            flags, pos = data[pos], pos + 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bit_count = max((len(out) - chunk_start - 1).bit_length(), 4)
                offset = (token >> (16 - bit_count)) + 1
                for _ in range((token & (0xFFFF >> bit_count)) + 3):
                    out.append(out[-offset])
    return bytes(out)


def _module_offsets(dir_stream: bytes) -> dict[str, int]:
    """Module stream name -> offset of its compressed source, from the ``dir`` records."""
    offsets: dict[str, int] = {}
    pos, current = 0, ""
    while pos + 6 <= len(dir_stream):
        record, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if record == 0x0009:  # PROJECTVERSION: its size field lies, the body is 6 bytes
            size = 6
        body = dir_stream[pos : pos + size]
        if record == 0x001A:  # MODULESTREAMNAME
            current = body.decode("latin-1")
        elif record == 0x0031:  # MODULEOFFSET
            offsets[current] = struct.unpack("<I", body)[0]
        pos += size
    return offsets


def vba_modules(vba_project: bytes) -> dict[str, str]:
    """Source text of every VBA module in a ``vbaProject.bin``, by module stream name."""
    ole = _CompoundFile(vba_project)
    offsets = _module_offsets(decompress(ole.stream("VBA/dir")))
    return {
        name: decompress(ole.stream(f"VBA/{name}")[offset:]).decode("cp1252")
        for name, offset in offsets.items()
    }


def read_vba_project(workbook: Path) -> bytes:
    """The ``xl/vbaProject.bin`` of an ``.xlsm`` file."""
    with zipfile.ZipFile(workbook) as archive:
        return archive.read("xl/vbaProject.bin")
