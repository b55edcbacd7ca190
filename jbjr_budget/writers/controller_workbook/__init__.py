"""The controller workbook (xlsm) for Excel users: built from the xlwings quickstart, never edited by hand."""
