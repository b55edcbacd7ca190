"""Models built from the rules: the multi-year budget and the monitoring figures, as plain data frames."""
