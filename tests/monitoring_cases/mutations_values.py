"""Mutations of identity and values: forged metadata, headers and names; numbers, formats and texts.

Each takes a random generator and a clean filled file and returns a :class:`Case` with its verdict.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from jbjr_budget.monitoring.layout import META_SHEET, Field, build_layout, template_name
from jbjr_budget.monitoring.periode import Periode
from jbjr_budget.rules.catalog import load_catalog
from monitoring_cases.harness import Case, Filled
from monitoring_cases.package_edit import number_cell, text_cell

Mutation = Callable[[random.Random, Filled], Case]
META_ROWS = {"gi": 4, "regio": 5, "periode": 6, "vingerafdruk": 9}
NUMERIC_FORMS = (("personeel", "fte"), ("personeel", "caseload"), ("personeel", "vacatures"),
                 ("financien", "omzet_centen"), ("financien", "kosten_centen"), ("financien", "eigen_vermogen_centen"))


def accept(kind: str, filled: Filled, name: str | None = None) -> Case:
    return Case(kind, name or filled.name, filled.parts.dump(), dict(filled.expected))


def refuse(kind: str, filled: Filled, *issues: tuple[str, str | None, str | None], name: str | None = None) -> Case:
    return Case(kind, name or filled.name, filled.parts.dump(), None, issues)


def _forge(filled: Filled, gi: str, regio: str, periode: Periode) -> str:
    """Rewrite the hidden metadata for another identity with a recomputed fingerprint; returns the new file name."""
    catalog = load_catalog()
    layout = build_layout(catalog, gi, regio, periode)
    meta = layout.meta()
    styles = filled.parts.styles(META_SHEET)
    filled.parts.set_cells(META_SHEET, {f"B{row}": text_cell(f"B{row}", styles.get(f"B{row}", "0"), meta[key])
                                        for key, row in (*META_ROWS.items(), ("producten", 7), ("gemeenten", 8))})
    return template_name(gi, regio, periode)


def forged_gi(rng: random.Random, filled: Filled) -> Case:
    regio = load_catalog().regio(filled.layout.regio)
    other = rng.choice([gi for gi in regio.gis if gi != filled.layout.gi])
    name = _forge(filled, other, filled.layout.regio, filled.layout.periode)
    return refuse("forged_gi", filled, ("het blad toont GI", "Instructie", "A2"), name=name)


def forged_period(rng: random.Random, filled: Filled) -> Case:
    periode = filled.layout.periode.previous() if rng.random() < 0.5 else Periode.parse(
        f"{filled.layout.periode.jaar + 1}-{filled.layout.periode.code[5:]}")
    name = _forge(filled, filled.layout.gi, filled.layout.regio, periode)
    return refuse("forged_period", filled, ("het blad toont periode", "Instructie", "A2"), name=name)


def forged_region(rng: random.Random, filled: Filled) -> Case:
    catalog = load_catalog()
    others = [r.key for r in catalog.regios.values() if filled.layout.gi in r.gis and r.key != filled.layout.regio]
    name = _forge(filled, filled.layout.gi, rng.choice(others), filled.layout.periode)
    return refuse("forged_region", filled, ("het blad toont regio", "Instructie", "A2"), name=name)


def header_changed(rng: random.Random, filled: Filled) -> Case:
    sheet = rng.choice([s.name for s in filled.layout.sheets])
    catalog = load_catalog()
    other = catalog.gi(rng.choice([g for g in catalog.regio(filled.layout.regio).gis if g != filled.layout.gi]))
    own = catalog.gi(filled.layout.gi).naam
    text = next(lb.text for lb in filled.layout.sheets[0].labels if lb.style == "ondertitel").replace(own, other.naam)
    filled.parts.set_cells(sheet, {"A2": text_cell("A2", filled.parts.styles(sheet).get("A2", "0"), text)})
    return refuse("header_changed", filled, ("het blad toont GI", sheet, "A2"))


def name_other_gi(rng: random.Random, filled: Filled) -> Case:
    other = rng.choice([g for g in load_catalog().regio(filled.layout.regio).gis if g != filled.layout.gi])
    name = template_name(other, filled.layout.regio, filled.layout.periode)
    return refuse("name_other_gi", filled, ("bestandsnaam noemt GI", None, None), name=name)


def name_other_period(rng: random.Random, filled: Filled) -> Case:
    name = template_name(filled.layout.gi, filled.layout.regio, filled.layout.periode.previous())
    return refuse("name_other_period", filled, ("bestandsnaam noemt periode", None, None), name=name)


def _numeric(rng: random.Random, filled: Filled) -> Field:
    return filled.field(*rng.choice(NUMERIC_FORMS))


def _restyle(filled: Filled, item: Field, number_format: str, value: str | None = None) -> None:
    """Give an input cell another number format, keeping (or replacing) the number stored in it."""
    part = filled.parts.text(filled.parts.sheet_part(item.sheet))
    stored = re.search(rf'<c r="{item.cell}"[^>]*><v>([^<]*)</v>', part)
    assert stored, item.cell
    style = filled.parts.add_style(filled.parts.styles(item.sheet)[item.cell], number_format)
    filled.parts.set_cells(item.sheet, {item.cell: number_cell(item.cell, style, value or stored.group(1))})


def percent_typed(rng: random.Random, filled: Filled) -> Case:
    """13,6% typed in a percentage cell: stored 0.136 with a percent format, booked 13.6."""
    item = filled.field("personeel", rng.choice(("verloop_pct", "verzuim_pct")))
    number = rng.randint(0, 1000) / 10
    _restyle(filled, item, rng.choice(("0.0%", "0%", "0.00%")), repr(number / 100))
    filled.expected[(item.table, item.keys, item.column)] = number
    return accept("percent_typed", filled)


def harmless_format(rng: random.Random, filled: Filled) -> Case:
    """Formats that show the same magnitude (thousands separators, exponent, colour, unit, fraction)."""
    _restyle(filled, _numeric(rng, filled), rng.choice(("#,##0.00", "0.00E+00", "[Red]0.0", '0.0" fte"',
                                                         "# ?/?", "#,##0.00;[Red]-#,##0.00", "General", "@")))
    return accept("harmless_format", filled)


def _format_refused(kind: str, number_format: str, message: str, negative: bool = False) -> Mutation:
    def mutate(rng: random.Random, filled: Filled) -> Case:
        item = filled.field("financien", "eigen_vermogen_centen") if negative else _numeric(rng, filled)
        _restyle(filled, item, number_format, "-1234.5" if negative else None)
        return refuse(kind, filled, (message, item.sheet, item.cell))
    return mutate


def percent_on_count(rng: random.Random, filled: Filled) -> Case:
    item = filled.field("volume", "stand_begin", rng.randrange(len(filled.layout.gemeenten)))
    _restyle(filled, item, "0%")
    return refuse("percent_on_count", filled, ("toont het getal als percentage", item.sheet, item.cell))


def _raw_number(kind: str, texts: tuple[str, ...], message: str) -> Mutation:
    """A number cell whose stored text a spreadsheet would not read as that number (or at all)."""
    def mutate(rng: random.Random, filled: Filled) -> Case:
        item = _numeric(rng, filled)
        filled.parts.set_cells(item.sheet, {item.cell: number_cell(
            item.cell, filled.parts.styles(item.sheet)[item.cell], rng.choice(texts))})
        return refuse(kind, filled, (message, item.sheet, item.cell))
    return mutate


def _in_cell(kind: str, element: str, message: str, text_field: bool = False) -> Mutation:
    """Replace an input cell by ``element`` (``{ref}`` and ``{s}`` filled in)."""
    def mutate(rng: random.Random, filled: Filled) -> Case:
        item = filled.field("toelichting", "tekst", rng.randrange(5)) if text_field else _numeric(rng, filled)
        style = filled.parts.styles(item.sheet)[item.cell]
        filled.parts.set_cells(item.sheet, {item.cell: element.format(ref=item.cell, s=style)})
        return refuse(kind, filled, (message, item.sheet, item.cell))
    return mutate


VALUE_KINDS: dict[str, Mutation] = {
    "forged_gi": forged_gi,
    "forged_period": forged_period,
    "forged_region": forged_region,
    "header_changed": header_changed,
    "name_other_gi": name_other_gi,
    "name_other_period": name_other_period,
    "percent_typed": percent_typed,
    "harmless_format": harmless_format,
    "percent_on_count": percent_on_count,
    "scaling_comma": _format_refused("scaling_comma", "#,##0,", "1000 keer kleiner"),
    "scaling_comma_millions": _format_refused("scaling_comma_millions", "0.0,,", "1000 keer kleiner"),
    "hidden_format": _format_refused("hidden_format", ";;;", "toont het getal niet"),
    "text_only_format": _format_refused("text_only_format", '"nvt"', "toont het getal niet"),
    "date_format": _format_refused("date_format", "d-m-yyyy", "datum of tijd"),
    "time_format": _format_refused("time_format", "[h]:mm", "datum of tijd"),
    "fixed_digits": _format_refused("fixed_digits", '0"000"', "vaste cijfers"),
    "fill_digits": _format_refused("fill_digits", "*00", "vaste cijfers"),
    "condition_format": _format_refused("condition_format", "[>100]0;0", "voorwaardelijke getalnotatie"),
    "other_numerals": _format_refused("other_numerals", "[DBNum1]0", "andere cijfers"),
    "no_minus": _format_refused("no_minus", "0.00;0.00", "zonder minteken", negative=True),
    "underscore_digits": _raw_number("underscore_digits", ("1_0", "1_000.5"), "ongeldig getal"),
    "unicode_digits": _raw_number("unicode_digits", ("\u0661\u0660", "\uff15", "\u0967\u0968", "1\u00a0000"),
                                  "ongeldig getal"),
    "not_finite": _raw_number("not_finite", ("1E999", "-1E999"), "ongeldig getal: "),
    "nan": _raw_number("nan", ("NaN", "nan", "Infinity"), "ongeldig getal"),
    "hex_number": _raw_number("hex_number", ("0x10", "12e", "1e+", " ", "1,5"), "ongeldig getal"),
    "text_not_finite": _in_cell("text_not_finite", '<c r="{ref}" s="{s}"><v>-1E999</v></c>', "ongeldig getal: -inf",
                                text_field=True),
    "number_in_text": _in_cell("number_in_text", '<c r="{ref}" s="{s}"><v>12.5</v></c>', "getal in een tekstveld",
                               text_field=True),
    "text_in_number": _in_cell("text_in_number", '<c r="{ref}" s="{s}" t="inlineStr"><is><t>12</t></is></c>',
                               "tekst in een getalcel"),
    "formula": _in_cell("formula", '<c r="{ref}" s="{s}"><f>1+2</f><v>3</v></c>', "formule in invoercel"),
    "shared_formula": _in_cell("shared_formula", '<c r="{ref}" s="{s}"><f t="shared" si="0"/><v>3</v></c>',
                               "formule in invoercel"),
    "bool_cell": _in_cell("bool_cell", '<c r="{ref}" s="{s}" t="b"><v>1</v></c>', "ja/nee-waarde"),
    "error_cell": _in_cell("error_cell", '<c r="{ref}" s="{s}" t="e"><v>#DIV/0!</v></c>', "foutwaarde #DIV/0!"),
    "date_cell": _in_cell("date_cell", '<c r="{ref}" s="{s}" t="d"><v>2026-03-01</v></c>', "datum of tijd"),
}
