"""Build the controller workbook ``jbjr_begroting.xlsm`` on top of the xlwings standalone quickstart.

The quickstart (``xlwings quickstart NAME --standalone``) brings the xlwings
VBA module, so the workbook needs no add-in; openpyxl with ``keep_vba`` keeps
that ``vbaProject.bin`` byte for byte while the input sheets, the UDF
formulas wired to named ranges and the ``xlwings.conf`` sheet are added.
Default inputs come from the engine's budget for the bundled parameters. The
result depends only on the engine, its parameters and the pinned xlwings, so
building twice gives the same workbook.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from jbjr_budget.errors import JbjrFout
from jbjr_budget.models.begroting import BASIS, Begroting, compute_begroting
from jbjr_budget.writers.controller_workbook.calculation_sheets import (
    write_begroting,
    write_meerjarig,
    write_reserve,
    write_result_sheets,
    write_volumes,
)
from jbjr_budget.writers.controller_workbook.dynamic_arrays import mark_dynamic_arrays
from jbjr_budget.writers.controller_workbook.input_sheets import (
    UDF_MODULE,
    YEARS,
    write_monitoring,
    write_parameters,
    write_scenario,
    write_toelichting,
)
from jbjr_budget.writers.controller_workbook.vba_project import vba_modules
from jbjr_budget.writers.styles import print_setup

__all__ = ["CONF_SHEET", "UDF_MODULE", "WORKBOOK_NAME", "build_controller", "embedded_xlwings_version",
           "xlwings_version"]

WORKBOOK_NAME = "jbjr_begroting"
CONF_SHEET = "xlwings.conf"


def xlwings_version() -> str:
    """The installed xlwings version (pinned in ``pyproject.toml``)."""
    import xlwings  # noqa: PLC0415 - only the builder needs it

    return str(xlwings.__version__)


def _quickstart(folder: Path) -> Path:
    """Run ``xlwings quickstart --standalone`` in ``folder``; return the xlsm it wrote."""
    command = [sys.executable, "-m", "xlwings.cli", "quickstart", WORKBOOK_NAME, "--standalone"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    path = folder / WORKBOOK_NAME / f"{WORKBOOK_NAME}.xlsm"
    if done.returncode or not path.exists():
        raise JbjrFout(f"xlwings quickstart mislukte: {done.stderr.strip() or done.stdout.strip()}")
    return path


CONF_TEXT = (
    "Instellingen voor xlwings; dit blad heet 'xlwings.conf' en is daardoor actief.",
    "UDF Modules noemt de Python-module met de JBJR-functies; laat die staan.",
    "Interpreter_Win: het pad van python.exe als Python niet op het standaardpad staat.",
    "Conda Path en Conda Env: alleen invullen als u Python uit Anaconda gebruikt.",
    "Een lege waarde valt terug op xlwings.conf naast dit bestand of in uw gebruikersmap.",
)


def _conf(ws: Worksheet) -> None:
    """Activate the quickstart's settings sheet and name the UDF module; replace its English notes."""
    ws.title = CONF_SHEET
    settings = {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value is not None
                or str(ws.cell(r, 1).value) in {"UDF Modules", "PYTHONPATH", "Conda Path", "Conda Env"}}
    ws.cell(settings["UDF Modules"], 2, UDF_MODULE)
    last_setting = max(settings.values())
    for r in range(last_setting + 1, ws.max_row + 1):
        ws.cell(r, 1).value = None
    for offset, line in enumerate(CONF_TEXT, start=last_setting + 3):
        ws.cell(offset, 1, line)


def build_controller(target: Path, regios: Sequence[str] | None = None, first_year: int = 2026) -> Begroting:
    """Build the controller workbook at ``target`` (an ``.xlsm``); returns the budget of its defaults and marks."""
    begroting = compute_begroting(regios, range(first_year, first_year + YEARS))
    tree, on = begroting.trees[BASIS], dt.date(first_year, 1, 1)
    volumes = {code: float(v) for code, v in begroting.volumes_per_product(BASIS, first_year).items()}
    with tempfile.TemporaryDirectory() as folder:
        workbook = openpyxl.load_workbook(_quickstart(Path(folder)), keep_vba=True)
    toelichting, conf = workbook.worksheets
    toelichting.title = "Toelichting"
    write_toelichting(toelichting, xlwings_version(), begroting)
    write_scenario(workbook.create_sheet("Scenario"), begroting)
    ots, flags = begroting.catalog.group("ots"), begroting.product_flags(BASIS)
    ots_volume = float(begroting.group_volume(BASIS, first_year, "ots"))
    write_parameters(workbook.create_sheet("Parameters"), tree, on, ots_volume,
                     any(flags[code].voorbeeld for code in ots if code in flags))
    write_volumes(workbook.create_sheet("Volumes"), begroting, on, volumes)
    write_meerjarig(workbook.create_sheet("Meerjarig"), begroting)
    write_reserve(workbook.create_sheet("Reserve"), begroting)
    write_begroting(workbook.create_sheet("Begroting"), len(begroting.regels[BASIS]))
    write_monitoring(workbook.create_sheet("Monitoring"), begroting.catalog, first_year)
    write_result_sheets(workbook)
    _conf(conf)
    workbook.move_sheet(conf, offset=len(workbook.worksheets) - 1 - workbook.index(conf))
    for ws in workbook.worksheets:
        print_setup(ws)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    mark_dynamic_arrays(target)
    return begroting


def embedded_xlwings_version(vba_project: bytes) -> str:
    """The xlwings version the VBA module declares (its ``'Version:`` comment line)."""
    source = vba_modules(vba_project)["xlwings"]
    for line in source.splitlines():
        if line.startswith("'Version:"):
            return line.removeprefix("'Version:").strip()
    raise JbjrFout("de xlwings-VBA-module noemt geen versie")
