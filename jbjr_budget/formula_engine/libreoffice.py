"""LibreOffice headless as a reference engine: a forced full recalculation of many workbooks in one call.

Used by the tests (is ``herbereken`` right?) and the benchmark (is it faster?). LibreOffice keeps
stale cached values by default; a throwaway profile with ``OOXMLRecalcMode=0`` makes it recalculate.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jbjr_budget.errors import JbjrFout

__all__ = ["find_soffice", "recalculate_with_libreoffice"]

_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """Path of the ``soffice`` program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate_with_libreoffice(sources: Sequence[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """Recalculate ``sources`` in one LibreOffice run; returns the .xlsx files written to ``outdir``."""
    soffice = find_soffice()
    if soffice is None:
        raise JbjrFout("LibreOffice (soffice) is niet geïnstalleerd")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profiel-") as profile:
        settings = Path(profile) / "user" / "registrymodifications.xcu"
        settings.parent.mkdir(parents=True)
        settings.write_text(_SETTINGS, encoding="utf-8")
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, sources)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    written = [outdir / f"{source.stem}.xlsx" for source in sources]
    missing = [path.name for path in written if not path.exists()]
    if done.returncode or missing:
        raise JbjrFout(f"LibreOffice faalde ({done.returncode}): {done.stderr.strip()} {missing}")
    return written
