"""Money: the one rounding rule, and euros for worksheet cells computed a column at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jbjr_budget.rules.money import cents_to_euro, euro_floats


@given(st.lists(st.integers(min_value=-(2**53), max_value=2**53), max_size=50))
def test_euro_floats_equal_the_exact_amounts_as_floats(cents: list[int]) -> None:
    # A second method: the exact Decimal amount, converted to the nearest float.
    assert euro_floats(np.array(cents, dtype=np.int64)) == [float(cents_to_euro(c)) for c in cents]
