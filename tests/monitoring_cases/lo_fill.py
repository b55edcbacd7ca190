"""Run with the system python (python3-uno): fill templates in LibreOffice headless and save as .xlsx.

Usage: /usr/bin/python3 lo_fill.py JOBS.json PROFILE_DIR. Starts its own soffice with a throwaway profile,
types each value into its cell (numbers as numbers, text as text, None leaves the cell empty), stores with
the Excel 2007+ filter, and stops soffice again. The uno imports sit inside the functions because pytest
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


def main():
    jobs = json.loads(Path(sys.argv[1]).read_text())
    profile = Path(sys.argv[2]).resolve()
    port = 20000 + (hash(str(profile)) % 20000)
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=socket,host=127.0.0.1,port={port};urp;"])
    try:
        desktop = connect(port)
        for job in jobs:
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
        with contextlib.suppress(Exception):
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
