"""Compiled parameter trees: read back exactly as the YAML says, never stale, never in the way."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from jbjr_budget.rules import parameters
from jbjr_budget.rules.compiled import PACKAGE, cache_folder, compiled_yaml
from jbjr_budget.rules.parameters import BUNDLED, load_parameters
from jbjr_budget.rules.strict_yaml import read_yaml

JAN_2026 = dt.date(2026, 1, 1)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JBJR_CACHE", str(folder))
    parameters._bundled.cache_clear()  # what a new process would see
    yield folder
    parameters._bundled.cache_clear()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "parameters"
    shutil.copytree(BUNDLED, copy)
    return copy


def _as_read(root: Path) -> list[tuple[str, str, str, list[str]]]:
    """Every parameter with its values as ``repr`` (a Decimal stays a Decimal, an int an int)."""
    return [(p.path, p.description, p.unit, [repr(v) for v in p.values]) for p in load_parameters(root=root)]


def test_a_compiled_tree_equals_the_yaml_in_value_and_type(
    cache: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JBJR_CACHE", "uit")
    from_yaml = _as_read(root)
    monkeypatch.setenv("JBJR_CACHE", str(cache))
    parameters._bundled.cache_clear()
    _as_read(root)  # parses and stores the compiled form
    assert len(list(cache.glob("parameters-*.json"))) == 1
    parameters._bundled.cache_clear()
    assert _as_read(root) == from_yaml  # read from the compiled form


def test_a_changed_source_is_read_again(cache: Path, root: Path) -> None:
    load_parameters(root=root)
    with (root / "normen" / "caseload.yaml").open("a", encoding="utf-8") as file:
        file.write("\ntoets:\n  metadata: {unit: /1}\n  values:\n    2026-01-01: {value: 9.5, reference: Toets}\n")
    parameters._bundled.cache_clear()
    assert load_parameters(root=root).value("normen.caseload.toets", JAN_2026) == Decimal("9.5")
    assert len(list(cache.glob("parameters-*.json"))) == 2


def test_a_damaged_compiled_form_is_ignored_and_replaced(cache: Path, root: Path) -> None:
    expected = _as_read(root)
    (stored,) = cache.glob("parameters-*.json")
    stored.write_text('[["tarieven.landelijk.48A04"', encoding="utf-8")
    parameters._bundled.cache_clear()
    assert _as_read(root) == expected
    assert stored.read_text(encoding="utf-8").startswith("[[")
    parameters._bundled.cache_clear()
    assert _as_read(root) == expected


def test_off_and_unwritable_caches_change_nothing(cache: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JBJR_CACHE", "uit")
    assert cache_folder() is None
    expected = _as_read(root)
    blocked = cache.parent / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    monkeypatch.setenv("JBJR_CACHE", str(blocked / "cache"))
    parameters._bundled.cache_clear()
    assert _as_read(root) == expected
    assert not cache.exists()


PACKAGE_YAML = sorted(PACKAGE.rglob("*.yaml"))


@pytest.mark.parametrize("file", PACKAGE_YAML, ids=[str(f.relative_to(PACKAGE)) for f in PACKAGE_YAML])
def test_a_package_yaml_file_reads_back_exactly_from_its_compiled_form(cache: Path, file: Path) -> None:
    expected = repr(read_yaml(file))  # types too: a Decimal stays a Decimal, a date key a date
    assert repr(compiled_yaml(file)) == expected  # parsed and stored
    assert len(list(cache.glob("yaml-*.json"))) == 1
    assert repr(compiled_yaml(file)) == expected  # read from the compiled form


def test_a_users_yaml_file_is_read_each_time_not_kept(cache: Path, tmp_path: Path) -> None:
    own = tmp_path / "eigen.yaml"
    own.write_text("tarieven: {}\n", encoding="utf-8")
    assert compiled_yaml(own) == {"tarieven": {}}
    assert not list(cache.glob("yaml-*.json"))
