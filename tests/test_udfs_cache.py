"""Kept results of the worksheet functions: one computation per call, never stale, never shared mutable."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from jbjr_budget.rules import parameters
from jbjr_budget.rules.parameters import BUNDLED
from jbjr_budget.rules.user_folder import USER_FOLDER_VAR
from udfs import EXCEL_FUNCTIONS, cache, convert


@pytest.fixture
def counted() -> tuple[list[tuple[object, ...]], object]:
    calls: list[tuple[object, ...]] = []

    @cache.cached
    def jbjr_teller(*args: object) -> object:
        calls.append(args)
        if args == ("fout",):
            raise ValueError("fout")
        return [[len(calls), "a"], [2, "b"]] if args == ("tabel",) else len(calls)

    cache.new_generation()
    return calls, jbjr_teller


def test_the_same_call_is_computed_once(counted) -> None:
    calls, function = counted
    assert function(2026.0, [[1, 2]]) == function(2026.0, [[1, 2]]) == 1
    assert len(calls) == 1


def test_cells_of_another_type_are_other_calls(counted) -> None:
    calls, function = counted
    for cell in (1, 1.0, True, 0.0, -0.0, "1", dt.date(2026, 1, 1)):
        function(cell)
        function(cell)
    assert len(calls) == 7  # 1, 1.0 and WAAR differ in Excel; so do 0 and -0


def test_a_table_handed_out_cannot_change_what_the_next_caller_gets(counted) -> None:
    calls, function = counted
    first = function("tabel")
    first[0][1] = "veranderd"
    first.append(["erbij"])
    second = function("tabel")
    assert second == [[1, "a"], [2, "b"]]
    second[1][0] = 99
    assert function("tabel") == [[1, "a"], [2, "b"]]
    assert len(calls) == 1


def test_errors_and_unhashable_cells_are_not_kept(counted) -> None:
    calls, function = counted
    for _ in range(2):
        with pytest.raises(ValueError, match="fout"):
            function("fout")
        function({"niet": "hashbaar"})
    assert len(calls) == 4


def test_results_follow_reloaded_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    norm = EXCEL_FUNCTIONS["JBJR_PARAMETER"]
    convert.reload()
    assert norm("normen.caseload.gehanteerd", 2026) == 12  # kept from here on
    changed = tmp_path / "parameters"
    shutil.copytree(BUNDLED, changed)
    with (changed / "normen" / "caseload.yaml").open("a", encoding="utf-8") as file:
        file.write("\ntoets:\n  metadata: {unit: /1}\n  values:\n    2026-01-01: {value: 9.5, reference: Toets}\n")
    monkeypatch.setattr(convert, "load_parameters", lambda: parameters.load_parameters(root=changed))
    assert norm("normen.caseload.toets", 2026).startswith("#JBJR!")  # the trees in use do not know it yet
    convert.reload()
    assert norm("normen.caseload.toets", 2026) == 9.5  # a new generation: nothing stale is handed out
    monkeypatch.undo()
    convert.reload()


def test_a_changed_own_parameter_file_is_read_at_the_next_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every tree includes the user's own parameter folder; a file changed during an Excel session (e.g. by
    # jbjr-budget parameters importeer) must reach the next call, kept result or not.
    monkeypatch.setenv(USER_FOLDER_VAR, str(tmp_path))
    own = tmp_path / "eigen.yaml"
    norm = EXCEL_FUNCTIONS["JBJR_PARAMETER"]

    def write(value: str, stamp: int) -> None:
        own.write_text("normen:\n  caseload:\n    gehanteerd:\n      values:\n"
                       f"        2026-01-01: {{value: {value}, reference: 'Eigen norm'}}\n", encoding="utf-8")
        os.utime(own, ns=(stamp, stamp))

    write("14", 1_000_000_000)
    assert norm("normen.caseload.gehanteerd", 2026) == 14
    assert norm("normen.caseload.gehanteerd", 2026) == 14  # kept
    write("15", 2_000_000_000)
    assert norm("normen.caseload.gehanteerd", 2026) == 15
    own.unlink()
    assert norm("normen.caseload.gehanteerd", 2026) == 12  # the bundled norm again
