"""Locale-dependent functions under a Dutch Excel (``--landinstelling nl-NL``) and unchanged under en-US.

Expected values are worked by hand. Names and separators: glibc locale data ``nl_NL`` (LC_TIME
``mon`` januari.., ``abmon`` jan feb mrt .., ``day`` maandag.., ``abday`` ma di wo ..; LC_NUMERIC ``,``
and ``.``; LC_MONETARY ``€`` before the amount with a space, the minus after the symbol); Dutch TEXT
codes ``ddd dd mmm jjjj``: https://xyloslearning.com/en/excel-format-dates-with-the-text-function/.
Serial 46023 is Thursday 1 January 2026 (45292 is 1 January 2024; + 366 + 365); 46023.5 is its noon.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from recalc_cases.workbooks import results, save

from jbjr_budget.cli import main as cli_main
from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.libreoffice import find_soffice
from jbjr_budget.formula_engine.values import ExcelError

# formula, Dutch Excel (nl-NL), en-US Excel; None: a code written for the other locale, not worked out here
CASES = [
    ('=TEXT(46023.5,"dd-mm-jjjj")', "01-01-2026", "01-01-jjjj"),
    ('=TEXT(46023.5,"d mmmm jjjj")', "1 januari 2026", "1 January jjjj"),
    ('=TEXT(46023.5,"dddd")', "donderdag", "Thursday"),
    ('=TEXT(46023.5,"ddd d mmm jj")', "do 1 jan 26", "Thu 1 Jan jj"),
    ('=TEXT(46023.5+59,"mmm")', "mrt", "Mar"),  # 1 March 2026
    ('=TEXT(46023.5+4,"ddd dddd")', "ma maandag", "Mon Monday"),
    ('=TEXT(46023.5,"uu:mm")', "12:00", "uu:01"),
    ('=TEXT(46023.5,"dd-mm-yyyy")', "01-01-yyyy", "01-01-2026"),  # each Excel shows the other's year code as text
    ('=TEXT(1234.5,"#.##0,00")', "1.234,50", None),
    ('=TEXT(1234.5,"#,##0.00")', None, "1,234.50"),
    ('=TEXT(-1234.5,"#.##0,00;(#.##0,00)")', "(1.234,50)", None),
    ('=TEXT(0.125,"0,0%")', "12,5%", "13%"),  # en-US: a comma between placeholders groups thousands
    ('=TEXT(1234.5,"0,00E+00")', "1,23E+03", None),
    ('=TEXT(1.5,"Standaard")', "1,5", None),
    ('=TEXT(1234.5,"€ #.##0,00 ""per stuk""")', "€ 1.234,50 per stuk", None),
    ('=FIXED(1234.567)', "1.234,57", "1,234.57"),
    ('=FIXED(-1234.567,1,TRUE)', "-1234,6", "-1234.6"),
    ('=DOLLAR(1234.5)', "€ 1.234,50", "$1,234.50"),
    ('=DOLLAR(-1234.5)', "€ -1.234,50", "($1,234.50)"),
    ('="a"&1.5', "a1,5", "a1.5"),
    ('=TRUE&""', "WAAR", "TRUE"),
    ('=VALUE("1.234,5")', 1234.5, ExcelError("#VALUE!")),
    ('=VALUE("1,234.5")', ExcelError("#VALUE!"), 1234.5),
    ('="1,5"*2', 3.0, ExcelError("#VALUE!")),
    ('=VALUE("€ -5")', -5.0, ExcelError("#VALUE!")),
    ('=DATEVALUE("31-12-2026")', 46387.0, ExcelError("#VALUE!")),  # 46023 + 364
    ('=VALUE("1-2-2026")', 46054.0, ExcelError("#VALUE!")),  # 1 February: 46023 + 31
    ('=DATEVALUE("1/2/2026")', 46054.0, 46024.0),  # en-US: 2 January
    ('=DATEVALUE("1 mei 2026")', 46143.0, ExcelError("#VALUE!")),  # 46023 + 31 + 28 + 31 + 30
    ('=DATEVALUE("15-mrt-2026")', 46096.0, ExcelError("#VALUE!")),  # 46023 + 31 + 28 + 14
    ('=NUMBERVALUE("1.234,5")', 1234.5, ExcelError("#VALUE!")),  # the locale's separators by default
    ('=NUMBERVALUE("1,234.5",".",",")', 1234.5, 1234.5),
]


def _computed(tmp_path: Path, locale: str | None) -> dict[str, object]:
    book = read_book(save(tmp_path / "t.xlsx", {f"A{row}": formula for row, (formula, *_) in enumerate(CASES, 1)}))
    if locale:
        book.locale = locale
    return {address: value for (_, address), value in results(evaluate(book)).items()}


def test_dutch_excel(tmp_path: Path) -> None:
    computed = _computed(tmp_path, "nl-NL")
    assert {formula: computed[f"A{row}"] for row, (formula, dutch, _) in enumerate(CASES, 1) if dutch is not None} == \
        {formula: dutch for formula, dutch, _ in CASES if dutch is not None}


def test_en_us_is_the_default_and_unchanged(tmp_path: Path) -> None:
    computed = _computed(tmp_path, None)
    assert {formula: computed[f"A{row}"] for row, (formula, _, en) in enumerate(CASES, 1) if en is not None} == \
        {formula: english for formula, _, english in CASES if english is not None}


def test_an_unknown_locale_is_a_dutch_error(tmp_path: Path) -> None:
    book = read_book(save(tmp_path / "t.xlsx", {"A1": "=1"}))
    book.locale = "de-DE"
    with pytest.raises(JbjrFout, match="onbekende landinstelling 'de-DE'"):
        evaluate(book)


def test_cli_landinstelling_changes_what_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = save(tmp_path / "in.xlsx", {"A1": 46023.5, "B1": '=TEXT(A1,"d mmmm jjjj")', "C1": "=FIXED(1234.5)"})
    for locale, expected in (("nl-NL", ["1 januari 2026", "1.234,50"]), ("en-US", ["1 January jjjj", "1,234.50"])):
        target = tmp_path / f"{locale}.xlsx"
        assert cli_main(["herbereken", str(source), "--uitvoer", str(target), "--landinstelling", locale]) == 0
        sheet = load_workbook(target, data_only=True)["Blad"]
        assert [sheet["B1"].value, sheet["C1"].value] == expected
    # A Dutch Excel's stored values pass the check in nl-NL, and differ in the default en-US.
    dutch = tmp_path / "nl-NL.xlsx"
    assert cli_main(["herbereken", str(dutch), "--controleer", "--landinstelling", "nl-NL"]) == 0
    assert cli_main(["herbereken", str(dutch), "--controleer"]) == 1
    assert "opgeslagen '1 januari 2026', herberekend '1 January jjjj'" in capsys.readouterr().out


_DUTCH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>nl-NL</value></prop></item>
</oor:items>
"""
# Left out: DOLLAR (LibreOffice's nl-NL currency pattern puts the minus last, "€ 1.234,50-"; Windows and
# glibc's nl_NL, n_sign_posn 4, right after the symbol, as Dutch Excel shows it) and TRUE&"" (a logical is a
# number in LibreOffice: "1").
_CROSS_CHECKED = [case for case in CASES if isinstance(case[1], str) and "DOLLAR" not in case[0]
                  and "TRUE" not in case[0]]


@pytest.mark.libreoffice
def test_libreoffice_in_a_dutch_locale_agrees(tmp_path: Path) -> None:
    """LibreOffice calculates the cells without stored values when it opens a workbook, here in nl-NL."""
    (tmp_path / "profile" / "user").mkdir(parents=True)
    (tmp_path / "profile" / "user" / "registrymodifications.xcu").write_text(_DUTCH_PROFILE, encoding="utf-8")
    save(tmp_path / "t.xlsx", {f"A{row}": formula for row, (formula, *_) in enumerate(_CROSS_CHECKED, 1)})
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"),
                    str(tmp_path / "t.xlsx")], check=True, capture_output=True, timeout=120)
    lines = (tmp_path / "out" / "t.csv").read_text(encoding="utf-8").splitlines()
    assert [row[0] for row in csv.reader(lines)] == [dutch for _, dutch, _ in _CROSS_CHECKED]
