"""Macros read named input ranges, write named results and log; tested with a stand-in workbook."""

from __future__ import annotations

from pathlib import Path

from monitoring_cases.fill import fill_with_openpyxl, typed_values

from jbjr_budget.monitoring.layout import build_layout, template_name
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.writers.template_workbook import write_template
from udfs import EXCEL_FUNCTIONS, MACROS
from udfs.macros import IMPORT_HEADERS, LOG_HEADERS, NAMEN, SJABLOON_HEADERS, herbereken, importeer, sjablonen

Q1 = Periode.parse("2026-Q1")


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
    def __init__(self, inputs, folder=Path("werkmap")):
        self.fullname = str(folder / "jbjr_begroting.xlsm")
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


def test_herbereken_applies_the_product_and_municipality_filters():
    book = FakeBook({**INPUTS, "producten": [["48A04", None]], "gemeenten": [["heiloo", "uitgeest"]]})
    herbereken(book)
    table = book.value("begroting")
    header, rows = table[0], table[1:]
    product, gemeente = header.index("Product"), header.index("Gemeente")
    # Two municipalities x one product x two years, as the filters on the Scenario sheet ask.
    assert len(rows) == 4
    assert {r[product] for r in rows} == {"48A04"}
    assert {r[gemeente] for r in rows} == {"Heiloo", "Uitgeest"}


def test_herbereken_reports_bad_input_in_the_log_and_leaves_results_alone():
    book = FakeBook({**INPUTS, "regios": [["atlantis"]]})
    book.ranges[NAMEN["begroting"]].value = [["oud"]]
    herbereken(book)
    messages = [row[2] for row in book.value("logboek")[1:]]
    assert messages[-1].startswith("#JBJR! onbekende regio atlantis; kies uit: alkmaar (Regio Alkmaar), ")
    assert book.value("begroting") == [["oud"]]
    assert book.app.status_bar is False


def messages(book):
    return [row[2] for row in book.value("logboek")[1:]]


def monitoring_book(tmp_path, **inputs):
    defaults = {"periode": "2026-Q1", "contract": "nw4", "sjabloonmap": "sjablonen", "importmap": "ingevuld",
                "grootboek": "grootboek.sqlite"}
    return FakeBook({**defaults, **inputs}, tmp_path)


def test_sjablonen_writes_every_template_of_the_contract(tmp_path: Path, catalog: Catalog):
    book = monitoring_book(tmp_path, periode=" 2026-q1 ")
    sjablonen(book)
    expected = [template_name(gi, r.key, Q1) for r in catalog.contract_regios("nw4") for gi in r.gis]
    assert len(expected) == 12
    assert sorted(p.name for p in (tmp_path / "sjablonen").iterdir()) == sorted(expected)
    table = book.value("sjablonen")
    assert table[0] == list(SJABLOON_HEADERS)
    assert [Path(row[0]).name for row in table[1:]] == expected
    assert {(row[1], row[2], row[3]) for row in table[1:]} == {
        (gi, r.key, 0) for r in catalog.contract_regios("nw4") for gi in r.gis}
    assert messages(book)[-2:] == ["12 sjablonen geschreven", "klaar"]
    assert not (tmp_path / "grootboek.sqlite").exists()  # read for the prefill, never created
    assert book.app.status_bar is False


def test_importeer_accepts_a_filled_template_and_rejects_a_bad_file(tmp_path: Path, catalog: Catalog):
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    template = write_template(layout, tmp_path / "leeg" / template_name("jgb", "alkmaar", Q1))
    (tmp_path / "ingevuld").mkdir()
    fill_with_openpyxl(template, typed_values(layout, 7), tmp_path / "ingevuld" / template.name)
    (tmp_path / "ingevuld" / "kapot.xlsx").write_text("geen excel")
    book = monitoring_book(tmp_path, importmap=str(tmp_path / "ingevuld"))
    importeer(book)
    header, bad, good = book.value("import")
    assert header == list(IMPORT_HEADERS)
    assert bad[:2] == [str(tmp_path / "ingevuld" / "kapot.xlsx"), "AFGEWEZEN"]
    assert "kapot.xlsx: geen geldig Excel-bestand (.xlsx)" in bad[2]
    assert good == [str(tmp_path / "ingevuld" / template.name), "AANGENOMEN", None]
    assert messages(book)[-2:] == ["2 bestanden: 1 aangenomen, 1 afgewezen", "klaar"]
    with Ledger(tmp_path / "grootboek.sqlite") as ledger:
        assert list(ledger.submissions()[["gi", "regio", "periode"]].itertuples(index=False, name=None)) == [
            ("jgb", "alkmaar", "2026-Q1")]
    importeer(book)
    assert book.value("import")[2][1] == "AL INGELEZEN"


def test_importeer_only_accepts_the_chosen_period(tmp_path: Path, catalog: Catalog):
    layout = build_layout(catalog, "jgb", "alkmaar", Q1)
    write_template(layout, tmp_path / "ingevuld" / template_name("jgb", "alkmaar", Q1), typed_values(layout, 3))
    book = monitoring_book(tmp_path, periode="2026-Q2")
    importeer(book)
    assert book.value("import")[1][1:] == [
        "AFGEWEZEN", f"{template_name('jgb', 'alkmaar', Q1)}, blad 'Metadata', cel B6: bestand is voor periode "
                     "2026-Q1, gevraagd is periode 2026-Q2"]
    book = monitoring_book(tmp_path, periode=None)  # empty: every period
    importeer(book)
    assert messages(book)[-2] == "1 bestanden: 1 aangenomen, 0 afgewezen"


def test_bad_monitoring_input_goes_to_the_log_not_into_excel(tmp_path: Path):
    (tmp_path / "een_bestand").write_text("")
    cases = [
        (sjablonen, {"periode": "2026-Q5"}, "#JBJR! periode '2026-Q5' onbekend: gebruik bijv. 2026-Q1 (kwartaal) "
                                            "of 2026-M03 (maand)"),
        (importeer, {"periode": "2026-Q5"}, "#JBJR! periode '2026-Q5' onbekend: gebruik bijv. 2026-Q1 (kwartaal) "
                                            "of 2026-M03 (maand)"),
        (sjablonen, {"contract": "atlantis"}, "#JBJR! onbekend contract atlantis; kies uit: jb_west, nw4"),
        (sjablonen, {"sjabloonmap": None}, "#JBJR! vul de map voor de sjablonen in op het blad Monitoring"),
        (importeer, {"importmap": " "}, "#JBJR! vul de map met ingevulde sjablonen in op het blad Monitoring"),
    ]
    for run, inputs, message in cases:
        book = monitoring_book(tmp_path, **inputs)
        run(book)
        assert messages(book)[-1] == message, run.__name__
        assert book.value("sjablonen") is None
        assert book.value("import") is None
        assert book.app.status_bar is False
    book = monitoring_book(tmp_path, sjabloonmap="een_bestand")
    sjablonen(book)
    assert messages(book)[-1].startswith("#JBJR! bestand of map niet te gebruiken: ")
    assert not (tmp_path / "grootboek.sqlite").exists()


def test_macros_are_parameterless_subs_named_for_excel():
    assert set(MACROS) == {"JBJR_HERBEREKEN", "JBJR_SJABLONEN", "JBJR_IMPORTEER"}
    for name, spec in MACROS.items():
        assert spec.function.__name__ == name
        assert spec.args == ()
        assert spec.doc.endswith(".")
