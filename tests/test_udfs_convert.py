"""The Excel-input conversion layer: what Excel hands a UDF, and what a cell gets back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from jbjr_budget.errors import InvoerFout
from udfs import convert, results

# Well-known Excel serials (1900 date system): 45292 is 1-1-2024; 2024 has 366 days, 2025 365,
# and January-June 2026 hold 31+28+31+30+31+30 = 181 days.
SERIAL_2024 = 45292
SERIAL_2025 = SERIAL_2024 + 366
SERIAL_1_JULY_2026 = SERIAL_2025 + 365 + 181


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (SERIAL_2024, dt.date(2024, 1, 1)),
        (float(SERIAL_2025), dt.date(2025, 1, 1)),
        (SERIAL_1_JULY_2026 + 0.75, dt.date(2026, 7, 1)),  # time of day is ignored
        (61, dt.date(1900, 3, 1)),  # after Excel's fictitious 29-2-1900
        (59, dt.date(1900, 2, 28)),
        (1, dt.date(1900, 1, 1)),
        (dt.datetime.fromisoformat("2026-07-01T13:05"), dt.date(2026, 7, 1)),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 1)),
        (" 1-7-2026 ", dt.date(2026, 7, 1)),
        ("01/07/2026", dt.date(2026, 7, 1)),
        ("2026-07-01", dt.date(2026, 7, 1)),
        (str(SERIAL_2024), dt.date(2024, 1, 1)),
    ],
)
def test_date_accepts_what_excel_gives(given, expected):
    assert convert.date(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (60, "29-2-1900 bestaat niet"),
        (None, "datum ontbreekt"),
        ("   ", "datum ontbreekt"),
        ("31-2-2026", "'31-2-2026' is geen datum"),
        ("morgen", "'morgen' is geen datum"),
        (-5, "-5 is geen geldige datum"),
        (True, "moet een getal zijn, niet WAAR"),
    ],
)
def test_date_errors_are_dutch(given, message):
    with pytest.raises(InvoerFout, match=message):
        convert.date(given)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (2026.0, dt.date(2026, 1, 1)),
        (" 2026 ", dt.date(2026, 1, 1)),
        (SERIAL_1_JULY_2026, dt.date(2026, 7, 1)),
        (dt.datetime.fromisoformat("2026-07-01"), dt.date(2026, 7, 1)),
        ("1-7-2026", dt.date(2026, 7, 1)),
    ],
)
def test_date_or_year(given, expected):
    assert convert.date_or_year(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [(12, Decimal(12)), (0.1, Decimal("0.1")), ("12,5", Decimal("12.5")), (" 1.234,56 ", Decimal("1234.56")),
     ("0.02", Decimal("0.02")), (Decimal("3"), Decimal(3))],
)
def test_number(given, expected):
    assert convert.number(given, "x") == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [(None, "x ontbreekt"), ("", "x ontbreekt"), (False, "niet ONWAAR"), ("tien", "niet 'tien'"),
     (float("nan"), "eindig getal"), ("inf", "eindig getal")],
)
def test_number_errors(given, message):
    with pytest.raises(InvoerFout, match=message):
        convert.number(given, "x")


def test_year_and_whole_numbers():
    assert convert.year(2026.0) == 2026
    assert convert.year("2026") == 2026
    assert convert.year(dt.datetime.fromisoformat("2027-03-01")) == 2027
    with pytest.raises(InvoerFout, match=r"moet een geheel getal zijn, niet 2026\.5"):
        convert.year(2026.5)
    with pytest.raises(InvoerFout, match="26 is geen jaartal"):
        convert.year(26)


def test_ranges_are_flattened_row_by_row_and_empty_cells_skipped():
    assert convert.cells([[2026.0, None], ["", 2027.0]]) == [2026.0, 2027.0]
    assert convert.cells([2026.0, 2027.0]) == [2026.0, 2027.0]  # a 1D range (xlwings default)
    assert convert.cells(None) == []
    assert convert.years([[2026.0, 2027.0, None]]) == [2026, 2027]
    with pytest.raises(InvoerFout, match="jaren ontbreekt"):
        convert.years([[None, " "]])


def test_orientation_follows_the_range():
    assert convert.orientation([[2026], [2027]]) == "kolom"
    assert convert.orientation([[2026, 2027]]) == "rij"
    assert convert.orientation(2026) == "rij"
    assert results.as_shaped([Decimal("1.5"), 2], "kolom") == [[1.5], [2]]
    assert results.as_shaped([Decimal("1.5"), 2], "rij") == [[1.5, 2]]


def test_text_and_product_codes():
    assert convert.text(4711.0, "code") == "4711"  # a code typed as a number
    assert convert.product_code(" 48a04 ") == "48A04"
    assert convert.product_code(4711.0) == "4711"
    with pytest.raises(InvoerFout, match=r"^onbekende productcode 48X99$"):
        convert.product_code(" 48x99 ")
    with pytest.raises(InvoerFout, match="productcode ontbreekt"):
        convert.product_code(None)


def test_output_values_fit_a_cell():
    assert results.output(Decimal("1887.00")) == 1887.0
    assert results.output(Fraction(1, 2)) == 0.5
    assert results.output(None) == ""
    assert convert.cents(" 1.234,565 ", "bedrag") == 123457  # half up, the project's rounding rule


def test_scenario_parameters_are_cached_and_checked():
    assert convert.parameters("basis") is convert.parameters(" Basis ")
    assert convert.parameters(None) is convert.parameters("")
    with pytest.raises(InvoerFout, match="onbekend scenario 'vaag'"):
        convert.parameters("vaag")


def test_cents_per_year_single_or_range():
    assert convert.cents_per_year(1000.5, "omzet") == 100050
    assert convert.cents_per_year([[1000, 2000]], "omzet") == [100000, 200000]


def test_single_cell_ranges_are_unwrapped():
    assert convert.text([[" basis "]], "scenario") == "basis"
    assert convert.number([[None, 12.0]], "norm") == Decimal(12)
    assert convert.date([["1-7-2026"]]) == dt.date(2026, 7, 1)
    with pytest.raises(InvoerFout, match="norm: verwacht één cel, niet 2"):
        convert.number([[12.0, 15.0]], "norm")
