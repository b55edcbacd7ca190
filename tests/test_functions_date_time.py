"""Dates in a workbook saved with the 1904 date system (old Mac files), worked by hand: serial 0 is 1 January 1904."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.values import ExcelError

CASES: list[tuple[str, object]] = [
    ("=DATE(1904,1,1)", 0.0),
    ("=DATE(2024,1,31)", 45322.0 - 1462),  # the 1900 serial less the 1,462 days between the systems
    ("=YEAR(0)*10000+MONTH(0)*100+DAY(0)", 19040101.0),
    ("=WEEKDAY(0)", 6.0),  # 1 January 1904 was a Friday
    ("=EOMONTH(DATE(1904,2,10),0)", 59.0),  # 1904 is a leap year: 29 February is day 59
    ("=DATE(1903,12,31)", ExcelError("#NUM!")),
    ("=YEAR(-1)", ExcelError("#NUM!")),
    ('=DATEVALUE("2024-01-31")', 45322.0 - 1462),
]


def test_dates_count_from_1904(tmp_path: Path) -> None:
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    for row, (formula, _) in enumerate(CASES, start=1):
        wb.active.cell(row, 1, formula)
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    book = read_book(path)
    assert book.date1904
    evaluator = evaluate(book, {})
    results = {evaluator.describe(key)[1]: value for key, value in evaluator.results.items()}
    assert [results[f"A{row}"] for row in range(1, len(CASES) + 1)] == [expected for _, expected in CASES]
