"""Every writer of a workbook or export, sharing one set of styles, number formats and euro helpers."""
