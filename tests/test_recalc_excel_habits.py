"""Habits of Excel that the corpus of workbooks people built brought to light (see tests/excel_corpus).

Each expected value is what Excel shows or stored: the value in the corpus workbook named, Microsoft's
documentation, or a value Excel users reported; hand-worked values say how they follow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from recalc_cases.workbooks import evaluated, value_at

# Three amounts from a report of Excel 2003's results (A1-A3+A2 is not zero there).
AMOUNTS = {"A1": 818562.54, "A2": -40026.44, "A3": 778536.1}


@pytest.mark.parametrize(("formula", "expected"), [
    ("=0.5-0.4-0.1", 0.0),  # Microsoft (KB 78113): a result at or very close to zero is corrected to 0
    ("=(0.5-0.4-0.1)", (0.5 - 0.4) - 0.1),  # in parentheses it is not: Excel shows -2.77556E-17
    ("=1*(0.5-0.4-0.1)", (0.5 - 0.4) - 0.1),  # nor when another operation comes last (Microsoft's example)
    ("=0=0.5-0.4-0.1", False),  # the comparison comes last; Excel users report FALSE
    ("=52.8-8.8*6", 0.0),  # reported: 0, and in parentheses -7.105427357601E-15, which is -2^-47
    ("=(52.8-8.8*6)", -(2.0**-47)),
    ("=1.333+1.225-1.333-1.225", 0.0),  # Microsoft's example for Excel 97 and later
    ("=A1-A3+A2", 2.0**-34),  # reported 0.0000000000582077: 49 binary orders below 40026.44, not zeroed
    ("=SUM(0.5-0.4-0.1)", (0.5 - 0.4) - 0.1),  # a function comes last
])
def test_a_formulas_last_addition_or_subtraction_cancels_to_zero(tmp_path: Path, formula: str,
                                                                 expected: object) -> None:
    # lifelib's cash_value_sample.xlsx: =X24-AF23 of two account values one unit in the last place apart,
    # stored as 0 by Excel, came out -7.45E-9 before; this is the rule behind it.
    assert value_at(evaluated(tmp_path, {**AMOUNTS, "B1": formula}), "B1") == expected


def test_a_text_constant_over_255_characters(tmp_path: Path) -> None:
    # Excel stores a longer text constant in pieces of 255: _xlfn._LONGTEXT("...","...") (premise's lci-PV.xlsx).
    long = "a" * 255 + "b" * 45
    formula = f'=_xlfn._LONGTEXT("{long[:255]}","{long[255:]}")&"!"'
    assert value_at(evaluated(tmp_path, {"B1": formula}), "B1") == long + "!"


def test_true_and_one_are_different_formulas(tmp_path: Path) -> None:
    # premise's lci-two_wheelers.xlsx holds <f>1</f><v>1</v>; after a =TRUE elsewhere it came out TRUE.
    evaluator = evaluated(tmp_path, {"A1": "=TRUE", "A2": "=1", "A3": "=FALSE", "A4": "=0"})
    found = [value_at(evaluator, address) for address in ("A1", "A2", "A3", "A4")]
    assert [(type(value), value) for value in found] == [(bool, True), (float, 1.0), (bool, False), (float, 0.0)]


@pytest.mark.parametrize(("formula", "expected"), [
    ('="x"&VLOOKUP("k",A1:B2,2,FALSE)', "x"),  # premise's lci-PV.xlsx: "volume:  GWh" where B was empty
    ('="x"&HLOOKUP("k",A1:B2,2,FALSE)', "xm"),
    ('="x"&LOOKUP("k",A1:A2,B1:B2)', "x"),
    ('=VLOOKUP("k",A1:B2,2,FALSE)', 0.0),  # the cell itself shows 0, as any formula giving an empty cell
    ('=VLOOKUP("k",A1:B2,2,FALSE)+1', 1.0),
])
def test_a_lookup_of_an_empty_cell_joins_as_empty_text(tmp_path: Path, formula: str, expected: object) -> None:
    # The well-known =VLOOKUP(...)&"" shows an empty cell as empty instead of 0 for this reason.
    evaluator = evaluated(tmp_path, {"A1": "k", "A2": "m", "B2": 5.0, "C1": formula})
    assert value_at(evaluator, "C1") == expected


@pytest.mark.parametrize(("formula", "expected"), [
    ('=ISBLANK(VLOOKUP("k",A1:B2,2,FALSE))', True),
    ('=LEN(VLOOKUP("k",A1:B2,2,FALSE))', 0.0),
    ('=IF(ISBLANK(VLOOKUP("k",A1:B2,2,FALSE)),"",VLOOKUP("k",A1:B2,2,FALSE))', ""),
    ('=ISBLANK(VLOOKUP("m",A1:B2,2,FALSE))', False),
])
def test_a_lookup_of_an_empty_cell_is_blank_to_isblank_and_len(tmp_path: Path, formula: str,
                                                              expected: object) -> None:
    # Walkenbach, Excel 2007 Formulas, "When a Blank Is Not a Zero": a lookup of an empty cell shows 0, yet
    # LEN of it is 0 and ISBLANK of it is TRUE, so IF(ISBLANK(VLOOKUP(...)),"",VLOOKUP(...)) shows it empty.
    evaluator = evaluated(tmp_path, {"A1": "k", "A2": "m", "B2": 5.0, "C1": formula})
    assert value_at(evaluator, "C1") == expected
