"""``python -m jbjr_budget.cli``: the same as the ``jbjr-budget`` command."""

from jbjr_budget.cli import entry

entry()
