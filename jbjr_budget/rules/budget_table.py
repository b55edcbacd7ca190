"""Budget lines as integer-coded numpy columns: the table the budget core fills and the models read.

Every dimension (region, municipality, product, year) is a tuple of labels and,
per line, an integer code into it; money and volume are int64 (cents, 0.001 unit).
Totals are exact integer sums. A pandas DataFrame is made only at the edge, by
:meth:`BudgetLines.frame`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUDGET_COLUMNS", "FLAG_COLUMNS", "BudgetLines", "Column", "Dimension", "Flag"]

BUDGET_COLUMNS = ["regio", "gemeente", "product", "jaar", "volume", "tarief_centen", "bedrag_centen"]
FLAG_COLUMNS = ["voorbeeld", "voorlopig"]
"""Per line: whether its volume or tariff rests on an example value, or on a provisional figure."""
Dimension = Literal["regio", "gemeente", "product", "jaar"]
Column = Literal["volume_milli", "tarief_centen", "bedrag_centen"]
Flag = Literal["voorbeeld", "voorlopig"]
Codes = npt.NDArray[np.intp]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class BudgetLines:
    """One line per municipality x product its region buys x year, in that order.

    The lines of one municipality and product are consecutive, one per year in
    the order of :attr:`jaren`; :meth:`per_year` relies on it.
    """

    regios: tuple[str, ...]
    gemeenten: tuple[str, ...]
    producten: tuple[str, ...]
    jaren: tuple[int, ...]
    regio: Codes
    gemeente: Codes
    product: Codes
    jaar: Codes
    volume_milli: Ints
    tarief_centen: Ints
    bedrag_centen: Ints
    voorbeeld: Bools
    """Per line: its volume or tariff rests on an example value (not a published figure)."""
    voorlopig: Bools
    """Per line: its volume or tariff rests on a provisional (not yet final) figure."""

    def __len__(self) -> int:
        """Number of lines."""
        return len(self.bedrag_centen)

    @property
    def volume(self) -> npt.NDArray[np.float64]:
        """Per line, its volume in units (the lines keep it in thousandths, exact)."""
        return self.volume_milli / 1000

    def labels(self, dimension: Dimension) -> tuple[Any, ...]:
        """The labels of ``dimension`` (keys, product codes or years)."""
        return {"regio": self.regios, "gemeente": self.gemeenten, "product": self.producten,
                "jaar": self.jaren}[dimension]

    def codes(self, dimension: Dimension) -> Codes:
        """Per line, the index of its label in :meth:`labels`."""
        return {"regio": self.regio, "gemeente": self.gemeente, "product": self.product, "jaar": self.jaar}[dimension]

    def sum_by(self, *dimensions: Dimension, column: Column = "bedrag_centen") -> Ints:
        """Exact sums of ``column`` with one axis per dimension, in label order (zero where no line is).

        Examples:
            ``lines.sum_by("regio", "jaar")[r, y]`` is the budget of region ``r`` in year ``y``, in cents.
        """
        sizes = [len(self.labels(d)) for d in dimensions]
        totals = np.zeros(math.prod(sizes), dtype=np.int64)
        np.add.at(totals, self._flat(dimensions, sizes), getattr(self, column))
        return totals.reshape(sizes)

    def any_by(self, *dimensions: Dimension, flag: Flag) -> Bools:
        """Whether any line has ``flag``, with one axis per dimension as :meth:`sum_by`."""
        sizes = [len(self.labels(d)) for d in dimensions]
        found = np.zeros(math.prod(sizes), dtype=bool)
        found[self._flat(dimensions, sizes)[getattr(self, flag)]] = True
        return found.reshape(sizes)

    def _flat(self, dimensions: tuple[Dimension, ...], sizes: list[int]) -> Codes:
        """Per line, its position in the flattened array with one axis per dimension."""
        if not dimensions:
            return np.zeros(len(self), dtype=np.intp)
        return np.ravel_multi_index(tuple(self.codes(d) for d in dimensions), sizes)

    def per_year(self, column: Column) -> tuple[Codes, Codes, Ints]:
        """Municipality and product codes of each (municipality, product), and ``column`` with one column per year."""
        years = len(self.jaren)
        return self.gemeente[::years], self.product[::years], getattr(self, column).reshape(-1, years)

    def frame(self) -> pd.DataFrame:
        """The lines as a DataFrame with :data:`BUDGET_COLUMNS` and :data:`FLAG_COLUMNS` (volume in units, cents)."""
        import pandas as pd  # noqa: PLC0415 - only here: the budget core itself needs no pandas

        return pd.DataFrame({
            "regio": _take(self.regios, self.regio), "gemeente": _take(self.gemeenten, self.gemeente),
            "product": _take(self.producten, self.product), "jaar": np.array(self.jaren, dtype=np.int64)[self.jaar],
            "volume": self.volume, "tarief_centen": self.tarief_centen,
            "bedrag_centen": self.bedrag_centen, "voorbeeld": self.voorbeeld, "voorlopig": self.voorlopig,
        })


def _take(labels: tuple[str, ...], codes: Codes) -> npt.NDArray[np.object_]:
    return np.array(labels, dtype=object)[codes]
