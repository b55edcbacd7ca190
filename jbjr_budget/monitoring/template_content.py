"""What each monitoring template sheet asks for and tells the GI: kinds of input, columns, form fields, texts.

Data, not layout: :mod:`jbjr_budget.monitoring.layout` places these on sheets and cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "DEFAULT_RANGE",
    "FINANCIEN_FIELDS",
    "INSTRUCTIES",
    "NORM_COLUMNS",
    "PERSONEEL_FIELDS",
    "SECTIES",
    "VOLUME_COLUMNS",
    "CheckKind",
    "Empty",
    "FormSpec",
    "Kind",
]

Kind = Literal["geheel", "decimaal", "percentage", "bedrag", "keuze", "tekst"]
Empty = Literal["nul", "leeg", "verplicht"]
CheckKind = Literal["balans", "hoogstens", "verschil"]

DEFAULT_RANGE: dict[Kind, tuple[Decimal | None, Decimal | None]] = {
    "geheel": (Decimal(0), None),
    "decimaal": (Decimal(0), None),
    "percentage": (Decimal(0), Decimal(100)),
    "bedrag": (Decimal(-10**12), Decimal(10**12)),
    "keuze": (None, None),
    "tekst": (None, Decimal(2000)),
}


VOLUME_COLUMNS: tuple[tuple[str, str, Kind, Empty], ...] = (
    ("stand_begin", "Stand begin periode", "geheel", "nul"),
    ("instroom", "Instroom", "geheel", "nul"),
    ("uitstroom", "Uitstroom", "geheel", "nul"),
    ("stand_einde", "Stand einde periode", "geheel", "nul"),
    ("gem_duur_maanden", "Gemiddelde duur (maanden)", "decimaal", "leeg"),
    ("wachtenden", "Wachtende gezinnen (einde periode)", "geheel", "nul"),
    ("gem_wachttijd_dagen", "Gemiddelde wachttijd (dagen)", "decimaal", "leeg"),
)
NORM_COLUMNS = (
    ("binnen_5_werkdagen", "Jeugdbeschermer gekoppeld binnen 5 werkdagen", "5 werkdagen"),
    ("binnen_6_weken", "Plan van aanpak binnen 6 weken", "6 weken"),
    ("binnen_3_maanden", "Passende hulp binnen 3 maanden", "3 maanden"),
)


@dataclass(frozen=True)
class FormSpec:
    """One row of a form sheet (Personeel, Financiën): ledger column, label, kind, unit text."""

    column: str
    label: str
    kind: Kind
    unit: str
    minimum: Decimal | None = None
    choices: tuple[str, ...] = ()


PERSONEEL_FIELDS = (
    FormSpec("fte", "Fte jeugdbeschermers (gemiddeld in de periode)", "decimaal", "fte"),
    FormSpec("caseload", "Caseload per fte (gemiddeld aantal kinderen)", "decimaal", "kinderen per fte"),
    FormSpec("verloop_pct", "Personeelsverloop", "percentage", "% (0-100)"),
    FormSpec("verzuim_pct", "Ziekteverzuim", "percentage", "% (0-100)"),
    FormSpec("vacatures", "Openstaande vacatures (einde periode)", "decimaal", "fte"),
    FormSpec("instroom", "Instroom personeel", "geheel", "personen"),
    FormSpec("uitstroom", "Uitstroom personeel", "geheel", "personen"),
)
FINANCIEN_FIELDS = (
    FormSpec("omzet_centen", "Omzet (periode)", "bedrag", "euro", minimum=Decimal(0)),
    FormSpec("kosten_centen", "Kosten (periode)", "bedrag", "euro", minimum=Decimal(0)),
    FormSpec("resultaat_centen", "Resultaat (omzet min kosten)", "bedrag", "euro"),
    FormSpec("eigen_vermogen_centen", "Eigen vermogen (einde periode)", "bedrag", "euro"),
    FormSpec("weerstandsvermogen_pct", "Weerstandsvermogen", "percentage", "% van de omzet (-100 tot 100)",
             minimum=Decimal(-100)),
    FormSpec("status", "Status van de financiële cijfers", "keuze", "kies uit de lijst",
             choices=("Voorlopig", "Definitief")),
)
SECTIES = (("volumes", "Volumes"), ("inspectienormen", "Inspectienormen"), ("personeel", "Personeel"),
           ("financien", "Financiën"), ("algemeen", "Algemeen"))

INSTRUCTIES = (
    "Vul alleen de gele cellen in; alle andere cellen zijn beveiligd (zonder wachtwoord).",
    "Typ waarden, geen formules of koppelingen: formules, hyperlinks en externe verwijzingen worden geweigerd.",
    "Aantallen zijn hele getallen van 0 of meer; een lege cel telt als 0.",
    "Percentages vult u in als getal van 0 tot 100 (7,5 en 7,5% betekenen allebei 7,5%), bedragen in euro's.",
    "Blad Volumes: per product en gemeente de stand begin, instroom, uitstroom en stand einde. "
    "Bij producten per uur is de instroom het aantal geleverde uren, bij producten per traject of stuk "
    "het aantal gestarte trajecten of stuks.",
    "De stand begin is vooraf ingevuld met de stand einde van de vorige periode als die al is ingelezen; "
    "pas hem aan als hij niet klopt en leg dat uit op blad Toelichting.",
    "De kolom Controle toont direct of stand begin + instroom - uitstroom gelijk is aan stand einde "
    "en of normaantallen niet groter zijn dan het aantal zaken. Rood betekent: controleer de invoer.",
    "Een bestand met een rode controle wordt bij het inlezen geweigerd.",
    "Wijzig geen bladnamen, rijen of kolommen en hernoem het bestand niet naar een andere GI, regio of periode.",
    "Sla op als .xlsx (Excel-werkmap), niet als .xlsm of .xls.",
)
