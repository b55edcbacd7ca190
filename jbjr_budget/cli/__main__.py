"""``python -m jbjr_budget.cli``: the same as the ``jbjr-budget`` command."""

import sys

from jbjr_budget.cli import main

sys.exit(main())
