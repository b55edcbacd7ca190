"""OFFSET and INDIRECT, worked by hand: the ranges they compute, and formulas they read that are computed later."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jbjr_budget.formula_engine.values import ExcelError

REF = ExcelError("#REF!")
DATA = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": 10.0, "B2": 20.0, "B3": 30.0, "C1": "B2", "C2": "R3C2"}


@pytest.mark.parametrize(("formula", "expected"), [
    ("=OFFSET(A1,1,1)", 20.0),
    ("=SUM(OFFSET(A1,0,0,3,2))", 66.0),
    ("=SUM(OFFSET(A1:B3,1,0,2))", 55.0),  # the height changes, the width (2) stays
    ("=SUM(OFFSET(B3,0,0,-2,1))", 50.0),  # a negative height reaches upward: B2:B3
    ("=ROWS(OFFSET(A1,0,0,5,1))", 5.0),
    ("=OFFSET(A1,-1,0)", REF),
    ("=OFFSET(A1,0,0,0,1)", REF),
    ("=OFFSET(5,0,0)", ExcelError("#VALUE!")),
    ('=INDIRECT("B3")', 30.0),
    ('=INDIRECT("Blad!A"&2)', 2.0),
    ("=INDIRECT(C1)*2", 40.0),
    ('=SUM(INDIRECT("A1:B2"))', 33.0),
    ('=INDIRECT(C2,FALSE)', 30.0),
    ('=INDIRECT("R[-9]C[-2]",FALSE)', 20.0),  # from D11: nine rows up, two columns left is B2
    ('=INDIRECT("Geen!A1")', REF),
    ('=INDIRECT("geen adres")', REF),
])
def test_computed_references(sheet_formulas: Callable[..., dict[str, object]], formula: str, expected: object) -> None:
    assert sheet_formulas({**DATA, "D11": formula})["D11"] == expected


def test_a_computed_range_holding_formulas_not_yet_evaluated_is_read_after_them(
        sheet_formulas: Callable[..., dict[str, object]]) -> None:
    # A1 names only B1 itself; B2:B4 are read through OFFSET and hold formulas that depend on A5 and on each other.
    results = sheet_formulas({"A1": "=SUM(OFFSET(B1,1,0,3,1))", "A2": '=SUM(INDIRECT("C1:C2"))',
                              "B2": "=B3+1", "B3": "=B4+1", "B4": "=A5*2", "A5": 5.0, "C1": "=B2*10", "C2": "=A1"})
    assert results["A1"] == 11.0 + 12.0 + 10.0
    assert results["A2"] == 120.0 + 33.0
