"""Compiled forms of the bundled YAML sources, kept across processes so a first lookup is fast.

Reading the bundled parameters with the strict YAML loader takes tens of milliseconds: most of
the first worksheet function call of an Excel session. Once read and checked, they are stored as
JSON in the user's cache folder under a fingerprint of the sources' bytes; so are the catalogue and
the scenarios (:func:`compiled_yaml`), so a process that finds them all never imports PyYAML. A
changed source has another fingerprint and is read and checked again, so a compiled form is never
stale. The cache is a convenience only: an unreadable, damaged or unwritable one is ignored.
``JBJR_CACHE`` names another folder; ``JBJR_CACHE=uit`` turns the cache off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from jbjr_budget.atomic_write import atomic_path
from jbjr_budget.rules.strict_yaml import read_yaml

__all__ = ["FORMAT", "PACKAGE", "cache_folder", "compiled", "compiled_yaml", "fingerprint"]

FORMAT = "1"
"""Raised when the layout of a compiled form changes, so older forms are not read."""
KEEP = 8
"""Compiled forms kept per kind (older ones, of sources since changed, are removed)."""
T = TypeVar("T")
PACKAGE = Path(str(resources.files("jbjr_budget")))
"""The package's own data files (catalogue, scenarios) have compiled forms; a user's files are read each time."""


def cache_folder() -> Path | None:
    """Where compiled forms live: ``JBJR_CACHE``, else the platform's user cache folder; ``None`` when off."""
    chosen = os.environ.get("JBJR_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "uit", "0") else Path(chosen)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "jbjr_budget" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jbjr_budget"


def fingerprint(root: Path, files: Iterable[Path]) -> str:
    """Hash of the format, the files' names relative to ``root`` and their bytes."""
    digest = hashlib.blake2b(FORMAT.encode(), digest_size=16)
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def compiled(
    kind: str, key: str, build: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]
) -> T:
    """The value of ``kind`` for the sources with fingerprint ``key``: from the cache, else ``build()``.

    ``encode`` turns the value into JSON data and ``decode`` back; a value just
    built is stored for the next process.
    """
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{kind}-{key}.json"
    try:
        return decode(json.loads(path.read_bytes()))
    except Exception:  # missing, damaged or of another layout: read the sources
        value = build()
    _store(path, encode(value))
    return value


def _store(path: Path, data: object) -> None:
    try:
        with atomic_path(path) as temporary:
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        kind = path.name.rsplit("-", 1)[0]
        older = sorted(path.parent.glob(f"{kind}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the next process reads the sources again
        return


def compiled_yaml(file: Path) -> object:
    """The content of a YAML file as :func:`~.strict_yaml.read_yaml` gives it; a package file from its compiled form."""
    if not file.is_relative_to(PACKAGE):
        return read_yaml(file)
    kind = f"yaml-{file.parent.name}-{file.stem}"
    return compiled(kind, fingerprint(file.parent, [file]), lambda: read_yaml(file), _json_data, _yaml_data)


def _json_data(value: object) -> object:
    """YAML data as JSON data: mappings (of any keys) as pairs, decimals and dates tagged, so they read back exactly."""
    if isinstance(value, dict):
        return {"m": [[_json_data(key), _json_data(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return {"l": [_json_data(item) for item in value]}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": value.isoformat()}
    return value


def _yaml_data(value: Any) -> object:  # noqa: ANN401 - JSON data of any shape
    """Inverse of :func:`_json_data`."""
    if not isinstance(value, dict):
        return value
    ((tag, content),) = value.items()
    if tag == "m":
        return {_yaml_data(key): _yaml_data(item) for key, item in content}
    if tag == "l":
        return [_yaml_data(item) for item in content]
    if tag == "d":
        return Decimal(content)
    return dt.datetime.fromisoformat(content) if tag == "dt" else dt.date.fromisoformat(content)
