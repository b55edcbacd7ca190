"""jbjr_budget: tarieven, begrotingen en monitoring voor jeugdbescherming en jeugdreclassering."""

__version__ = "0.1.0"
