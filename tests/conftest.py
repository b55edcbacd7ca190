"""Shared fixtures and the LibreOffice rule: tests marked ``libreoffice`` skip locally without it, fail in CI."""

from __future__ import annotations

import os
import shutil

import pytest

from jbjr_budget.rules.catalog import Catalog, load_catalog
from jbjr_budget.rules.parameters import ParameterTree, load_parameters


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip LibreOffice tests when soffice is missing, except in CI where that is an error."""
    if shutil.which("soffice") or not any("libreoffice" in item.keywords for item in items):
        return
    if os.environ.get("CI"):
        pytest.exit("LibreOffice (soffice) ontbreekt in CI: .ci/run hoort het te installeren.", returncode=1)
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is niet geïnstalleerd")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tree() -> ParameterTree:
    return load_parameters()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
