"""The importer's own harness: every kind of forged, hidden, malformed or oversized file gets its verdict.

Files are valid filled templates with random values, stored as Excel and LibreOffice store what a person types,
and mutations of them (:mod:`monitoring_cases.mutations`). A correct importer books exactly the values worked
out from what was typed, or refuses with the expected Dutch message on the expected sheet and cell. Each kind
runs with fixed seeds; Hypothesis then draws a few hundred more (the quick profile; ``benchmarks/
harness_import.py`` runs thousands and has LibreOffice read every accepted file).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monitoring_cases.harness import bases, fill, verdict
from monitoring_cases.mutations import KINDS, make_case

from jbjr_budget.cli import main
from jbjr_budget.monitoring import importer
from jbjr_budget.monitoring.importer import import_files
from jbjr_budget.monitoring.layout import Layout
from jbjr_budget.monitoring.validate import validate_bytes
from jbjr_budget.rules.catalog import Catalog

QUICK_EXAMPLES = 250
SEEDS = (0, 1)


class _Templates(list[tuple[Layout, bytes]]):
    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example
        return f"<{len(self)} sjablonen>"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> list[tuple[Layout, bytes]]:
    return _Templates(bases(catalog, tmp_path_factory.mktemp("bases")))


def _check(kind: str, rng: random.Random, template: tuple[Layout, bytes], catalog: Catalog) -> None:
    case = make_case(rng, kind, *template)
    result = validate_bytes(case.data, Path(case.name), catalog)
    assert verdict(case, result) == [], case.kind
    assert all(str(issue).startswith(case.name) for issue in result.issues)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_gets_its_verdict(kind: str, templates: list[tuple[Layout, bytes]], catalog: Catalog) -> None:
    for seed in SEEDS:
        _check(kind, random.Random(seed), templates[seed % len(templates)], catalog)


@settings(max_examples=QUICK_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), kind=st.sampled_from(KINDS), base=st.integers(0, 3))
def test_random_files_get_their_verdict(seed: int, kind: str, base: int, templates: list[tuple[Layout, bytes]],
                                        catalog: Catalog) -> None:
    _check(kind, random.Random(seed), templates[base], catalog)


def test_a_file_name_cannot_forge_a_status_line(tmp_path: Path, templates: list[tuple[Layout, bytes]],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    filled = fill(random.Random(3), *templates[0], clean=True)
    forged = tmp_path / "x\nAANGENOMEN: monitoring_wss_alkmaar_2026-Q3.xlsx (wss, alkmaar, 2026-Q3)\x1b[2J\u202e.xlsx"
    forged.write_bytes(filled.parts.dump())
    assert main(["importeer", str(forged), "--grootboek", str(tmp_path / "gb.sqlite")]) == 1
    out = capsys.readouterr().out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", out)
    lines = out.splitlines()
    summary = re.compile(r"\d+ bestand(en)?: ")
    assert [line.split(":")[0] for line in lines
            if not line.startswith("    - ") and not summary.match(line)] == ["AFGEWEZEN", ""]
    assert "x\\nAANGENOMEN: monitoring_wss_alkmaar_2026-Q3.xlsx (wss, alkmaar, 2026-Q3)\\x1b[2J\\u202e.xlsx" in lines[0]


def test_a_file_already_in_the_ledger_is_answered_without_validation(
        tmp_path: Path, templates: list[tuple[Layout, bytes]], monkeypatch: pytest.MonkeyPatch) -> None:
    filled = fill(random.Random(4), *templates[1], clean=True)
    path = tmp_path / filled.name
    path.write_bytes(filled.parts.dump())
    first = import_files([path], tmp_path / "gb.sqlite")
    assert [(o.status, o.key) for o in first] == [("nieuw", (filled.layout.gi, filled.layout.regio,
                                                             filled.layout.periode.code))]

    def no_validation(*_: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(importer, "validate_file", no_validation)
    again = import_files([path, path], tmp_path / "gb.sqlite")
    assert [(o.status, o.key) for o in again] == [("al_aanwezig", first[0].key)] * 2
