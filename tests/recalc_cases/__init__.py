"""Helpers for the recalculation tests: small workbooks built with openpyxl, evaluated by the engine."""
