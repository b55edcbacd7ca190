"""The evaluator on hand-worked cases: lookups, dates, criteria, names, spills, circular references, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from recalc_cases.workbooks import Cells, evaluated, value_at

from jbjr_budget.formula_engine.values import ExcelError

TABLE: Cells = {"A1": "48A04", "A2": "48A05", "A3": "47A01", "A4": "47A02",
                "B1": 10.0, "B2": 20.0, "B3": 30.0, "B4": 40.0}


@pytest.mark.parametrize(("formula", "expected"), [
    ('=_xlfn.XLOOKUP("47A01",A1:A4,B1:B4)', 30.0),
    ('=_xlfn.XLOOKUP("onbekend",A1:A4,B1:B4,"geen")', "geen"),
    ('=_xlfn.XLOOKUP("onbekend",A1:A4,B1:B4)', ExcelError("#N/A")),
    ("=_xlfn.XLOOKUP(25,B1:B4,A1:A4,,-1)", "48A05"),
    ("=_xlfn.XLOOKUP(25,B1:B4,A1:A4,,1)", "47A01"),
    ('=_xlfn.XLOOKUP("4*",A1:A4,B1:B4,,2,-1)', 40.0),
    ('=_xlfn.XLOOKUP("48a05",A1:A4,B1:B4)', 20.0),
    ("=VLOOKUP(25,B1:B4,1)", 20.0),
    ('=VLOOKUP("47A02",A1:B4,2,FALSE)', 40.0),
    ('=INDEX(A1:B4,MATCH("47A01",A1:A4,0),2)', 30.0),
    ("=INDEX(B1:B4,3)", 30.0),
    ("=SUM(INDEX(A1:B4,0,2))", 100.0),
    ("=SUM(B1:INDEX(B1:B4,2))", 30.0),
    ("=MATCH(35,B1:B4)", 3.0),
    ('=SUMIFS(B:B,A:A,"48*")', 30.0),
    ('=SUMIFS(B1:B4,A1:A4,"<>48A04",B1:B4,">=30")', 70.0),
    ('=COUNTIFS(A1:A4,"47A0?")', 2.0),
    ('=SUMIF(A1:A4,"4?A0*",B1:B4)', 100.0),
    ("=SUMPRODUCT((B1:B4>15)*B1:B4)", 90.0),
    ("=SUM(1:4)", 100.0),
    ("=ROUND(2.675,2)", 2.68),
    ("=ROUND(-2.5,0)", -3.0),
    ("=ROUNDUP(1.21,1)+ROUNDDOWN(-1.29,1)", 0.1),
    ("=ROUND(1234.5,-2)", 1200.0),
    ("=DATE(2024,14,1)", 45689.0),
    ("=EDATE(DATE(2024,1,31),1)", 45351.0),
    ("=EOMONTH(DATE(2023,2,10),12)", 45351.0),
    ("=YEAR(45351)*10000+MONTH(45351)*100+DAY(45351)", 20240229.0),
    ("=IFERROR(1/0,-1)", -1.0),
    ("=1/0", ExcelError("#DIV/0!")),
    ('=IF(AND(B1>5,OR(B2<0,B3=30)),"ja","nee")', "ja"),
    ("=MIN(B1:B4)+MAX(B1:B4)", 50.0),
    ('="Tarief "&B1&" euro"', "Tarief 10 euro"),
    ("=0.1+0.2=0.3", True),
    ("=-2^2", 4.0),
    ("=2^3^2", 64.0),
    ("=5%*B2", 1.0),
])
def test_hand_worked_formulas(tmp_path: Path, formula: str, expected: object) -> None:
    evaluator = evaluated(tmp_path, {**TABLE, "F10": formula})
    result = value_at(evaluator, "F10")
    if isinstance(expected, float):
        assert result == pytest.approx(expected, abs=1e-12)
    else:
        assert result == expected
    assert not [issue for issue in evaluator.issues if issue.fatal]


def test_circular_references_are_reported_per_cell(tmp_path: Path) -> None:
    evaluator = evaluated(tmp_path, {"A1": "=B1+1", "B1": "=A1*2", "C1": "=A1+5", "D1": "=D1", "E1": "=7"})
    circular = {(issue.sheet, issue.address) for issue in evaluator.issues if issue.kind == "kringverwijzing"}
    assert circular == {("Blad", "A1"), ("Blad", "B1"), ("Blad", "D1")}
    assert str(next(i for i in evaluator.issues if i.address == "A1")) == "Blad 'Blad', cel A1: kringverwijzing"
    assert isinstance(value_at(evaluator, "C1"), ExcelError)
    assert value_at(evaluator, "E1") == 7.0


def test_a_formula_that_reads_no_cell_of_its_circle_is_no_circular_reference(tmp_path: Path) -> None:
    # B3 names B:B, its own column, but a LOOKUP that finds nothing reads no result: Excel stored #N/A for this
    # formula in the corpus' lo-tdf134392. B5 reads B3 through the same circle; B6 really reads itself.
    evaluator = evaluated(tmp_path, {"A4": "1.1", "B3": "=LOOKUP(A3,A:A,B:B)", "B5": "=ISNA(B3)", "B6": "=B6+1"})
    assert [value_at(evaluator, a) for a in ("B3", "B5")] == [ExcelError("#N/A"), True]
    assert [(issue.address, issue.kind) for issue in evaluator.issues if issue.fatal] == [("B6", "kringverwijzing")]


def test_lookup_reads_only_the_result_it_finds(tmp_path: Path) -> None:
    evaluator = evaluated(tmp_path, {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B2": "x", "C1": "=LOOKUP(2.5,A1:A3,B1:B3)",
                                     "C2": "=LOOKUP(2,A1:A3,B1:B2)", "C3": "=LOOKUP(3,A1:A3,B1:B2)"})
    assert [value_at(evaluator, a) for a in ("C1", "C2", "C3")] == ["x", "x", ExcelError("#N/A")]


def test_unknown_functions_and_unreadable_formulas_are_issues_not_crashes(tmp_path: Path) -> None:
    evaluator = evaluated(tmp_path, {"A1": "=GEENFUNCTIE(1)", "A2": "=IFERROR(GEENFUNCTIE(1),0)",
                                     "A3": "=INFO(\"osversion\")", "A4": "=SUM(1,", "A5": "=1+1"})
    kinds = {issue.address: issue.kind for issue in evaluator.issues}
    assert kinds == {"A1": "onbekende functie", "A2": "onbekende functie", "A3": "functie niet ondersteund",
                     "A4": "formule niet te lezen"}
    assert value_at(evaluator, "A1") == ExcelError("#NAME?")
    assert value_at(evaluator, "A2") == 0.0
    assert value_at(evaluator, "A5") == 2.0


def test_names_cross_sheet_and_whole_ranges(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        other = wb.create_sheet("Tarieven 2026")
        other["A1"], other["A2"], other["B1"] = 100.0, 200.0, "=SUM(A:A)*Opslag"
        wb.defined_names["Opslag"] = DefinedName("Opslag", attr_text="'Tarieven 2026'!$A$3")
        other["A3"] = 1.02
        wb.defined_names["Bedragen"] = DefinedName("Bedragen", attr_text="'Tarieven 2026'!$A$1:$A$2")
        wb.defined_names["Factor"] = DefinedName("Factor", attr_text="2*Opslag")

    evaluator = evaluated(tmp_path, {"A1": "=SUM(Bedragen)*Factor", "A2": "='Tarieven 2026'!B1"}, build=build)
    assert value_at(evaluator, "A1") == pytest.approx(300 * 2.04)
    assert value_at(evaluator, "A2") == pytest.approx(301.02 * 1.02)


def test_dynamic_arrays_spill_and_feed_dependents(tmp_path: Path) -> None:
    def table(rows: object, factor: object) -> list[list[object]]:
        assert isinstance(rows, list)
        return [[row[0] * factor, f"regel {i}"] for i, row in enumerate(rows, start=1)]

    evaluator = evaluated(tmp_path, {
        "A1": 1.0, "A2": 2.0, "A3": 3.0, "E1": "=SUM(C1:C3)", "E2": '=COUNTIF(D:D,"regel*")',
        "C1": "=_xludf.JBJR_TABEL(A1:A3,10)", "F1": "=SUM(_xlfn.ANCHORARRAY(C1))", "G1": "=JBJR_TABEL(A1:A2,1)",
        "G2": "in de weg",
    }, functions={"JBJR_TABEL": table}, dynamic=("C1", "G1"))
    assert [value_at(evaluator, a) for a in ("C1", "C2", "C3", "D1", "D3")] == [10.0, 20.0, 30.0, "regel 1", "regel 3"]
    assert value_at(evaluator, "E1") == 60.0
    assert value_at(evaluator, "E2") == 3.0
    assert value_at(evaluator, "F1") == 60.0
    assert value_at(evaluator, "G1") == ExcelError("#SPILL!")


def test_array_formula_over_a_range(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        wb["Blad"]["C1"] = ArrayFormula("C1:C3", "=A1:A3*B1:B3")

    evaluator = evaluated(tmp_path, {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": 4.0, "B2": 5.0, "B3": 6.0,
                                     "D1": "=SUM(C1:C3)"}, build=build)
    assert value_at(evaluator, "D1") == 32.0


def test_custom_function_failures_are_reported(tmp_path: Path) -> None:
    def broken(value: object) -> object:
        raise ValueError("kapot")

    evaluator = evaluated(tmp_path, {"A1": "=JBJR_STUK(1)", "A2": "=JBJR_TEKST(1)", "A3": "=JBJR_STUK(1/0)"},
                          functions={"JBJR_STUK": broken, "JBJR_TEKST": lambda v: "#JBJR! onbekende productcode"})
    details = {issue.address: issue.detail for issue in evaluator.issues if issue.fatal}
    assert details == {"A1": "JBJR_STUK: ValueError: kapot", "A2": "JBJR_TEKST: onbekende productcode"}
    assert value_at(evaluator, "A1") == ExcelError("#VALUE!")
    assert value_at(evaluator, "A3") == ExcelError("#DIV/0!")


def test_custom_functions_get_excel_shaped_arguments(tmp_path: Path) -> None:
    seen: list[tuple[object, ...]] = []

    def spy(*args: object) -> float:
        seen.append(args)
        return 1.0

    evaluated(tmp_path, {"A1": 5.0, "A2": "tekst", "B1": dt.date(2026, 1, 1),
                         "C1": "=JBJR_SPY(A1,A1:A3,B1,,TRUE)"}, functions={"JBJR_SPY": spy})
    assert seen == [(5.0, [[5.0], ["tekst"], [None]], 46023.0, None, True)]


def test_broken_names_and_deleted_references_are_issues_of_their_cell(tmp_path: Path) -> None:
    # After deleting rows or a sheet Excel leaves names such as Blad!#REF!; external links look like [1]Blad!$A$1.
    def build(wb: Workbook) -> None:
        wb.defined_names["Weg"] = DefinedName("Weg", attr_text="Blad!#REF!")
        wb.defined_names["Extern"] = DefinedName("Extern", attr_text="[1]Tarieven!$A$1")

    evaluator = evaluated(tmp_path, {"A1": "=Weg*2", "A2": "=Extern+1", "A3": "=SUM('Oud blad'!#REF!)", "A4": "=1+1"},
                          build=build)
    assert value_at(evaluator, "A1") == ExcelError("#REF!")
    assert value_at(evaluator, "A2") == ExcelError("#REF!")
    assert value_at(evaluator, "A3") == ExcelError("#REF!")
    assert value_at(evaluator, "A4") == 2.0
    fatal = {issue.address: str(issue) for issue in evaluator.issues if issue.fatal}
    assert fatal == {"A2": "Blad 'Blad', cel A2: verwijzing naar een ander werkboek zonder bewaarde waarden "
                           "([1]Tarieven)"}


def test_a_formula_that_fails_inside_is_an_issue_of_its_cell(tmp_path: Path) -> None:
    # Excel refuses =ROUND() but other tools write it; MOD(1E300,1E-300) is #NUM! in Excel.
    evaluator = evaluated(tmp_path, {"A1": "=ROUND()", "A2": "=MOD(1E300,1E-300)", "A3": '=REPT("ab",20000)',
                                     "A4": '=LEN(REPT("ab",16383))', "A5": "=1+1"})
    assert value_at(evaluator, "A1") == ExcelError("#VALUE!")
    assert [issue.kind for issue in evaluator.issues if issue.fatal] == ["formule niet te berekenen"]
    assert value_at(evaluator, "A2") == ExcelError("#NUM!")
    assert value_at(evaluator, "A3") == ExcelError("#VALUE!")  # longer than Excel's 32,767 characters
    assert value_at(evaluator, "A4") == 32766.0
    assert value_at(evaluator, "A5") == 2.0
