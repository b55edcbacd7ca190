"""Mac and Excel on the web (xlwings Lite): the UDF module under xlwings' Office.js decorators.

With ``XLWINGS_ON_SERVER=true`` xlwings takes ``func``, ``arg``, ``ret`` and ``script`` from
``xlwings.server`` (there is no ``sub``), which is what xlwings Lite runs in Pyodide. A subprocess
does what the README's Lite steps do (``from udfs.excel_functions import *`` and ``from udfs.macros
import herbereken`` in ``main.py``), reads the metadata the add-in registers and calls every function
as the Office.js runtime does: each argument a 2D matrix, an omitted one ``null``.
``XLWINGS_LICENSE_KEY=noncommercial`` selects xlwings' PolyForm Noncommercial terms for that run only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from udfs import EXCEL_FUNCTIONS, SPECS

LITE_RUN = """
import asyncio, json, sys, types
import xlwings as xw
from xlwings.server import custom_functions_call, custom_functions_meta, custom_scripts_meta

main = types.ModuleType("main")
exec("from udfs.excel_functions import *\\nfrom udfs.macros import herbereken", main.__dict__)
results = {}
for name, args in json.load(sys.stdin):
    data = {"func_name": name, "args": args, "version": xw.__version__, "runtime": "1.4", "client": "Office.js",
            "caller_address": "[jbjr.xlsx]Blad1!A1", "content_language": "nl-NL"}
    results[name] = asyncio.run(custom_functions_call(data, main))
print(json.dumps({"functions": custom_functions_meta(main)["functions"], "scripts": custom_scripts_meta(main),
                  "results": results}))
"""

YEARS = [[2026, 2027, 2028]]
CALLS: dict[str, list[Any]] = {
    "JBJR_TARIEF": ["48A04", 2026],
    "JBJR_INDEXPERCENTAGE": [2025],
    "JBJR_INDEXFACTOR": [2024, 2026],
    "JBJR_GEINDEXEERD": [1000, 2024, 2026],
    "JBJR_PARAMETER": ["normen.caseload.gehanteerd", 2026],
    "JBJR_KOSTPRIJS": ["48A04", 2026, 15],
    "JBJR_DEKKINGSGAT": [1600, 1500.5],
    "JBJR_FTE": [120, 12],
    "JBJR_VOLUMEPAD": [100, 0.2, "1-1-2022", "31-12-2026", YEARS],
    "JBJR_DEELJAAR": [2026, "1-7-2026"],
    "JBJR_BEGROTING": [10, "48A04", 1500, 2026, "1-7-2026"],
    "JBJR_BEGROTINGSTABEL": ["ijmond", [[2026]], "48A04"],
    "JBJR_RESERVEPAD": [YEARS, [[1e6, 1.1e6, 1.2e6]], [[1e6, 1e6, 1e6]], 0, 0.02, 0.1],
    "JBJR_MONTECARLO": [YEARS, 1e6, 1e6, 0, 0.02, 0.1, 0.05, 0.03, 50, 7],
    "JBJR_NCW": [0.025, [[-100, 50, 60]]],
    "JBJR_TERUGVERDIENTIJD": [[[-100, 50, 60]]],
    "JBJR_WERKKAPITAAL": [12_000_000, 2.5],
    "JBJR_VOORBEELDEN": [2026],
}
BY_HAND = {  # worked out by hand (README examples): the Lite route gives the same numbers
    "JBJR_INDEXPERCENTAGE": 0.0496,
    "JBJR_DEKKINGSGAT": 99.5,
    "JBJR_FTE": 10,
    "JBJR_DEELJAAR": 0.5,
    "JBJR_BEGROTING": 90_000,  # 10 measures x 12 months x EUR 1,500 x half a year
    "JBJR_WERKKAPITAAL": 2_500_000,  # 2.5 months of EUR 12 mln a year
    "JBJR_TERUGVERDIENTIJD": 1 + 50 / 60,  # 50 back after a year, the other 50 of 60 in the second
}


def _office_js(value: Any) -> Any:
    """An argument as the Office.js runtime sends it: always a matrix (a cell is ``[[value]]``)."""
    return value if isinstance(value, list) else [[value]]


def _classic(value: Any) -> Any:
    """The same argument as classic xlwings passes it: numbers as floats, a range as a 2D list."""
    if isinstance(value, list):
        return [[_classic(cell) for cell in row] for row in value]
    return float(value) if isinstance(value, int) else value


@pytest.fixture(scope="module")
def lite() -> dict[str, Any]:
    calls = [(name, [*map(_office_js, args), *[None] * (SPECS[name].max_args - len(args))])
             for name, args in CALLS.items()]
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, "-c", LITE_RUN], input=json.dumps(calls), capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_every_function_is_called_here() -> None:
    assert set(CALLS) == set(SPECS)


def test_every_function_registers_with_its_dutch_help(lite: dict[str, Any]) -> None:
    registered = {f["id"]: f for f in lite["functions"]}
    assert set(registered) == set(SPECS)  # the macros (JBJR_HERBEREKEN, ...) are no functions there
    for name, spec in SPECS.items():
        function = registered[name]
        assert function["name"] == name
        assert function["description"] == spec.doc
        assert [(p["name"], p["description"], p.get("optional", False)) for p in function["parameters"]] == [
            (a.name, a.doc, a.optional) for a in spec.args], name


def test_macros_become_scripts_that_take_the_workbook(lite: dict[str, Any]) -> None:
    assert [s["function_name"] for s in lite["scripts"]] == ["herbereken"]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_function_computes_as_in_classic_excel(lite: dict[str, Any], name: str) -> None:
    result = lite["results"][name]
    expected = EXCEL_FUNCTIONS[name](*map(_classic, CALLS[name]))
    assert not str(result[0][0]).startswith("#JBJR!"), result
    assert result == (expected if isinstance(expected, list) else [[expected]])
    if name in BY_HAND:
        assert result[0][0] == pytest.approx(BY_HAND[name], abs=0.005)
