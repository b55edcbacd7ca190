"""Shared fixtures: the bundled parameter tree and catalogue (loaded once per session)."""

from __future__ import annotations

import pytest

from jbjr_budget.catalog import Catalog, load_catalog
from jbjr_budget.parameter_tree import ParameterTree, load_parameters


@pytest.fixture(scope="session")
def tree() -> ParameterTree:
    return load_parameters()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
