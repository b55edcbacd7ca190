"""The module named under ``UDF Modules`` in the workbook's ``xlwings.conf`` sheet.

xlwings' "Import Functions" makes a VBA stub for every decorated function in
this module's namespace, named after the function; so each UDF and macro is
here exactly once, under its upper-case Excel name (``JBJR_TARIEF``).
"""

from __future__ import annotations

import udfs.macros  # noqa: F401 - importing registers the macros
from udfs.registration import excel_decorated

globals().update(excel_decorated())

