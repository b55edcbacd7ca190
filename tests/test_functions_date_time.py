"""Dates in the 1904 date system (old Mac workbooks), worked by hand: serial 0 is 1 January 1904."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from jbjr_budget.formula_engine.serials import DATE_1904
from jbjr_budget.formula_engine.values import ExcelError


@pytest.fixture
def system_1904() -> Iterator[None]:
    token = DATE_1904.set(True)
    yield
    DATE_1904.reset(token)


@pytest.mark.usefixtures("system_1904")
@pytest.mark.parametrize(("formula", "expected"), [
    ("=DATE(1904,1,1)", 0.0),
    ("=DATE(2024,1,31)", 45322.0 - 1462),  # the 1900 serial less the 1,462 days between the systems
    ("=YEAR(0)*10000+MONTH(0)*100+DAY(0)", 19040101.0),
    ("=WEEKDAY(0)", 6.0),  # 1 January 1904 was a Friday
    ("=EOMONTH(DATE(1904,2,10),0)", 59.0),  # 1904 is a leap year: 29 February is day 59
    ("=DATE(1903,12,31)", ExcelError("#NUM!")),
    ("=YEAR(-1)", ExcelError("#NUM!")),
    ('=DATEVALUE("2024-01-31")', 45322.0 - 1462),
])
def test_dates_count_from_1904(sheet_formulas: Callable[..., dict[str, object]], formula: str,
                               expected: object) -> None:
    assert sheet_formulas({"A1": formula})["A1"] == expected
