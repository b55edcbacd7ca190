"""LET, LAMBDA and the LAMBDA helpers, worked by hand (LibreOffice 7.4 has none of them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.values import ExcelError

DATA = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": 10.0, "B2": 20.0, "B3": 30.0}


@pytest.mark.parametrize(("formula", "expected"), [
    ("=_xlfn.LET(_xlpm.x,5,_xlpm.x*2)", 10.0),
    ("=_xlfn.LET(_xlpm.x,5,_xlpm.y,_xlpm.x+1,_xlpm.x*_xlpm.y)", 30.0),
    ("=_xlfn.LET(_xlpm.r,A1:A3,SUM(_xlpm.r)*2)", 12.0),
    ("=_xlfn.LET(_xlpm.x,1,_xlfn.LET(_xlpm.x,2,_xlpm.x)+_xlpm.x)", 3.0),  # the inner x shadows, then ends
    ("=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.v,_xlpm.v*_xlpm.v),_xlpm.f(4)+_xlpm.f(A2))", 20.0),
    ("=_xlfn.LET(_xlpm.x,1/0,5)", 5.0),  # an unused error does not leak out
    ("=_xlfn.LAMBDA(_xlpm.v,_xlpm.v+1)", ExcelError("#CALC!")),
    ("=SUM(_xlfn.MAP(A1:A3,_xlfn.LAMBDA(_xlpm.v,_xlpm.v*2)))", 12.0),
    ("=SUM(_xlfn.MAP(A1:A3,B1:B3,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b)))", 140.0),
    ("=_xlfn.REDUCE(0,A1:B3,_xlfn.LAMBDA(_xlpm.t,_xlpm.v,_xlpm.t+_xlpm.v^2))", 1414.0),
    ("=INDEX(_xlfn.SCAN(0,A1:A3,_xlfn.LAMBDA(_xlpm.t,_xlpm.v,_xlpm.t+_xlpm.v)),3)", 6.0),
    ("=SUM(_xlfn.BYROW(A1:B3,_xlfn.LAMBDA(_xlpm.r,MAX(_xlpm.r))))", 60.0),
    ("=INDEX(_xlfn.BYCOL(A1:B3,_xlfn.LAMBDA(_xlpm.c,SUM(_xlpm.c))),1,2)", 60.0),
    ("=SUM(_xlfn.MAKEARRAY(2,3,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r*_xlpm.c)))", 18.0),
    ("=Kwadraat(7)", 49.0),
    ("=Faculteit(5)", 120.0),  # a named LAMBDA that calls itself
    ("=SUM(_xlfn.MAP(A1:A3,Kwadraat))", 14.0),
])
def test_let_and_lambda(tmp_path: Path, formula: str, expected: object) -> None:
    wb = Workbook()
    ws = wb.active
    for address, value in {**DATA, "D1": formula}.items():
        ws[address] = value
    wb.defined_names["Kwadraat"] = DefinedName("Kwadraat", attr_text="_xlfn.LAMBDA(_xlpm.x,_xlpm.x*_xlpm.x)")
    wb.defined_names["Faculteit"] = DefinedName(
        "Faculteit", attr_text="_xlfn.LAMBDA(_xlpm.n,IF(_xlpm.n<=1,1,_xlpm.n*Faculteit(_xlpm.n-1)))")
    path = tmp_path / "lambda.xlsx"
    wb.save(path)
    evaluator = evaluate(read_book(path), {})
    assert not [issue for issue in evaluator.issues if issue.fatal]
    results = {evaluator.describe(key)[1]: value for key, value in evaluator.results.items()}
    assert results["D1"] == expected


