"""Helpers for the monitoring tests: typed-in values, filling templates with openpyxl and LibreOffice."""
