"""Excel's parameter classes: what a function argument does with a range in a plain (not array) formula.

``V`` (value): a range is implicitly intersected with the formula's row or column; ``R`` (reference):
a range passes whole, and operators inside the argument still intersect; ``A`` (array): the argument
is evaluated as an array formula (so ``SUMPRODUCT((A1:A9>0)*B1:B9)`` needs no Ctrl+Shift+Enter).
Classes follow Excel's function table (BIFF: ``RO``/``RX`` reference, ``VR``/``VV`` value, ``RA``/``VA``
array conversion), as LibreOffice's and OpenOffice's Excel filters list them. Functions not listed
take values; functions handed in by the caller (JBJR) take references.
"""

from __future__ import annotations

__all__ = ["AGGREGATES", "parameter_class"]

_ALL_REFERENCES = (
    "SUM", "AVERAGE", "AVERAGEA", "MIN", "MINA", "MAX", "MAXA", "COUNT", "COUNTA", "PRODUCT", "AND", "OR", "XOR",
    "MEDIAN", "DEVSQ", "GEOMEAN", "HARMEAN", "SUMSQ", "KURT", "SKEW", "AVEDEV", "GCD", "LCM", "MULTINOMIAL",
    "CONCAT", "STDEV", "STDEVP", "STDEVA", "STDEVPA", "STDEV.S", "STDEV.P", "VAR", "VARP", "VARA", "VARPA",
    "VAR.S", "VAR.P", "SKEW.P",
)
_ALL_ARRAYS = (
    "SUMPRODUCT", "MMULT", "MDETERM", "MINVERSE", "TRANSPOSE", "FREQUENCY", "MODE", "MODE.SNGL", "MODE.MULT",
    "SUMX2MY2", "SUMX2PY2", "SUMXMY2", "CORREL", "COVAR", "COVARIANCE.P", "COVARIANCE.S", "PEARSON", "RSQ",
    "STEYX", "SLOPE", "INTERCEPT", "FTEST", "F.TEST", "CHITEST", "CHISQ.TEST",
)
# name: (classes of the first arguments, classes repeated for the rest)
_CLASSES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(_ALL_REFERENCES, ("", "R")),
    **dict.fromkeys(_ALL_ARRAYS, ("", "A")),
    **dict.fromkeys(("ROW", "COLUMN", "ROWS", "COLUMNS", "AREAS", "ISREF", "N", "T", "ISFORMULA", "FORMULATEXT",
                     "SHEET", "SHEETS", "COUNTBLANK"), ("R", "V")),
    **dict.fromkeys(("IF", "CHOOSE", "IFERROR", "IFNA"), ("V", "R")),
    "IFS": ("", "VR"), "SWITCH": ("V", "VR"),
    "INDEX": ("A", "V"), "LOOKUP": ("V", "A"), "MATCH": ("V", "R"), "XMATCH": ("VR", "V"),
    "VLOOKUP": ("VRR", "V"), "HLOOKUP": ("VRR", "V"), "XLOOKUP": ("VRR", "V"),
    "SUMIF": ("RVR", "V"), "AVERAGEIF": ("RVR", "V"), "COUNTIF": ("RV", "V"), "COUNTIFS": ("", "RV"),
    **dict.fromkeys(("SUMIFS", "AVERAGEIFS", "MAXIFS", "MINIFS"), ("R", "RV")),
    **dict.fromkeys(("LARGE", "SMALL", "PERCENTILE", "PERCENTILE.INC", "PERCENTILE.EXC", "QUARTILE", "QUARTILE.INC",
                     "QUARTILE.EXC", "TRIMMEAN", "PERCENTRANK", "PERCENTRANK.INC", "PERCENTRANK.EXC"), ("R", "V")),
    **dict.fromkeys(("RANK", "RANK.EQ", "RANK.AVG"), ("VR", "V")),
    "NPV": ("V", "R"), "IRR": ("A", "V"), "MIRR": ("A", "V"), "XNPV": ("V", "R"), "XIRR": ("RR", "V"),
    "FORECAST": ("V", "A"), "FORECAST.LINEAR": ("V", "A"), "TTEST": ("AA", "V"), "T.TEST": ("AA", "V"),
    "PROB": ("AA", "V"), "LINEST": ("AA", "V"), "LOGEST": ("AA", "V"), "TREND": ("AAA", "V"), "GROWTH": ("AAA", "V"),
    "OFFSET": ("R", "V"), "CELL": ("V", "R"), "SUBTOTAL": ("V", "R"), "AGGREGATE": ("VV", "A"),
    "TEXTJOIN": ("VV", "R"), "FILTER": ("RA", "V"), "SORT": ("R", "V"), "SORTBY": ("R", "RV"), "UNIQUE": ("R", "V"),
    "VSTACK": ("", "A"), "HSTACK": ("", "A"),
    "Z.TEST": ("RV", "V"), "ZTEST": ("RV", "V"),
    **dict.fromkeys(("TOCOL", "TOROW", "TAKE", "DROP", "CHOOSEROWS", "CHOOSECOLS"), ("A", "V")),
    **dict.fromkeys(("NETWORKDAYS", "WORKDAY"), ("VVR", "V")),
    **dict.fromkeys(("NETWORKDAYS.INTL", "WORKDAY.INTL"), ("VVVR", "V")),
}
AGGREGATES = frozenset(name for name, classes in _CLASSES.items() if classes == ("", "R"))
"""Functions whose every argument is a reference: a union or 3D reference counts as several arguments."""


def parameter_class(function: str, index: int, *, custom: bool = False) -> str:
    """The class (``V``, ``R`` or ``A``) of argument number ``index`` (from 0) of ``function``.

    Examples:
        >>> parameter_class("SUMIFS", 0), parameter_class("SUMIFS", 2), parameter_class("ROUND", 0)
        ('R', 'V', 'V')
    """
    first, repeated = _CLASSES.get(function, ("", "R" if custom else "V"))
    if index < len(first):
        return first[index]
    return repeated[(index - len(first)) % len(repeated)]
