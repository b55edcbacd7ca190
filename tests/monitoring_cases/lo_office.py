"""Run with the system python (python3-uno): fill templates in LibreOffice headless, or read files as it shows them.

Usage: /usr/bin/python3 lo_office.py JOBS.json PROFILE_DIR. Starts its own soffice with a throwaway profile
and runs each job, then stops soffice again. A fill job (``template``, ``out``, ``cells``) types each value
into its cell (numbers as numbers, text as text, None leaves the cell empty), recalculates and stores with the
Excel 2007+ filter. A read job (``read``, ``cells``, ``report``) opens a file, recalculates every formula and
writes to ``report`` (JSON) what LibreOffice shows: the sheets with their visibility, and per cell its type,
stored value, text (the result of a formula) and number format. The uno imports sit inside the functions because pytest
imports this file (doctest collection) with a Python that has no uno.
"""

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path


def prop(name, value):
    from com.sun.star.beans import PropertyValue  # noqa: PLC0415 - system python only

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(port):
    import uno  # noqa: PLC0415 - system python only

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.25)
    raise RuntimeError("LibreOffice start niet")


def fill(desktop, job):
    doc = desktop.loadComponentFromURL(Path(job["template"]).resolve().as_uri(), "_blank", 0,
                                       (prop("Hidden", True),))
    for sheet, cell, value in job["cells"]:
        target = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
        if value is None:
            target.setString("")
        elif isinstance(value, str):
            target.setString(value)
        else:
            target.setValue(float(value))
    doc.calculateAll()
    doc.storeToURL(Path(job["out"]).resolve().as_uri(), (prop("FilterName", "Calc MS Excel 2007 XML"),))
    doc.close(True)


def read(desktop, job):
    doc = desktop.loadComponentFromURL(Path(job["read"]).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
    report = {"sheets": [], "cells": {}}
    try:
        doc.calculateAll()
        for index in range(doc.Sheets.getCount()):
            sheet = doc.Sheets.getByIndex(index)
            report["sheets"].append([sheet.getName(), bool(sheet.IsVisible)])
        wanted = {}
        for sheet, cell in job["cells"]:
            wanted.setdefault(sheet, []).append(cell)
        for sheet, cells in wanted.items():
            if [sheet, True] in report["sheets"] or [sheet, False] in report["sheets"]:
                report["cells"].update(read_sheet(doc, sheet, cells))
    finally:
        doc.close(True)
    Path(job["report"]).write_text(json.dumps(report))


def read_sheet(doc, name, cells):
    """Per cell [type, value, text, number format], from whole-area arrays (a few UNO calls per sheet)."""
    positions = {cell: position(cell) for cell in cells}
    rows = max(row for row, _ in positions.values()) + 1
    columns = max(column for _, column in positions.values()) + 1
    area = doc.Sheets.getByName(name).getCellRangeByPosition(0, 0, columns - 1, rows - 1)
    data, formulas = area.getDataArray(), area.getFormulaArray()
    formats = {}
    ranges = area.getCellFormatRanges()
    codes = {}
    for index in range(ranges.getCount()):
        block = ranges.getByIndex(index)
        key = block.NumberFormat
        if key not in codes:
            codes[key] = doc.NumberFormats.getByKey(key).FormatString
        address = block.getRangeAddress()
        for row in range(address.StartRow, address.EndRow + 1):
            for column in range(address.StartColumn, address.EndColumn + 1):
                formats[(row, column)] = codes[key]
    found = {}
    for cell, (row, column) in positions.items():
        value, formula = data[row][column], formulas[row][column]
        if formula.startswith("="):
            kind = "FORMULA"
        elif isinstance(value, float):
            kind = "VALUE"
        else:
            kind = "TEXT" if value != "" else "EMPTY"
        text = value if isinstance(value, str) else formula
        number = value if isinstance(value, float) else 0.0
        found[f"{name}!{cell}"] = [kind, number, text, formats.get((row, column), "")]
    return found


def position(cell):
    letters = "".join(char for char in cell if char.isalpha())
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    return int(cell[len(letters):]) - 1, column - 1


def main():
    jobs = json.loads(Path(sys.argv[1]).read_text())
    profile = Path(sys.argv[2]).resolve()
    port = 20000 + (hash(str(profile)) % 20000)
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=socket,host=127.0.0.1,port={port};urp;"])
    try:
        desktop = connect(port)
        for job in jobs:
            if "read" in job:
                read(desktop, job)
            else:
                fill(desktop, job)
        with contextlib.suppress(Exception):
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
