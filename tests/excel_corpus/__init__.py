"""A corpus of workbooks saved by Microsoft Excel, obtained from package registries, and its scorer."""
