"""Dynamic-array functions, worked by hand (LibreOffice 7.4 lacks all but TRANSPOSE): each result read through
INDEX, ROWS, COLUMNS or an aggregate, as plain formulas in a file do."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jbjr_budget.formula_engine.values import ExcelError

CALC = ExcelError("#CALC!")
# A: code, B: amount, C: kind; rows 1-6.
DATA = {f"{col}{row}": value for row, values in enumerate(
    [("b", 30.0, "JB"), ("a", 10.0, "JR"), ("C", 20.0, "JB"), ("a", 40.0, "JB"), ("B", 10.0, "JR"), ("d", None, "JB")],
    start=1) for col, value in zip("ABC", values, strict=True)}


@pytest.mark.parametrize(("formula", "expected"), [
    ("=SUM(_xlfn.SEQUENCE(4))", 10.0),
    ("=INDEX(_xlfn.SEQUENCE(2,3,10,5),2,1)", 25.0),
    ("=COLUMNS(_xlfn.SEQUENCE(2,3))", 3.0),
    ("=_xlfn.SEQUENCE(0)", CALC),
    ("=SUM(_xlfn._xlws.FILTER(B1:B6,C1:C6=\"JB\"))", 90.0),
    ("=ROWS(_xlfn._xlws.FILTER(A1:C6,B1:B6>15))", 3.0),
    ("=INDEX(_xlfn._xlws.FILTER(A1:C6,B1:B6>15),2,1)", "C"),
    ("=_xlfn._xlws.FILTER(B1:B6,C1:C6=\"X\",\"geen\")", "geen"),
    ("=_xlfn._xlws.FILTER(B1:B6,C1:C6=\"X\")", CALC),
    ("=INDEX(_xlfn._xlws.FILTER(B1:B6,A1:A6=\"d\"),1)", 0.0),  # a blank comes out as 0
    ("=INDEX(_xlfn._xlws.SORT(B1:B6),1)", 10.0),
    ("=INDEX(_xlfn._xlws.SORT(B1:B6,1,-1),1)", 40.0),
    ("=INDEX(_xlfn._xlws.SORT(A1:A6),3)", "b"),  # a, a, b, B, C, d: without case, stable
    ("=INDEX(_xlfn._xlws.SORT(A1:B6,2,1),1,1)", "a"),
    ("=INDEX(_xlfn._xlws.SORT(A1:B6,2,1),2,1)", "B"),
    ("=INDEX(_xlfn.SORTBY(A1:A6,B1:B6,-1),1)", "a"),
    ("=INDEX(_xlfn.SORTBY(A1:A6,C1:C6,1,B1:B6,-1),1)", "a"),  # JB first, then 40 before 30
    ("=ROWS(_xlfn.UNIQUE(A1:A6))", 4.0),  # b, a, C, d: UNIQUE ignores case
    ("=ROWS(_xlfn.UNIQUE(C1:C6))", 2.0),
    ("=INDEX(_xlfn.UNIQUE(A1:A6,FALSE,TRUE),2)", "d"),  # occurring once: C and d
    ("=COLUMNS(_xlfn.UNIQUE(_xlfn.TRANSPOSE(C1:C6),TRUE))", 2.0),
    ("=SUM(_xlfn.VSTACK(B1:B2,B3:B4))", 100.0),
    ("=INDEX(_xlfn.HSTACK(A1:A2,B1),2,2)", ExcelError("#N/A")),
    ("=ROWS(_xlfn.TOCOL(A1:B6,1))", 11.0),
    ("=COLUMNS(_xlfn.TOROW(A1:B2))", 4.0),
    ("=SUM(_xlfn.TAKE(B1:B6,2))", 40.0),
    ("=SUM(_xlfn.TAKE(B1:B6,-2))", 10.0),
    ("=SUM(_xlfn.DROP(B1:B6,4))", 10.0),
    ("=INDEX(_xlfn.CHOOSEROWS(A1:A6,-1,1),1)", "d"),
    ("=INDEX(_xlfn.CHOOSECOLS(A1:C6,3,1),1,2)", "b"),
    ("=SUM(_xlfn.MAP(_xlfn.SEQUENCE(3),_xlfn.LAMBDA(_xlpm.x,_xlpm.x^2)))", 14.0),
])
def test_dynamic_arrays(sheet_formulas: Callable[..., dict[str, object]], formula: str, expected: object) -> None:
    assert sheet_formulas({**DATA, "E1": formula})["E1"] == expected
