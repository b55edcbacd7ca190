"""Reporting periods: a quarter (``2026-Q1``) or a month (``2026-M03``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from jbjr_budget.errors import InvoerFout

__all__ = ["PERIODE_PATROON", "Periode"]

PERIODE_PATROON = re.compile(r"(?P<jaar>\d{4})-(?:Q(?P<kwartaal>[1-4])|M(?P<maand>0[1-9]|1[0-2]))")


@dataclass(frozen=True, order=True)
class Periode:
    """A reporting period: ``months`` consecutive months from ``jaar``/``eerste_maand``."""

    jaar: int
    eerste_maand: int
    months: int

    @classmethod
    def parse(cls, text: object) -> Periode:
        """Parse ``2026-Q1`` (quarter) or ``2026-M03`` (month).

        Examples:
            >>> Periode.parse("2026-Q2").start
            datetime.date(2026, 4, 1)
            >>> Periode.parse("2026-M03").code
            '2026-M03'
        """
        match = PERIODE_PATROON.fullmatch(str(text).strip().upper())
        if not match:
            raise InvoerFout(f"periode '{text}' onbekend: gebruik bijv. 2026-Q1 (kwartaal) of 2026-M03 (maand)")
        jaar = int(match["jaar"])
        if match["kwartaal"]:
            return cls(jaar, 3 * int(match["kwartaal"]) - 2, 3)
        return cls(jaar, int(match["maand"]), 1)

    @property
    def code(self) -> str:
        """The period as users write it."""
        if self.months == 3:
            return f"{self.jaar}-Q{(self.eerste_maand + 2) // 3}"
        return f"{self.jaar}-M{self.eerste_maand:02d}"

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return dt.date(self.jaar, self.eerste_maand, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        last = self.eerste_maand + self.months - 1
        return dt.date(self.jaar, last, calendar.monthrange(self.jaar, last)[1])

    @property
    def year_share(self) -> Fraction:
        """Share of the year the period covers (1/4 for a quarter)."""
        return Fraction(self.months, 12)

    def previous(self) -> Periode:
        """The period of the same length just before this one.

        Examples:
            >>> Periode.parse("2026-Q1").previous().code
            '2025-Q4'
        """
        index = self.jaar * 12 + self.eerste_maand - 1 - self.months
        return Periode(index // 12, index % 12 + 1, self.months)

    def __str__(self) -> str:
        """The period code."""
        return self.code
