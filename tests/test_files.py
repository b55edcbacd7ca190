"""Atomic writes: all or nothing, with ordinary file permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jbjr_budget.atomic_write import atomic_path


def test_success_replaces_target_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sjabloon.xlsx"
    target.write_text("oud")
    old_mask = os.umask(0o022)
    try:
        with atomic_path(target) as temporary:
            temporary.write_text("nieuw")
    finally:
        os.umask(old_mask)
    assert target.read_text() == "nieuw"
    assert target.stat().st_mode & 0o777 == 0o644  # 0o666 less umask 0o022, not mkstemp's 0o600
    assert list(tmp_path.iterdir()) == [target]


def test_failure_leaves_target_untouched_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "rapportage.xlsx"
    target.write_text("oud")

    def write_half_then_fail() -> None:
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("afgebroken")

    with pytest.raises(RuntimeError):
        write_half_then_fail()
    assert target.read_text() == "oud"
    assert list(tmp_path.iterdir()) == [target]
