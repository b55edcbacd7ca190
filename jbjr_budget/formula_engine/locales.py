"""The regional settings an Excel calculates in: en-US (the file format's own) or nl-NL (Dutch Excel on Windows).

The file format stores formulas, function names and cell formats locale-free, but a few things stay
with the Excel that calculates: the format codes inside TEXT (plain strings), the separators and
names TEXT, FIXED and DOLLAR write, how numbers and logicals become text, and how text is read
as a number or a date. The evaluator sets :data:`LOCALE` per recalculation, as it sets the date system.

Sources for nl-NL: glibc locale data ``nl_NL`` (Debian package ``locales``,
/usr/share/i18n/locales/nl_NL): LC_TIME ``mon``/``abmon``/``day``/``abday`` (januari.., jan feb mrt ..,
maandag.., ma di wo ..), LC_NUMERIC (``,`` decimal, ``.`` thousands) and LC_MONETARY (``€`` before the
amount with a space, the minus between them: ``€ -1.234,50``); Dutch TEXT codes ``j`` (jaar) and ``u``
(uur), English ``yyyy`` shown as text: https://xyloslearning.com/en/excel-format-dates-with-the-text-function/
(``ddd dd mmm jjjj``) and https://www.engram9.info/excel-2007-vba-2/text-worksheet-function.html.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from jbjr_budget.errors import JbjrFout

__all__ = ["EN_US", "LOCALE", "LOCALES", "NL_NL", "Locale", "locale_named"]


@dataclass(frozen=True, slots=True)
class Locale:
    """What Excel does differently in one locale; days run Monday to Sunday."""

    name: str
    decimal: str
    thousands: str
    months: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    days: tuple[str, ...]
    day_abbreviations: tuple[str, ...]
    code_letters: dict[str, str]  # TEXT's own date/time letters -> en-US ones ("j" -> "y"); "": shown as text
    general: str  # TEXT's name of the General format
    logicals: tuple[str, str]  # TRUE, FALSE as text
    currency: tuple[str, str]  # DOLLAR's positive and negative pattern around the amount ("{}")
    day_first: bool  # dates written as text are read day-month-year
    separators: dict[str, str] = field(init=False)
    """The decimal and thousands signs as en-US writes them (nl-NL: ``,`` -> ``.``, ``.`` -> ``,``)."""

    def __post_init__(self) -> None:
        """Derive :attr:`separators` from the two signs."""
        object.__setattr__(self, "separators", {self.decimal: ".", self.thousands: ","})


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

EN_US = Locale(
    "en-US", ".", ",", _EN_MONTHS, tuple(name[:3] for name in _EN_MONTHS), _EN_DAYS,
    tuple(name[:3] for name in _EN_DAYS), {}, "General", ("TRUE", "FALSE"), ("${}", "(${})"), day_first=False,
)
NL_NL = Locale(
    "nl-NL", ",", ".",
    ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
     "november", "december"),
    ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    ("ma", "di", "wo", "do", "vr", "za", "zo"),
    {"j": "y", "u": "h", "y": "", "h": ""}, "Standaard", ("WAAR", "ONWAAR"), ("€ {}", "€ -{}"), day_first=True,
)
LOCALES = {locale.name: locale for locale in (EN_US, NL_NL)}

# The locale of the recalculation under way; the evaluator sets it from ``Book.locale``.
LOCALE: ContextVar[Locale] = ContextVar("LOCALE", default=EN_US)


def locale_named(name: str) -> Locale:
    """The locale called ``name`` (``en-US``, ``nl-NL``)."""
    try:
        return LOCALES[name]
    except KeyError:
        raise JbjrFout(f"onbekende landinstelling '{name}' (kies uit {', '.join(LOCALES)})") from None
