"""Each UDF is complete for Excel: category, Dutch one-line help, a doc per argument, a return shape.

xlwings' decorators store nothing on Linux, so the facts are checked in
``udfs.SPECS`` and, with a recording stand-in for xlwings, in what the
decorators receive.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import keyword
import subprocess
import sys
import typing
from pathlib import Path
from types import SimpleNamespace

import pytest
from xlwings.conversion.standard import AdjustDimensionsStage, Ensure2DStage

import udfs
import udfs.excel_functions
from udfs import EXCEL_FUNCTIONS, MACROS, SPECS, registration

# Excel-shaped example calls: one per UDF, used to check the declared return shape.
EXAMPLES = {
    "JBJR_TARIEF": ("48A04", 2026.0),
    "JBJR_INDEXPERCENTAGE": (2025.0,),
    "JBJR_INDEXFACTOR": (2024.0, 2026.0),
    "JBJR_GEINDEXEERD": (1000.0, 2024.0, 2026.0),
    "JBJR_PARAMETER": ("normen.caseload.gehanteerd", dt.datetime.fromisoformat("2026-01-01")),
    "JBJR_KOSTPRIJS": ("48A04", 2026.0, 12.0),
    "JBJR_DEKKINGSGAT": (1850.0, 1800.0),
    "JBJR_FTE": (120.0, 12.0),
    "JBJR_VOLUMEPAD": (100.0, 0.2, 44562.0, 46387.0, [[2025.0, 2026.0]]),
    "JBJR_DEELJAAR": (2026.0, dt.datetime.fromisoformat("2026-07-01")),
    "JBJR_BEGROTING": (10.0, "48A04", 1500.0, 2026.0),
    "JBJR_BEGROTINGSTABEL": ([["alkmaar"]], [[2026.0]], [["48A04"]]),
    "JBJR_RESERVEPAD": ([[2026.0, 2027.0]], 1e6, 1e6, 0.0, 0.02, 0.1),
    "JBJR_MONTECARLO": ([[2026.0, 2027.0]], 1e6, 1e6, 0.0, 0.02, 0.1, 0.05, 0.03, 100.0),
    "JBJR_NCW": (0.025, [[-100.0, 60.0, 60.0]]),
    "JBJR_WERKKAPITAAL": (1_200_000.0, 2.5),
    "JBJR_TERUGVERDIENTIJD": ([[-100.0, 60.0, 60.0]],),
    "JBJR_VOORBEELDEN": (2026.0,),
}
VBA_RESERVED = {"and", "as", "byref", "byval", "call", "case", "date", "dim", "do", "each", "else", "end", "error",
                "for", "function", "get", "if", "in", "is", "let", "like", "loop", "me", "mod", "new", "next", "not",
                "nothing", "on", "option", "optional", "or", "property", "set", "step", "string", "sub", "then",
                "to", "type", "until", "variant", "wend", "while", "with", "xor"}
DUTCH_HINTS = {"van", "een", "per", "het", "de", "naar", "tot", "bij", "als", "met", "uit", "op", "jaar"}


def test_every_udf_has_an_example_and_the_registry_is_complete():
    assert set(EXAMPLES) == set(SPECS) == set(EXCEL_FUNCTIONS)
    assert {"JBJR_HERBEREKEN"} <= set(MACROS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_udf_is_complete_for_excel(name):
    found = SPECS[name]
    assert found.excel_name == name
    assert name.startswith("JBJR_")
    assert name.isupper()
    assert "\n" not in found.doc
    assert 10 < len(found.doc) <= 255
    assert set(found.doc.lower().replace(",", " ").split()) & DUTCH_HINTS, found.doc
    assert found.vorm in {"waarde", "rij of kolom", "tabel"}
    assert [a.name for a in found.args] == list(inspect.signature(found.function).parameters)
    optional_seen = False
    for arg in found.args:
        assert arg.name.isascii()
        assert arg.name.isidentifier()
        assert not keyword.iskeyword(arg.name)
        assert arg.name.lower() not in VBA_RESERVED
        assert len(arg.name) <= 31
        assert 10 < len(arg.doc) <= 255
        assert arg.doc.endswith(".")
        assert not (optional_seen and not arg.optional), "optional arguments come last"
        optional_seen |= arg.optional
        if arg.optional:
            assert arg.doc.startswith("Optioneel"), (name, arg.name)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_return_shape_matches_the_spec(name):
    result = EXCEL_FUNCTIONS[name](*EXAMPLES[name])
    assert not (isinstance(result, str) and result.startswith("#JBJR!")), result
    vorm = SPECS[name].vorm
    if vorm == "waarde":
        assert isinstance(result, int | float | str)
        assert not isinstance(result, bool)
        return
    assert isinstance(result, list)
    assert all(isinstance(row, list) for row in result)
    assert all(isinstance(v, int | float | str) for row in result for v in row)
    if vorm == "rij of kolom":
        assert len(result) == 1 or all(len(row) == 1 for row in result)
    else:
        assert all(isinstance(h, str) for h in result[0])
        assert len(result) > 1
        assert len({len(row) for row in result}) == 1


def as_xlwings_passes(name, args):
    """``args`` as xlwings on Windows hands them over: a range argument (``ndim=2``) always as a 2D list.

    Uses xlwings' own dimension stages; a missing optional argument stays ``None`` (its default).
    """
    shaped = []
    for arg, value in zip(SPECS[name].args, args, strict=False):
        context = SimpleNamespace(value=value, meta={})
        if arg.bereik and value is not None:
            Ensure2DStage()(context)
            AdjustDimensionsStage({"ndim": 2})(context)
        shaped.append(context.value)
    return shaped


@pytest.mark.parametrize("name", sorted(SPECS))
def test_scalars_typed_into_range_arguments_work_as_xlwings_passes_them(name):
    shaped = as_xlwings_passes(name, EXAMPLES[name])
    assert EXCEL_FUNCTIONS[name](*shaped) == EXCEL_FUNCTIONS[name](*EXAMPLES[name])


def test_one_amount_for_every_year_also_as_a_one_cell_range():
    # =JBJR_RESERVEPAD(B1:D1; 1000000; 950000; 0; 0,02; 0,1): xlwings passes omzet and kosten as [[...]].
    # 2% surcharge while the reserve is below 10% of 1.000.000: 70.000, 140.000, then 190.000 without it.
    args = as_xlwings_passes("JBJR_RESERVEPAD", ([[2026.0, 2027.0, 2028.0]], 1e6, 950_000.0, 0.0, 0.02, 0.1))
    assert args[1] == [[1e6]]
    table = EXCEL_FUNCTIONS["JBJR_RESERVEPAD"](*args)
    assert [row[7] for row in table[1:]] == [70_000.0, 140_000.0, 190_000.0]
    two_cells = EXCEL_FUNCTIONS["JBJR_RESERVEPAD"]([[2026.0, 2027.0, 2028.0]], [[1e6, None]], 1e6, 0.0, 0.02, 0.1)
    assert two_cells == "#JBJR! omzet: 1 waarden voor 3 jaren"  # a longer range is one amount per year


def test_type_hints_name_converters_xlwings_has():
    # xlwings on Windows treats every hint (arguments and result) as a converter; Any is its default one.
    for name, found in {**SPECS, **MACROS}.items():
        hints = typing.get_type_hints(found.function)
        assert set(hints) == {a.name for a in found.args} | {"return"}, name
        assert all(hint is typing.Any for hint in hints.values()), (name, hints)


def test_excel_module_holds_each_function_once_under_its_excel_name():
    exposed = {n for n in dir(udfs.excel_functions) if n.startswith("JBJR_")}
    assert exposed == set(SPECS) | set(MACROS)
    for name in exposed:
        function = getattr(udfs.excel_functions, name)
        assert function.__name__ == name  # xlwings names the VBA stub after __name__
        assert sum(getattr(udfs.excel_functions, n) is function for n in dir(udfs.excel_functions)) == 1


class _Recorder:
    """Stands in for xlwings and records what the decorators are given."""

    def __init__(self):
        self.calls = []

    def _decorator(self, kind, *args, **kwargs):
        def apply(function):
            self.calls.append((kind, function.__name__, args, kwargs))
            return function

        return apply

    def func(self, *args, **kwargs):
        return self._decorator("func", *args, **kwargs)

    def sub(self, *args, **kwargs):
        return self._decorator("sub", *args, **kwargs)

    def arg(self, *args, **kwargs):
        return self._decorator("arg", *args, **kwargs)


def test_decorators_receive_category_docs_and_range_options(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setitem(sys.modules, "xlwings", recorder)
    monkeypatch.setattr(registration, "SPECS", {})
    monkeypatch.setattr(registration, "EXCEL_FUNCTIONS", {})
    monkeypatch.setattr(registration, "MACROS", {})

    @registration.udf("rij of kolom", bereik=("jaren",), jaren="Jaren als rij of kolom.",
                      factor="Optioneel: een factor.")
    def jbjr_proef(jaren, factor=None):
        """Proef van een functie per jaar."""
        return jaren

    assert recorder.calls == []  # registering needs no xlwings: only the module Excel loads decorates
    assert registration.excel_decorated() == {"JBJR_PROEF": registration.SPECS["JBJR_PROEF"].function}
    assert ("func", "JBJR_PROEF", (), {"category": "JBJR"}) in recorder.calls
    assert ("arg", "JBJR_PROEF", ("jaren",), {"doc": "Jaren als rij of kolom.", "ndim": 2}) in recorder.calls
    assert ("arg", "JBJR_PROEF", ("factor",), {"doc": "Optioneel: een factor."}) in recorder.calls
    assert registration.SPECS["JBJR_PROEF"].min_args == 1
    assert registration.SPECS["JBJR_PROEF"].max_args == 2


def test_a_udf_without_docs_for_every_argument_is_refused():
    with pytest.raises(TypeError, match="argumentdocs"):

        @registration.udf("waarde", a="Een getal.")
        def jbjr_half(a, b):
            """Een halve functie."""


def test_udfs_package_imports_without_excel():
    assert importlib.import_module("udfs") is udfs


def test_the_functions_load_neither_xlwings_nor_pandas():
    # Headless recalculation imports udfs for a workbook with JBJR functions: xlwings imports pandas (and
    # pyarrow), together about half a second, and the functions need neither.
    code = "import sys, udfs; print(sorted(m for m in ('xlwings', 'pandas', 'pyarrow') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_excel_guide_lists_every_function_with_its_arguments():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "controllers.md").read_text(encoding="utf-8")
    for name, found in SPECS.items():
        args = "; ".join(f"[{a.name}]" if a.optional else a.name for a in found.args)
        assert f"`{name}({args})`" in docs, name
        assert f"={name}(" in docs, f"{name}: voorbeeld ontbreekt"
