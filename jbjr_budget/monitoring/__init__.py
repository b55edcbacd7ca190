"""Monitoring: templates GIs fill in each period, strict import into a ledger, and the consolidated report.

``layout`` is the single source of the template layout; ``template`` writes it,
``validate`` reads a returned file against it, ``importer`` stores valid files
in the ``ledger`` and ``report`` consolidates the ledger against the budget.
"""
