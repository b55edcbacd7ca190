"""Column letters as Excel numbers its columns (A = 1, ..., Z = 26, AA = 27, ..., XFD = 16,384: its last)."""

from __future__ import annotations

import pytest

from jbjr_budget.a1 import column_letters, column_number


@pytest.mark.parametrize(("letters", "number"), [
    ("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("BA", 53), ("ZZ", 702), ("AAA", 703), ("XFD", 16_384),
])
def test_letters_and_numbers_both_ways(letters: str, number: int) -> None:
    # by hand: XFD = 24 x 26^2 + 6 x 26 + 4 = 16,224 + 156 + 4 = 16,384
    assert column_number(letters) == number
    assert column_letters(number) == letters
