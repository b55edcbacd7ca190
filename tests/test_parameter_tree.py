"""The parameter tree: dated lookup, sources on every value, strict loading with Dutch errors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from jbjr_budget.errors import ParameterFout
from jbjr_budget.rules.catalog import CATALOGUS
from jbjr_budget.rules.parameters import BUNDLED, ParameterTree, load_parameters, read_yaml
from jbjr_budget.rules.scenarios import SCENARIO_DIR


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "eigen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bundled_value_has_a_source_and_a_unit(tree: ParameterTree) -> None:
    parameters = list(tree)
    assert len(parameters) > 100
    for parameter in parameters:
        assert parameter.unit, parameter.path
        for value in parameter.values:
            assert len(value.reference) > 10, f"{parameter.path} {value.start} heeft geen bron"


def test_every_bundled_file_is_documented() -> None:
    for file in BUNDLED.rglob("*.yaml"):
        assert "description" in file.read_text(encoding="utf-8"), file


UNCHECKABLE = re.compile(
    r"seed|domeinbrief|domain brief|\b\d{3}_[0-9a-f]{16}\b|\b\w+\.(?:ya?ml|txt|md|pdf|xlsx?|csv|py)\b", re.IGNORECASE
)
"""What a reader cannot look up: an internal document number, a brief of this project, a file name."""


def _texts(node: object, where: str) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [t for key, child in node.items() for t in _texts(child, f"{where}.{key}")]
    return [(where, node)] if isinstance(node, str) else []


@pytest.mark.parametrize("folder", [BUNDLED, SCENARIO_DIR, CATALOGUS], ids=["parameters", "scenarios", "catalogus"])
def test_every_reference_and_description_names_a_document_a_reader_can_check(folder: Path) -> None:
    # Users read these texts in their workbooks: a source must be a title, section and date (or an address).
    found = [(f"{file.name}{where}", text) for file in sorted(folder.rglob("*.yaml"))
             for where, text in _texts(read_yaml(file), "")]
    assert len(found) >= 3
    bad = [(where, text) for where, text in found if UNCHECKABLE.search(text)]
    assert not bad, bad


def test_the_reference_check_catches_internal_names() -> None:
    for text in ("Seed 002: stand per 1-1-2022", "zie domeinbrief", "004_ece93c40fa56e6be.txt", "tarieven.xlsx"):
        assert UNCHECKABLE.search(text), text
    assert not UNCHECKABLE.search("VNG, Indexatie 2025 (tabel gecorrigeerd 2-10-2024)")


def test_lookup_takes_latest_value_on_or_before_date(tree: ParameterTree) -> None:
    path = "normen.caseload.gehanteerd"
    assert tree.value(path, dt.date(2023, 12, 31)) == 15  # Verbeterplan, from 2022-07-01
    assert tree.value(path, dt.date(2024, 1, 1)) == 12  # Opdrachtomschrijving JBJR NW4, from 2024-01-01


def test_lookup_before_first_value_is_an_error(tree: ParameterTree) -> None:
    with pytest.raises(ParameterFout, match="geen waarde op 2019-12-31"):
        tree.value("indexatie.vng.loonindex.voorlopig", dt.date(2019, 12, 31))


def test_decimals_are_read_exactly(tree: ParameterTree) -> None:
    assert tree.value("indexatie.vng.loonindex.voorlopig", dt.date(2025, 6, 1)) == Decimal("0.0418")


def test_example_values_are_logged_when_used() -> None:
    fresh = load_parameters()
    fresh.value("risico.weerstandsvermogen.risico_opslag", dt.date(2026, 1, 1))
    assert fresh.used_examples() == []
    fresh.value("tarieven.landelijk.48A04", dt.date(2026, 1, 1))
    assert fresh.used_examples() == ["tarieven.landelijk.48A04"]


def test_user_overlay_replaces_and_adds_dated_values(tmp_path: Path) -> None:
    own = _write(tmp_path, """
tarieven:
  landelijk:
    48A04:
      values:
        2026-01-01: {value: 1999.99, reference: "Contract NW4 2026, bijlage 2"}
""")
    layered = load_parameters([own])
    assert layered.value("tarieven.landelijk.48A04", dt.date(2026, 3, 1)) == Decimal("1999.99")
    assert layered.value("tarieven.landelijk.48A04", dt.date(2025, 3, 1)) == Decimal("1450.00")
    assert layered.entry("tarieven.landelijk.48A04", dt.date(2026, 3, 1)).voorbeeld is False


def test_null_ends_a_parameter(tmp_path: Path) -> None:
    own = _write(tmp_path, """
risico:
  weerstandsvermogen:
    risico_opslag:
      values:
        2028-01-01: {value: null, reference: "Afspraak: opslag vervalt per 2028"}
""")
    with pytest.raises(ParameterFout, match="geen waarde op 2028-06-01"):
        load_parameters([own]).value("risico.weerstandsvermogen.risico_opslag", dt.date(2028, 6, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tarieven:\n  landelijk:\n    48A04:\n      values:\n        2026-01-01: {value: 1}\n",
         "'tarieven.landelijk.48A04.values.2026-01-01' mist een bron"),
        ("tarieven:\n  landelijk:\n    48A04:\n      values:\n        2026-13-01: {value: 1, reference: x}\n",
         "ongeldige datum of waarde \\(month must be in 1..12\\)"),
        ("tarieven:\n  landelijk:\n    48A04:\n      values:\n        per_2026: {value: 1, reference: x}\n",
         "'tarieven.landelijk.48A04.values.per_2026': sleutel moet een datum zijn"),
        ("tarieven:\n  landelijk:\n    48A04:\n      values:\n"
         "        2026-01-01: {value: 1, reference: x, bron: y}\n", "onbekende sleutel 'bron'"),
        ("a: 1\na: 2\n", "dubbele sleutel 'a' \\(regel 2\\)"),
        ("tarieven: [\n", "geen geldige YAML"),
        ("tarieven:\n  landelijk:\n    48A04:\n      values:\n"
         "        2026-01-01: {value: [1, 2], reference: x}\n", "is geen getal of tekst"),
        ("nieuw:\n  values:\n    2026-01-01: {value: 1, reference: x}\n", "mist 'metadata: unit'"),
    ],
    ids=["zonder-bron", "ongeldige-datum", "geen-datum", "onbekende-sleutel", "dubbele-sleutel", "kapotte-yaml",
         "lijst-als-waarde", "nieuwe-parameter-zonder-eenheid"],
)
def test_bad_parameter_file_gives_dutch_error_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    own = _write(tmp_path, text)
    with pytest.raises(ParameterFout, match=message) as caught:
        load_parameters([own])
    assert str(own) in str(caught.value)


def test_missing_file_is_a_dutch_error(tmp_path: Path) -> None:
    with pytest.raises(ParameterFout, match="bestand niet te lezen"):
        load_parameters([tmp_path / "bestaat_niet.yaml"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1450,00", "waarde '1450,00' is geen getal, .* \\(gebruik een punt als decimaalteken\\)"),
        (".nan", "waarde nan is geen eindig getal"),
        ("-.inf", "waarde -inf is geen eindig getal"),
        ("2026-01-01 10:00:00", "is geen getal of tekst"),
    ],
    ids=["decimaalkomma", "nan", "oneindig", "tijdstip"],
)
def test_overlay_value_of_the_wrong_kind_is_refused_at_load(tmp_path: Path, value: str, message: str) -> None:
    # A Dutch user types 1450,00; YAML reads that as text, and it used to crash the budget with a
    # decimal.InvalidOperation traceback instead of a message naming the file and the key.
    own = _write(tmp_path, f"tarieven:\n  landelijk:\n    48A04:\n      values:\n"
                           f"        2026-01-01:\n          value: {value}\n          reference: 'Contract 2026'\n")
    with pytest.raises(ParameterFout, match=message) as caught:
        load_parameters([own])
    assert str(own) in str(caught.value)
    assert "'tarieven.landelijk.48A04.values.2026-01-01'" in str(caught.value)


def test_unquoted_date_value_is_read_as_iso_text(tmp_path: Path) -> None:
    # The bundled files quote dates ("2026-12-31"); an unquoted date in a user file means the same.
    own = _write(tmp_path, "doelen:\n  beleid:\n    ots:\n      doeldatum:\n        values:\n"
                           "          2022-01-01: {value: 2027-12-31, reference: 'Eigen doeldatum'}\n")
    entry = load_parameters([own]).entry("doelen.beleid.ots.doeldatum", dt.date(2026, 1, 1))
    assert entry.value == "2027-12-31"  # was a datetime.date, which the Parameters sheet could not write


def test_a_kept_result_is_computed_once_and_its_lookups_are_logged() -> None:
    tree = load_parameters()
    calls = []

    def norm() -> Decimal:
        calls.append(1)
        return tree.value("normen.caseload.gehanteerd", dt.date(2026, 1, 1))

    assert tree.memo("norm", norm) == tree.memo("norm", norm) == Decimal(12)
    assert len(calls) == 1
    assert [path for path, _ in tree.used()] == ["normen.caseload.gehanteerd"]
    with pytest.raises(ParameterFout):
        tree.memo("fout", lambda: tree.value("bestaat.niet", dt.date(2026, 1, 1)))
    with pytest.raises(ParameterFout):  # an error is not kept: it is raised again
        tree.memo("fout", lambda: tree.value("bestaat.niet", dt.date(2026, 1, 1)))


def test_a_trace_records_what_a_figure_rests_on() -> None:
    tree = load_parameters()
    with tree.trace() as outer:
        tree.value("risico.weerstandsvermogen.risico_opslag", dt.date(2026, 1, 1))  # published
        with tree.trace() as inner:
            tree.value("indexatie.vng.loonindex.voorlopig", dt.date(2025, 1, 1))  # provisional
    assert not outer.herkomst.is_voorbeeld
    assert inner.herkomst.voorlopig == outer.herkomst.voorlopig == frozenset({"indexatie.vng.loonindex.voorlopig"})
    tree.value("tarieven.landelijk.48A04", dt.date(2026, 1, 1))  # after the trace: not recorded in it
    assert not outer.herkomst.is_voorbeeld
    assert tree.used_provisional() == ["indexatie.vng.loonindex.voorlopig"]
    kept = tree.memo("prijsindex 2025", lambda: tree.value("indexatie.vng.prijsindex.voorlopig", dt.date(2025, 1, 1)))
    with tree.trace() as again:  # a kept result tells its values to a trace too
        assert tree.memo("prijsindex 2025", lambda: Decimal(0)) == kept
    assert again.herkomst.voorlopig == frozenset({"indexatie.vng.prijsindex.voorlopig"})
