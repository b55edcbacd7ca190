"""Macros read named input ranges, write named results and log; tested with a stand-in workbook."""

from __future__ import annotations

from udfs import EXCEL_FUNCTIONS, MACROS
from udfs.macros import LOG_HEADERS, NAMEN, herbereken


class FakeRange:
    """The few xlwings Range features the macros use."""

    def __init__(self, value=None):
        self.value = value
        self.cleared = False

    def options(self, ndim=None):
        return self

    def expand(self, mode="table"):
        return self

    def clear_contents(self):
        self.cleared = True
        self.value = None


class FakeApp:
    def __init__(self):
        self.status_bar = None
        self.shown = []
        self.calculated = 0

    def __setattr__(self, key, value):
        if key == "status_bar" and value:
            self.shown.append(value)
        object.__setattr__(self, key, value)

    def calculate(self):
        self.calculated += 1


class FakeName:
    def __init__(self, rng):
        self.refers_to_range = rng


class FakeBook:
    def __init__(self, inputs):
        self.ranges = {name: FakeRange() for name in NAMEN.values()}
        for key, value in inputs.items():
            self.ranges[NAMEN[key]].value = value
        self.names = {name: FakeName(rng) for name, rng in self.ranges.items()}
        self.app = FakeApp()

    def value(self, key):
        return self.ranges[NAMEN[key]].value


INPUTS = {
    "regios": [["alkmaar", None]],
    "jaren": [[2026.0, 2027.0]],
    "scenario": [["basis"]],
    "begin": [[None]],
    "einde": [[None]],
}


def test_herbereken_writes_the_budget_table_and_a_log():
    book = FakeBook(INPUTS)
    herbereken(book)
    expected = EXCEL_FUNCTIONS["JBJR_BEGROTINGSTABEL"]("alkmaar", [[2026, 2027]], None, None, None, None, "basis")
    assert book.value("begroting") == expected
    log = book.value("logboek")
    assert log[0] == list(LOG_HEADERS)
    assert [row[2] for row in log[1:]] == [
        "gestart", "begroting berekenen", f"{len(expected) - 1} begrotingsregels geschreven", "klaar",
    ]
    assert book.app.calculated == 1
    assert book.app.status_bar is False  # control back to Excel
    assert book.app.shown[0] == "JBJR herbereken: gestart"


def test_herbereken_reports_bad_input_in_the_log_and_leaves_results_alone():
    book = FakeBook({**INPUTS, "regios": [["atlantis"]]})
    book.ranges[NAMEN["begroting"]].value = [["oud"]]
    herbereken(book)
    messages = [row[2] for row in book.value("logboek")[1:]]
    assert messages[-1] == "#JBJR! onbekende regio atlantis"
    assert book.value("begroting") == [["oud"]]
    assert book.app.status_bar is False


def test_macros_are_parameterless_subs_named_for_excel():
    assert set(MACROS) == {"JBJR_HERBEREKEN"}
    for name, spec in MACROS.items():
        assert spec.function.__name__ == name
        assert spec.args == ()
        assert spec.doc.endswith(".")
