"""Every kind of file the importer's harness makes: random fills and mutations of clean ones."""

from __future__ import annotations

import random

from jbjr_budget.monitoring.layout import Layout
from monitoring_cases.harness import Case, fill
from monitoring_cases.mutations_package import PACKAGE_KINDS
from monitoring_cases.mutations_values import VALUE_KINDS, Mutation


def random_fill(rng: random.Random, layout: Layout, template: bytes) -> Case:
    """Random values, sub-cent amounts and now and then a red Controle cell: accepted or refused as computed."""
    filled = fill(rng, layout, template, clean=False)
    if filled.issues:
        return Case("random_fill", filled.name, filled.parts.dump(), None, tuple(filled.issues))
    return Case("random_fill", filled.name, filled.parts.dump(), dict(filled.expected))


MUTATIONS: dict[str, Mutation] = {**VALUE_KINDS, **PACKAGE_KINDS}
KINDS = ("random_fill", *MUTATIONS)


def make_case(rng: random.Random, kind: str, layout: Layout, template: bytes) -> Case:
    """One file of ``kind`` built on ``template``."""
    if kind == "random_fill":
        return random_fill(rng, layout, template)
    return MUTATIONS[kind](rng, fill(rng, layout, template, clean=True))
