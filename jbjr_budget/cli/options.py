"""Argument types shared by the subcommands: years, input paths and output paths, checked before any work.

Each raises ``argparse.ArgumentTypeError`` with a Dutch reason, so a wrong
argument is a usage error (exit code 2) before anything is computed or written.
"""

from __future__ import annotations

import argparse
import errno
import re
import tempfile
from pathlib import Path

__all__ = ["existing_path", "os_error_text", "output_file", "output_folder", "year", "years"]

YEAR = re.compile(r"\d{4}")
ERRNO_TEXT = {
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EACCES: "geen toestemming om hier te schrijven",
    errno.EPERM: "geen toestemming om hier te schrijven",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOENT: "bestaat niet",
    errno.EEXIST: "bestaat al en is geen map",
    errno.ENOSPC: "schijf vol",
}


def year(text: str) -> int:
    """A year written with four digits.

    Examples:
        >>> year("2027")
        2027
    """
    if not YEAR.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"een jaartal met vier cijfers, bijv. 2026, niet '{text}'")
    return int(text)


def years(text: str) -> range:
    """``2026-2030`` or ``2026``: the years from the first to the last, both included.

    Examples:
        >>> years("2026-2028"), years("2027")
        (range(2026, 2029), range(2027, 2028))
    """
    first, dash, last = text.strip().partition("-")
    if not YEAR.fullmatch(first.strip()) or (dash and not YEAR.fullmatch(last.strip())):
        raise argparse.ArgumentTypeError(f"jaren met vier cijfers, bijv. 2026-2030 of 2026, niet '{text}'")
    start, end = int(first), int(last or first)
    if end < start:
        raise argparse.ArgumentTypeError(f"begin met het eerste jaar: {end}-{start}, niet {start}-{end}")
    return range(start, end + 1)


def existing_path(text: str) -> Path:
    """A file or folder that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"'{text}' bestaat niet")
    return path


def _existing_ancestor(path: Path) -> Path:
    for candidate in [path, *path.absolute().parents]:
        if candidate.exists():
            return candidate
    return Path(path.anchor)


def _writable_folder(path: Path, text: str) -> None:
    """Refuse when the folder ``path`` cannot be created or written in."""
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}': '{ancestor}' is een bestand, geen map")
    try:
        with tempfile.TemporaryFile(dir=ancestor):  # the one reliable test; removed on closing
            pass
    except OSError:
        raise argparse.ArgumentTypeError(f"'{text}': in '{ancestor}' kan niet worden geschreven") from None


def output_file(text: str) -> Path:
    """A file to write: not a folder, in a folder that exists or can be made and written in."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is een map; geef een bestandsnaam")
    _writable_folder(path.parent, text)
    return path


def output_folder(text: str) -> Path:
    """A folder to write in: an existing folder, or one that can be made (not an existing file)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is een bestand; geef een map")
    _writable_folder(path, text)
    return path


def os_error_text(exc: OSError) -> str:
    """A failed file operation in Dutch: which path and why.

    Examples:
        >>> os_error_text(IsADirectoryError(errno.EISDIR, "Is a directory", "uit"))
        "bestandsfout bij 'uit': is een map"
    """
    reason = ERRNO_TEXT.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"bestandsfout bij '{exc.filename}': {reason}" if exc.filename else f"bestandsfout: {reason}"
