"""The one look of every workbook jbjr_budget writes: fonts, fills, number formats, row heights, print setup.

The begroting workbook, the controller workbook, the monitoring templates and the
report take their styles from here, so a fix to the look is made once. Number
formats are stored in the file in Excel's neutral (US) syntax; Excel and
LibreOffice show them with the user's Dutch separators (``€ 1.234,56``).
"""

from __future__ import annotations

import math

from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "BOLD",
    "DATE",
    "DATE_TIME",
    "DECIMAL",
    "EURO",
    "EURO_WHOLE",
    "FAIL_FILL",
    "FAIL_FONT",
    "FTE",
    "HEADER_FILL",
    "HEADER_FONT",
    "INPUT_BORDER",
    "INPUT_FILL",
    "LINE_HEIGHT",
    "PERCENT",
    "TITLE_FONT",
    "VOLUME",
    "WARNING_FONT",
    "print_setup",
    "repeat_rows",
    "wrapped_lines",
]

EURO = '"€" #,##0.00'
EURO_WHOLE = '"€" #,##0'
PERCENT = "0.00%"
DECIMAL = "#,##0.000"
VOLUME = "#,##0.0##"
FTE = "#,##0.0"
DATE = "d-m-yyyy"
DATE_TIME = "d-m-yyyy hh:mm"

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WARNING_FONT = Font(bold=True, color="C00000")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_BORDER = Border(*(Side(style="thin", color="BF9000"),) * 4)
FAIL_FILL = PatternFill("solid", fgColor="F4B6B6")
FAIL_FONT = Font(bold=True, color="9C0006")
LINE_HEIGHT = 15.0  # points per line of 11 pt text
PORTRAIT_WIDTH = 100.0
"""Column units (characters) that fit across portrait A4 at a readable scale; wider sheets print landscape."""
DEFAULT_WIDTH = 8.43
FOOTER_LEFT, FOOTER_RIGHT = "&A", "Pagina &P van &N"  # the sheet's name; page numbers


def wrapped_lines(text: str, width: float, factor: float = 0.9) -> int:
    """Lines a wrapped ``text`` takes in a column ``width`` characters wide.

    Neither Excel nor LibreOffice grows a row for wrapped text when it opens a
    generated file, so writers set the height themselves. ``factor`` is the
    width of a character relative to the column unit: about 0.9 for running
    text, 1.2 for bold headers.

    Examples:
        >>> wrapped_lines("kort", 20)
        1
        >>> wrapped_lines("x" * 150, 100)
        2
    """
    return max(1, math.ceil(len(text) * factor / width))


def used_width(ws: Worksheet) -> float:
    """Width in characters (Excel's column unit) of the columns in use or given a width (a table spills there)."""
    sized = [column_index_from_string(k) for k, d in ws.column_dimensions.items() if d.width]
    last = max([ws.max_column, *sized])
    return sum(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH for c in range(1, last + 1))


def print_setup(ws: Worksheet) -> None:
    """Print on A4, landscape when the sheet is wider than portrait fits, every column on one page wide.

    The footer names the sheet (left) and numbers the pages (right), so a printed or PDF page
    says where it comes from. Rows to repeat on each page are set by :func:`repeat_rows`.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if used_width(ws) > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.left.text, ws.oddFooter.right.text = FOOTER_LEFT, FOOTER_RIGHT


def repeat_rows(ws: Worksheet, row: int) -> None:
    """Print ``row`` (a table's header) again at the top of every page."""
    ws.print_title_rows = f"{row}:{row}"
