"""Excel's file-format semantics: implicit intersection, legacy array areas, tables, 3D, union and intersection,
iteration and the 1904 date system.

Expected values are LibreOffice 7.4's (a forced recalculation of the same workbooks) unless a comment
says Excel documents otherwise; hand-worked values say how they follow.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.table import Table
from recalc_cases.workbooks import evaluated, results, save, value_at

from jbjr_budget.formula_engine import evaluate, read_book, recalculate_file
from jbjr_budget.formula_engine.book import split_address
from jbjr_budget.formula_engine.values import ExcelError

VALUE, NA, NULL, NAME = ExcelError("#VALUE!"), ExcelError("#N/A"), ExcelError("#NULL!"), ExcelError("#NAME?")
# Column A text, B text, D the numbers 1, 2, 3 in rows 1 to 3.
DATA = {"A1": "a", "A2": "b", "A3": "c", "B1": "x", "B2": "y", "B3": "z", "D1": 1.0, "D2": 2.0, "D3": 3.0}


@pytest.mark.parametrize(("formula", "expected"), [
    ('=A:A&"/"&B:B', "b/y"),  # Excel shows "b/y", the row's own cells; spilling gave #SPILL!
    ("=D1:D3*10", 20.0),
    ("=SUM(D1:D3*10)", 20.0),  # SUM takes references, but * wants values: D2*10
    ("=SUMPRODUCT((D1:D3>1)*D1:D3)", 5.0),  # SUMPRODUCT's arguments are arrays: 2+3
    ("=ROUND(D1:D3/3,1)", 0.7),
    ("=MATCH(TRUE,INDEX(D1:D3>1,0),0)", 2.0),  # INDEX's first argument is an array
    ('=IF(D1:D3>1,"ja","nee")', "ja"),
    ("=VLOOKUP(A1:A3,A1:D3,4,FALSE)", 2.0),
    ("=D:D", 2.0),
    ("=-D1:D3", -2.0),
    ('=COUNTIF(D1:D3,">"&D1:D3)', 1.0),  # the criterion is D2's, the range stays whole
])
def test_a_plain_formula_intersects_a_range_with_its_row(tmp_path: Path, formula: str, expected: object) -> None:
    evaluator = evaluated(tmp_path, {**DATA, "F2": formula})
    assert value_at(evaluator, "F2") == expected
    assert not [issue for issue in evaluator.issues if issue.fatal]


def test_outside_the_range_implicit_intersection_is_value_error(tmp_path: Path) -> None:
    evaluator = evaluated(tmp_path, {**DATA, "E5": "=D1:D3*10", "F5": "=SUM(D1:D3*10)"})
    assert [value_at(evaluator, a) for a in ("E5", "F5")] == [VALUE, VALUE]


def test_writing_keeps_a_plain_formula_plain(tmp_path: Path) -> None:
    source = save(tmp_path / "in.xlsx", {**DATA, "E2": "=D1:D3*10"})
    target = tmp_path / "uit.xlsx"
    assert recalculate_file(source, target, {}).error is None
    with zipfile.ZipFile(target) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="E2"><f>D1:D3*10</f><v>20</v></c>' in sheet
    assert 'r="E3"' not in sheet
    assert 'r="E4"' not in sheet


def test_legacy_array_formulas_fill_their_stored_area(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        ws = wb["Blad"]
        ws["J1"] = ArrayFormula("J1:J4", "=D1:D3*10")  # one cell more than the result: #N/A
        ws["K1"] = ArrayFormula("K1:L2", "=D1:D2*{1,2,3}")  # 2x3 result cut to 2x2
        ws["M1"] = ArrayFormula("M1:N3", "={1,2}")  # one row repeats down
        ws["O1"] = ArrayFormula("O1:O2", "=SUM(D1:D3*10)")  # one value fills the area

    found = results(evaluated(tmp_path, DATA, build=build))
    grid = {address: found[("Blad", address)] for address in
            ("J1", "J2", "J3", "J4", "K1", "L1", "K2", "L2", "M1", "N1", "M3", "N3", "O1", "O2")}
    assert grid == {"J1": 10.0, "J2": 20.0, "J3": 30.0, "J4": NA, "K1": 1.0, "L1": 2.0, "K2": 2.0, "L2": 4.0,
                    "M1": 1.0, "N1": 2.0, "M3": 1.0, "N3": 2.0, "O1": 60.0, "O2": 60.0}
    assert ("Blad", "M4") not in found


def test_only_dynamic_arrays_spill(tmp_path: Path) -> None:
    table = {"JBJR_TABEL": lambda: [[1.0], [2.0]]}
    dynamic = evaluated(tmp_path, {"H1": "=JBJR_TABEL()"}, table, dynamic=("H1",))
    assert [value_at(dynamic, a) for a in ("H1", "H2")] == [1.0, 2.0]
    plain = evaluated(tmp_path, {"H1": "=JBJR_TABEL()"}, table)
    assert value_at(plain, "H1") == 1.0
    assert ("Blad", "H2") not in results(plain)


def _sales(wb: Workbook) -> None:
    ws = wb.create_sheet("Tab")
    ws.append(["Product", "Aantal", "Prijs", "Bedrag", "Nr# [st]"])
    for product, count, price in [("48A04", 2, 10.5), ("48A05", 3, 20.0), ("47A01", 1, 7.25)]:
        ws.append([product, count, price, "=Verkoop[[#This Row],[Aantal]]*Verkoop[[#This Row],[Prijs]]", count])
    ws.append(["Totaal", "=SUM(Verkoop[Aantal])", None, "=SUM(Verkoop[Bedrag])", None])
    ws.add_table(Table(displayName="Verkoop", ref="A1:E5", totalsRowCount=1))
    formulas = {"G1": "=SUM(Verkoop[Bedrag])", "G2": "=ROWS(Verkoop[#All])", "G3": "=Verkoop[[#Totals],[Bedrag]]",
                "G4": "=COUNTA(Verkoop[[#Headers],[Product]:[Prijs]])", "G5": "=SUM(Verkoop[[Aantal]:[Prijs]])",
                "G6": "=INDEX(Verkoop[Product],2)", "G7": "=COUNTA(Verkoop[#Data])",
                "G8": "=COUNTA(Verkoop[[#Headers],[#Data]])", "G9": "=Verkoop[[#This Row],[Aantal]]",
                "F3": "=Verkoop[Aantal]*2", "G10": "=SUM(Verkoop[Nr'# '[st']])", "G11": "=SUM(Verkoop)"}
    for address, formula in formulas.items():
        ws[address] = formula


def test_structured_references_resolve_from_the_table_parts(tmp_path: Path) -> None:
    found = results(evaluated(tmp_path, {}, build=_sales))
    assert {address: found[("Tab", address)] for address in ("D2", "D3", "D4", "B5", "D5")} == \
        {"D2": 21.0, "D3": 60.0, "D4": 7.25, "B5": 6.0, "D5": 88.25}
    assert {address: found[("Tab", address)] for address in (f"G{row}" for row in range(1, 12))} == {
        "G1": 88.25, "G2": 5.0, "G3": 88.25, "G4": 3.0, "G5": 43.75, "G6": "48A05",
        "G7": 15.0,  # Excel counts the 15 filled data cells (LibreOffice 7.4 says 1)
        "G8": 20.0, "G9": VALUE, "G10": 6.0,  # G9 stands outside the table's rows: #VALUE!
        "G11": 6.0 + 37.75 + 88.25 + 6.0,  # the bare table name is its data: Aantal, Prijs, Bedrag, Nr# [st]
    }
    assert found[("Tab", "F3")] == 6.0  # the column intersected with the formula's row


def test_3d_references_unions_and_intersections(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        wb.create_sheet("Blad2")["D1"] = 100.0
        wb.create_sheet("Blad3")["D1"] = 1000.0

    evaluator = evaluated(tmp_path, {**DATA, "F1": "=SUM(Blad:Blad3!D1)", "F2": "=SUM((D1:D2,D3))",
                                     "F3": "=SUM(A1:D3 D2:E4)", "F4": "=SUM(D1:D3 A1:B3)", "F5": "=COUNT((D1,D3))",
                                     "F6": "=JBJR_LIJST((D1,D3),Blad:Blad2!D1)"},
                          {"JBJR_LIJST": lambda *args: repr(args)}, build)
    assert [value_at(evaluator, a) for a in ("F1", "F2", "F3", "F5", "F6")] == \
        [1101.0, 6.0, 5.0, 2.0, "([[1.0, 3.0]], [[1.0, 100.0]])"]
    assert value_at(evaluator, "F4") == NULL  # Excel: #NULL! where the ranges do not meet (LibreOffice: #REF!)


def test_iterative_calculation_when_the_workbook_enables_it(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        wb.calculation.iterate, wb.calculation.iterateCount, wb.calculation.iterateDelta = True, 100, 0.001

    evaluator = evaluated(tmp_path, {"A1": "=1+A1/2", "B1": "=B2*0.5+10", "B2": "=B1*0.5", "C1": "=C1+1",
                                     "D1": "=A1*10"}, build=build)
    # From 0: 1, 1.5, 1.75, ... until a pass changes less than 0.001, as LibreOffice and Excel iterate.
    assert [value_at(evaluator, a) for a in ("A1", "B1", "B2", "D1")] == \
        [1.9990234375, 13.3331298828125, 6.66656494140625, 19.990234375]
    assert value_at(evaluator, "C1") == 100.0  # Excel stops after 100 passes (LibreOffice: #N/A)
    assert not evaluator.issues


def test_the_1904_date_system(tmp_path: Path) -> None:
    def build(wb: Workbook) -> None:
        wb.epoch = CALENDAR_MAC_1904

    evaluator = evaluated(tmp_path, {"A1": dt.date(2024, 2, 29), "B1": "=DATE(2024,2,29)",
                                     "C1": "=YEAR(A1)*10000+MONTH(A1)*100+DAY(A1)", "D1": "=EDATE(A1,1)"}, build=build)
    # 1 January 1904 is day 0: 29 February 2024 is 1,462 days before its 1900-system serial 45,351.
    assert [value_at(evaluator, a) for a in ("B1", "C1", "D1")] == [43889.0, 20240229.0, 43918.0]


def test_any_scalar_result_is_written(tmp_path: Path) -> None:
    # PRODUCT over cells without numbers returned a Python int and the writer failed the whole workbook.
    source = save(tmp_path / "in.xlsx", {"A1": "tekst", "B1": "=PRODUCT(A1:A2)", "C1": "=JBJR_GETAL()"})
    target = tmp_path / "uit.xlsx"
    assert recalculate_file(source, target, {"JBJR_GETAL": lambda: 7}).error is None
    values = load_workbook(target, data_only=True)["Blad"]
    assert isinstance(values["B1"].value, int | float)
    assert values["C1"].value == 7


def test_the_context_knows_hidden_rows_and_formula_texts(tmp_path: Path) -> None:
    # For SUBTOTAL 101-111, AGGREGATE's options 5 and 7 (skip hidden rows) and FORMULATEXT.
    def build(wb: Workbook) -> None:
        wb["Blad"].row_dimensions[3].hidden = True

    evaluator = evaluated(tmp_path, {**DATA, "F1": "=_xlfn.XLOOKUP(1,D1:D3,A1:A3)", "F2": "=SUM(D1:D3)"}, build=build)
    assert [evaluator.is_hidden_row(0, row) for row in (2, 3)] == [False, True]
    assert [evaluator.formula_text(0, 1, 6), evaluator.formula_text(0, 2, 6), evaluator.formula_text(0, 1, 1)] == \
        ["=XLOOKUP(1,D1:D3,A1:A3)", "=SUM(D1:D3)", None]


def test_3d_references_quote_both_sheets_at_once(tmp_path: Path) -> None:
    # Excel writes 'Jan (1):Mrt (3)'!B1; 'Jan (1)':'Mrt (3)'!B1 (as LibreOffice wrote it) is #NAME? in Excel,
    # which stored that for the corpus' lo-tdf163554.
    def build(wb: Workbook) -> None:
        for name, value in (("Jan (1)", 1.0), ("Feb (2)", 20.0), ("Mrt (3)", 300.0)):
            wb.create_sheet(name)["B1"] = value

    evaluator = evaluated(tmp_path, {"A1": "=SUM('Jan (1):Mrt (3)'!B1)", "A2": "=SUM('Jan (1)':'Mrt (3)'!B1)"},
                          build=build)
    assert [value_at(evaluator, a) for a in ("A1", "A2")] == [321.0, NAME]
    assert [(issue.address, issue.kind) for issue in evaluator.issues] == [("A2", "onbekende naam")]


def test_typographic_quotes_are_letters_of_a_name(tmp_path: Path) -> None:
    # Excel reads typographic quotes (U+2018, U+2019, U+201C, U+201D) outside a string as name characters; with
    # names “ and ” defined (to blank cells) it stored these values for the corpus' lo-tdf165886: 0, TRUE, and
    # #NAME? for the undefined names.
    def build(wb: Workbook) -> None:
        wb.defined_names["“"] = DefinedName("“", attr_text="Blad!$F$1")
        wb.defined_names["”"] = DefinedName("”", attr_text="Blad!$F$2")

    formulas = {"A1": "=“", "B1": "=OR(D1=0,D1<>““)", "C1": "=OR(E1=0,E1<>“)", "A2": "=”", "C2": "=OR(E2=0,E2<>”)",
                "A3": "=‘", "C4": "=OR(E4=0,E4<>’)"}
    evaluator = evaluated(tmp_path, formulas, build=build)
    assert [value_at(evaluator, a) for a in formulas] == [0.0, NAME, True, 0.0, True, NAME, NAME]


def test_data_tables_recompute_their_formulas_for_each_input_value(tmp_path: Path) -> None:
    # One-variable tables by column (E2:F3, a formula per column above, A1 the column input) and by row (I2:J2,
    # its formula to the left, B1 the row input), and a two-variable table (M2:N3: A1 takes the row above, B1
    # the column to the left). The formulas read C1, which reads the inputs; LibreOffice gives the same values.
    def build(wb: Workbook) -> None:
        sheet = wb["Blad"]
        sheet["E2"] = DataTableFormula("E2:F3", r1="A1")
        sheet["I2"] = DataTableFormula("I2:J2", dtr=True, r1="B1")
        sheet["M2"] = DataTableFormula("M2:N3", dt2D=True, dtr=True, r1="A1", r2="B1")

    cells = {"A1": 1.0, "B1": 2.0, "C1": "=A1*10+B1", "E1": "=C1", "F1": "=C1*2", "D2": 3.0, "D3": 4.0,
             "H2": "=C1", "I1": 5.0, "J1": 6.0, "L1": "=C1", "M1": 7.0, "N1": 8.0, "L2": 100.0, "L3": 200.0}
    expected = {"E2": 32.0, "F2": 64.0, "E3": 42.0, "F3": 84.0, "I2": 15.0, "J2": 16.0,
                "M2": 170.0, "N2": 180.0, "M3": 270.0, "N3": 280.0, "C1": 12.0}
    evaluator = evaluated(tmp_path, cells, build=build)
    assert {address: value_at(evaluator, address) for address in expected} == expected
    target = tmp_path / "uit.xlsx"
    assert recalculate_file(save(tmp_path / "in.xlsx", cells, build), target, {}).error is None
    written = read_book(target).sheets[0]
    assert {a: written.values[split_address(a)] for a in expected} == expected
    assert written.formulas[(2, 13)].inputs == ("A1", "B1")


def test_a_name_with_relative_references_moves_with_the_cell_that_uses_it(tmp_path: Path) -> None:
    # Excel stores relative names as seen from A1, wrapping around the sheet: XFC1:XFD1 used in C2 is A2:B2.
    def build(wb: Workbook) -> None:
        wb.defined_names["LinksTwee"] = DefinedName("LinksTwee", attr_text="Blad!XFC1:XFD1")
        wb.defined_names["BovenTwee"] = DefinedName("BovenTwee", attr_text="Blad!A1048575:A1048576")

    evaluator = evaluated(tmp_path, {"A1": 1.0, "B1": 2.0, "A3": 10.0, "B3": 20.0, "D1": 1.0, "D2": 2.0, "D3": 3.0,
                                     "C1": "=SUM(LinksTwee)", "C3": "=SUM(LinksTwee)", "D4": "=SUM(BovenTwee)"},
                          build=build)
    assert [value_at(evaluator, a) for a in ("C1", "C3", "D4")] == [3.0, 30.0, 5.0]


EXTERNAL_LINK = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1">'
    '<sheetNames><sheetName val="Tarieven 2026"/></sheetNames><definedNames>'
    '<definedName name="Codes" refersTo="=\'Tarieven 2026\'!$A$1:$A$2"/></definedNames><sheetDataSet>'
    '<sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>48A04</v></cell><cell r="B1"><v>1577.01</v></cell>'
    '</row><row r="2"><cell r="A2" t="str"><v>48A05</v></cell><cell r="B2"><v>1310.5</v></cell></row></sheetData>'
    '</sheetDataSet></externalBook></externalLink>'
)


def _with_external_link(path: Path) -> Path:
    """Add another workbook's cached values as Excel stores a link (xl/externalLinks, <externalReferences>)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["xl/externalLinks/externalLink1.xml"] = EXTERNAL_LINK.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/externalLinkPath" Target="tarieven.xlsx" TargetMode="External"/></Relationships>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", f'<Relationship Id="rIdExtern" '
                                                       f'Type="{rel}/externalLink" Target="externalLinks/'
                                                       'externalLink1.xml"/></Relationships>').encode()
    workbook = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = workbook.replace(
        "</sheets>", '</sheets><externalReferences><externalReference r:id="rIdExtern"/></externalReferences>').encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_references_to_another_workbook_read_the_values_excel_cached(tmp_path: Path) -> None:
    # Excel keeps showing these cached values until the link is updated.
    path = _with_external_link(save(tmp_path / "t.xlsx", {
        "A1": "48A05", "B1": "=VLOOKUP(A1,'[1]Tarieven 2026'!A1:B2,2,FALSE)", "B2": "=COUNTA([1]!Codes)"}))
    evaluator = evaluate(read_book(path), {})
    assert [value_at(evaluator, a) for a in ("B1", "B2")] == [1310.5, 2.0]
    assert not evaluator.issues


def test_let_names_values_once(tmp_path: Path) -> None:
    # Excel stores LET's names with the _xlpm. prefix; each value is computed once (so RAND()-RAND() via x is 0).
    evaluator = evaluated(tmp_path, {
        "A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": "=_xlfn.LET(_xlpm.x,15,_xlpm.y,_xlpm.x*2,_xlpm.x+_xlpm.y)",
        "B2": "=_xlfn.LET(_xlpm.r,A1:A3,SUM(_xlpm.r)*2)", "B3": "=_xlfn.LET(_xlpm.x,RAND(),_xlpm.x-_xlpm.x)"})
    assert [value_at(evaluator, a) for a in ("B1", "B2", "B3")] == [45.0, 12.0, 0.0]
    assert not evaluator.issues


def test_a_blank_inside_an_array_result_shows_zero(tmp_path: Path) -> None:
    # Excel shows 0 for the blank A2 in =A1:A3 spilled or {=A1:A3}: it stored 0 for such a cell in the corpus'
    # lo-tdf162093 (a spilled table totals row); LibreOffice 7.4 shows an empty cell.
    def build(wb: Workbook) -> None:
        wb["Blad"]["C1"] = ArrayFormula("C1:C3", "=A1:A3")

    evaluator = evaluated(tmp_path, {"A1": 1.0, "A3": 3.0, "B1": "=A1:A3"}, build=build, dynamic=("B1",))
    assert [value_at(evaluator, a) for a in ("B2", "C2")] == [0.0, 0.0]
