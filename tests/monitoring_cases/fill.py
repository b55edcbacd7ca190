"""Fill monitoring templates as a GI would: with openpyxl, or in LibreOffice over UNO."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from jbjr_budget.monitoring.layout import Layout
from jbjr_budget.monitoring.ledger import TABLES, Ledger

Values = dict[tuple[str, str], object]
LO_SCRIPT = Path(__file__).with_name("lo_office.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def typed_values(layout: Layout, seed: int) -> Values:
    """Plausible, consistent figures for every input cell of ``layout`` (what a GI types in)."""
    rng = random.Random(seed)
    values: Values = {}
    cells = {(f.table, f.keys, f.column): (f.sheet, f.cell) for f in layout.fields()}
    for (table, keys, column), at in cells.items():
        if table == "volume" and column == "stand_begin":
            begin, inflow = rng.randint(0, 40), rng.randint(0, 12)
            outflow = rng.randint(0, begin + inflow)
            for name, value in (("stand_begin", begin), ("instroom", inflow), ("uitstroom", outflow),
                                ("stand_einde", begin + inflow - outflow), ("wachtenden", rng.randint(0, 5))):
                values[cells[(table, keys, name)]] = value
            values[cells[(table, keys, "gem_duur_maanden")]] = round(rng.uniform(3, 20), 1)
            values[cells[(table, keys, "gem_wachttijd_dagen")]] = rng.choice([None, 12, 30.5])
        elif table == "inspectie" and column == "zaken":
            cases = rng.randint(0, 30)
            values[at] = cases
            for name in ("binnen_5_werkdagen", "binnen_6_weken", "binnen_3_maanden"):
                values[cells[(table, keys, name)]] = rng.randint(0, cases)
    omzet, kosten = rng.randint(100_000, 900_000) + 0.25, rng.randint(100_000, 900_000) + 0.5
    form = {
        ("personeel", "fte"): round(rng.uniform(5, 60), 2), ("personeel", "caseload"): round(rng.uniform(10, 20), 1),
        ("personeel", "verloop_pct"): round(rng.uniform(0, 30), 1), ("personeel", "verzuim_pct"): 7.5,
        ("personeel", "vacatures"): 2, ("personeel", "instroom"): rng.randint(0, 9),
        ("personeel", "uitstroom"): rng.randint(0, 9), ("financien", "omzet_centen"): omzet,
        ("financien", "kosten_centen"): kosten, ("financien", "resultaat_centen"): omzet - kosten,
        ("financien", "eigen_vermogen_centen"): -12345.67, ("financien", "weerstandsvermogen_pct"): -1.5,
        ("financien", "status"): "Voorlopig",
        ("toelichting", "volumes"): f"Toelichting volumes {seed}: wachtlijst loopt terug.",
    }
    for (table, column), value in form.items():
        key = (table, (), column) if table != "toelichting" else (table, (("sectie", column),), "tekst")
        values[cells[key]] = value
    return values


def fill_with_openpyxl(template: Path, values: Values, out: Path) -> Path:
    """Type ``values`` into a copy of ``template`` with openpyxl and save it to ``out``."""
    workbook = load_workbook(template)
    for (sheet, cell), value in values.items():
        workbook[sheet][cell] = value
    workbook.save(out)
    return out


def libreoffice_available() -> bool:
    return shutil.which("soffice") is not None and Path(SYSTEM_PYTHON).exists()


def fill_with_libreoffice(jobs: list[tuple[Path, Values, Path]], profile: Path) -> None:
    """Open each template in LibreOffice headless, type the values, save as .xlsx (one soffice for all)."""
    _run_libreoffice([{"template": str(t), "out": str(o),
                       "cells": [[sheet, cell, value] for (sheet, cell), value in values.items()]}
                      for t, values, o in jobs], profile)


def read_with_libreoffice(files: list[tuple[Path, list[tuple[str, str]]]], profile: Path) -> list[dict]:
    """What LibreOffice shows in each file after recalculating: sheets with visibility, and the given cells.

    Per cell ``[type, value, text, number format]``; type is EMPTY, VALUE, TEXT or FORMULA.
    """
    reports = [profile.parent / f"lo_read_{i}.json" for i in range(len(files))]
    _run_libreoffice([{"read": str(path), "cells": [list(cell) for cell in cells], "report": str(report)}
                      for (path, cells), report in zip(files, reports, strict=True)], profile,
                     timeout=60 + 2 * len(files))
    return [json.loads(report.read_text()) for report in reports]


def _run_libreoffice(spec: list[dict], profile: Path, timeout: float = 180) -> None:
    job_file = profile.parent / "lo_jobs.json"
    job_file.write_text(json.dumps(spec))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run([SYSTEM_PYTHON, str(LO_SCRIPT), str(job_file), str(profile)], check=True, timeout=timeout,
                   env=env)


def expected_ledger(layout: Layout, values: Values) -> dict[tuple[str, tuple[tuple[str, str], ...], str], object]:
    """What the ledger should hold for typed ``values``: empty counts are 0, euros become cents."""
    expected: dict[tuple[str, tuple[tuple[str, str], ...], str], object] = {}
    for field in layout.fields():
        typed = values.get((field.sheet, field.cell))
        if typed is None and field.empty == "nul":
            typed = 0
        if field.kind == "bedrag" and typed is not None:
            typed = round(float(typed) * 100)
        expected[(field.table, field.keys, field.column)] = typed
    return expected


def ledger_rows(ledger: Ledger, gi: str, regio: str, periode: str) -> dict:
    """Current ledger values of one submission, keyed like :func:`expected_ledger`."""
    found = {}
    for table, columns in TABLES.items():
        frame = ledger.current(table)
        frame = frame[(frame.gi == gi) & (frame.regio == regio) & (frame.periode == periode)]
        keys = [c for c in ("product", "gemeente", "sectie") if c in columns]
        for record in frame.to_dict("records"):
            row_keys = tuple((k, record[k]) for k in keys)
            for column in columns:
                if column not in keys:
                    value = record[column]
                    found[(table, row_keys, column)] = None if pd.isna(value) else value
    return found
