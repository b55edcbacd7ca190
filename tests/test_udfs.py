"""Every UDF called as Excel calls it, checked against the engine and against hand-worked values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jbjr_budget.rules.budget_lines import budget_lines, year_fraction
from jbjr_budget.rules.costprice import cost_price
from jbjr_budget.rules.indexation import applied_rate, index_factor
from jbjr_budget.rules.money import round_cents
from jbjr_budget.rules.scenarios import load_scenario
from jbjr_budget.rules.tariffs import tariff
from udfs import EXCEL_FUNCTIONS as F
from udfs import SPECS, convert

JAN_2022 = 44562  # Excel serial of 1-1-2022 (45292 is 1-1-2024; 2022 and 2023 have 365 days each)


def test_tarief_base_year_and_indexed_year(tree):
    base = Decimal(str(tree.entry("tarieven.landelijk.48A04", dt.date(2024, 1, 1)).value))
    rate_2025 = Decimal("0.0496")  # VNG, Indexatie 2025: 3,944% + 1,013% catch-up = 4,96%
    assert F["JBJR_TARIEF"](" 48a04 ", 2024.0) == float(base)
    march_2025 = dt.datetime.fromisoformat("2025-03-01")  # Excel hands over naive datetimes
    assert F["JBJR_TARIEF"]("48A04", march_2025) == float(round_cents(base * (1 + rate_2025)))
    assert F["JBJR_TARIEF"]("48A04", 2026) == float(tariff(tree, "48A04", dt.date(2026, 1, 1)))


def test_index_functions(tree):
    assert F["JBJR_INDEXPERCENTAGE"](2025.0) == 0.0496
    # 2026: no VNG figures yet, so the assumption indexatie.vng.aanname: 3,94% (an example value).
    assert F["JBJR_INDEXPERCENTAGE"]("2026") == pytest.approx(0.0394)
    assert F["JBJR_INDEXFACTOR"](2024, 2026) == pytest.approx(1.0496 * 1.0394)
    assert F["JBJR_INDEXFACTOR"](2024, 2026) == float(index_factor(tree, 2024, 2026))
    assert F["JBJR_INDEXFACTOR"](2026, 2026) == 1.0
    assert F["JBJR_GEINDEXEERD"](1000, 2024, 2026) == 1090.95  # 1000 x 1,0496 x 1,0394 = 1090,9542
    assert F["JBJR_PARAMETER"](" normen.caseload.gehanteerd ", 2026) == 12
    assert F["JBJR_PARAMETER"]("normen.caseload.gehanteerd", 2026, "caseload_15") == 15
    assert float(applied_rate(tree, 2025)) == F["JBJR_INDEXPERCENTAGE"](2025)


def test_kostprijs_and_gap(tree, catalog):
    product = catalog.product("48A04")
    at_12 = F["JBJR_KOSTPRIJS"]("48a04", 2026)
    assert at_12 == float(cost_price(tree, product, dt.date(2026, 1, 1)))
    # Direct hours scale with 1/norm, so cost at norm 15 is 12/15 of cost at norm 12 (to the cent).
    assert F["JBJR_KOSTPRIJS"]("48A04", 2026, 15) == pytest.approx(at_12 * 12 / 15, abs=0.01)
    assert F["JBJR_KOSTPRIJS"]("48A04", 2026, None, "caseload_15") == F["JBJR_KOSTPRIJS"]("48A04", 2026, 15)
    assert F["JBJR_DEKKINGSGAT"](1850, "1912,40") == -62.40
    assert F["JBJR_DEKKINGSGAT"](2000, 1912.4) == pytest.approx(87.60)


def test_fte():
    assert F["JBJR_FTE"](120, 12) == 10.0  # 120 / 12
    assert F["JBJR_FTE"](" 30 ", "12", 2.0) == 5.0  # 30 x 2 / 12
    assert F["JBJR_FTE"](0, 12, None) == 0.0


def test_volumepad_follows_the_direction_of_the_years():
    # -20% linearly over 2022-2026 is -4 points a year; 2025 averages 88 (1 Jan) and 84 (31 Dec).
    column = F["JBJR_VOLUMEPAD"](100, 0.2, JAN_2022, "31-12-2026", [[2025.0], [2026.0], [2027.0]])
    assert column == [[86.0], [82.0], [80.0]]
    assert F["JBJR_VOLUMEPAD"](100, 0.2, "1-1-2022", "31-12-2026", [[2025, 2026, 2027]]) == [[86.0, 82.0, 80.0]]
    compound = F["JBJR_VOLUMEPAD"](100, 0.2, "1-1-2022", "31-12-2026", [[2027]], "Samengesteld ")
    assert compound == [[80.0]]


def test_deeljaar_and_begroting():
    assert F["JBJR_DEELJAAR"](2026, dt.datetime.fromisoformat("2026-07-01")) == 0.5
    assert F["JBJR_DEELJAAR"](2026, "16-1-2026", "31-1-2026") == pytest.approx(16 / 31 / 12)
    assert F["JBJR_DEELJAAR"](2026.0, None, None) == 1.0
    # 10 measures x 12 months x 1577,01 x 1/2 year
    assert F["JBJR_BEGROTING"](10, "48A04", 1577.01, 2026, "1-7-2026") == 94620.60
    assert F["JBJR_BEGROTING"](25, "47A02", 2450, 2026) == 61250.0  # per traject: 25 x 2450
    fraction = year_fraction(2026, dt.date(2026, 3, 15))
    assert F["JBJR_BEGROTING"](1, "48A04", 1000, 2026, "15-3-2026") == float(round_cents(12 * 1000 * fraction))


def test_begrotingstabel_matches_engine_lines(tree, catalog):
    table = F["JBJR_BEGROTINGSTABEL"]([["alkmaar"]], [[2026.0, 2027.0]], None, [["Heiloo", None]])
    header, rows = table[0], table[1:]
    assert header == ["Regio", "Gemeente", "Product", "Jaar", "Volume", "Tarief (EUR)", "Bedrag (EUR)", "Let op"]
    lines = budget_lines(tree, catalog, ["alkmaar"], [2026, 2027]).frame()
    heiloo = lines[lines["gemeente"] == "heiloo"]
    assert len(rows) == len(heiloo) == 2 * len(catalog.regio("alkmaar").producten)
    assert {r[1] for r in rows} == {"Heiloo"}
    assert sum(r[6] for r in rows) == pytest.approx(int(heiloo["bedrag_centen"].sum()) / 100)
    # Every line rests on example volumes and tariffs, and (indexed with the 2025 rate) on provisional figures.
    assert {r[7] for r in rows} == {"voorbeeldwaarde; voorlopig cijfer"}
    for regio, _, code, _jaar, volume, tarief, bedrag, _ in rows:
        assert regio == "Regio Alkmaar"
        months = 12 if catalog.product(code).eenheid == "maand" else 1
        assert bedrag == pytest.approx(volume * months * tarief, abs=0.006)  # one line, rounded once
    only_ots = F["JBJR_BEGROTINGSTABEL"]("Regio Alkmaar", 2026, " 48a04 ", None, "1-7-2026")
    assert {r[2] for r in only_ots[1:]} == {"48A04"}
    full_year = {r[1]: r[6] for r in F["JBJR_BEGROTINGSTABEL"]("alkmaar", 2026, "48A04")[1:]}
    assert all(r[6] == pytest.approx(full_year[r[1]] / 2, abs=0.01) for r in only_ots[1:])


def test_reservepad_hand_worked():
    # Turnover 1.000.000, costs 950.000, 2% surcharge until the reserve reaches 10% (100.000):
    # 2026: 0 < 100k, surcharge 20k, result 70k, reserve 70k; 2027: 70k < 100k, reserve 140k;
    # 2028: 140k >= 100k, no surcharge, result 50k, reserve 190k.
    table = F["JBJR_RESERVEPAD"]([[2026, 2027, 2028]], 1_000_000, 950_000, 0, 0.02, 0.1)
    assert table[0][0] == "Jaar"
    assert [r[2] for r in table[1:]] == ["Ja", "Ja", "Nee"]
    assert [r[3] for r in table[1:]] == [20_000.0, 20_000.0, 0.0]
    assert [r[7] for r in table[1:]] == [70_000.0, 140_000.0, 190_000.0]
    assert [r[8] for r in table[1:]] == pytest.approx([0.07, 0.14, 0.19])
    omzet, kosten = [[1_000_000], [2_000_000]], [[900_000], [2_100_000]]
    per_year = F["JBJR_RESERVEPAD"]([[2026], [2027]], omzet, kosten, 0, 0.02, 0.1)
    assert [r[7] for r in per_year[1:]] == [120_000.0, 60_000.0]  # 100k+20k; 120k + 2.000k - 2.100k + 40k


def test_montecarlo_without_spread_equals_the_path():
    table = F["JBJR_MONTECARLO"]([[2026, 2027, 2028]], 1_000_000, 950_000, 0, 0.02, 0.1, 0, 0, 50, 7)
    summary = dict(map(tuple, table[1:]))
    assert table[0] == ["Uitkomst", "Waarde"]
    assert summary["Aantal runs"] == 50
    assert summary["Kans dat de reserve ooit negatief wordt"] == 0.0
    assert summary["Kans dat de norm eerst in 2027 bereikt wordt"] == 1.0  # 140k >= 100k, see above
    assert summary["Kans dat de norm niet bereikt wordt"] == 0.0
    assert summary["Reserve eind laatste jaar, P50 (EUR)"] == pytest.approx(190_000)


def test_ncw_and_terugverdientijd():
    assert F["JBJR_NCW"](0.1, [[-1000, 550, 605]]) == 0.0  # 550/1,1 + 605/1,21 = 1000
    assert F["JBJR_NCW"]("0,1", [[-1000], [1100]]) == 0.0
    assert F["JBJR_NCW"](0, [[-1000, 300, None, 300]]) == -400.0  # empty cells are skipped
    # cumulative -2,8 mln, -1,8 mln, -0,8 mln, then 0,8 / 1,6 of the third year: 2,5 years
    assert F["JBJR_TERUGVERDIENTIJD"]([[-2_800_000, 1_000_000, 1_000_000, 1_600_000]]) == 2.5
    assert F["JBJR_TERUGVERDIENTIJD"]([[-100, 10]]) == "niet terugverdiend"


def test_werkkapitaal_is_months_of_turnover_to_the_cent():
    assert F["JBJR_WERKKAPITAAL"](12_000_000, 2.5) == 2_500_000.0  # 12 mln / 12 x 2,5
    assert F["JBJR_WERKKAPITAAL"]("1000,01", "1") == 83.33  # 1.000,01 / 12 = 83,334 -> 83,33
    assert F["JBJR_WERKKAPITAAL"](100, -1).startswith("#JBJR! ")


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("JBJR_TARIEF", ("48X99", 2026), "#JBJR! onbekende productcode 48X99"),
        ("JBJR_TARIEF", (" 48x99 ", 2026), "#JBJR! onbekende productcode 48X99"),
        ("JBJR_TARIEF", ("48A04", None), "#JBJR! datum of jaar ontbreekt"),
        ("JBJR_TARIEF", ("48A04", 2026, "vaag"),
         "#JBJR! onbekend scenario 'vaag' (kies uit: basis, caseload_15, caseload_afbouw, doelpad_min20)"),
        ("JBJR_TARIEF", ("48A04", 60), "#JBJR! datum of jaar: 29-2-1900 bestaat niet"),
        ("JBJR_FTE", ("tien", 12), "#JBJR! volume moet een getal zijn, niet 'tien'"),
        ("JBJR_FTE", (10, 0), "#JBJR! caseloadnorm moet positief zijn, niet 0"),
        ("JBJR_INDEXFACTOR", (2026, 2024), "#JBJR! indexeren terug in de tijd (2026 naar 2024) kan niet"),
        ("JBJR_DEELJAAR", (2026, "1-7-2026", "1-1-2026"),
         "#JBJR! einddatum 2026-01-01 ligt voor begindatum 2026-07-01"),
        ("JBJR_VOLUMEPAD", (100, 0.2, "1-1-2022", "31-12-2026", 2026, "kwadratisch"),
         "#JBJR! onbekende methode 'kwadratisch' (kies lineair of samengesteld)"),
        ("JBJR_BEGROTINGSTABEL", ("atlantis", 2026),
         "#JBJR! onbekende regio atlantis; kies uit: alkmaar (Regio Alkmaar), ijmond (Regio IJmond), "
         "kop_van_noord_holland (Regio Kop van Noord-Holland), zuid_kennemerland (Regio Zuid-Kennemerland), "
         "haaglanden (Regio Haaglanden), midden_holland (Regio Midden-Holland), holland_rijnland (Regio Holland "
         "Rijnland), zuid_holland_zuid (Regio Zuid-Holland Zuid)"),
        ("JBJR_RESERVEPAD", ([[2026, 2027]], [[1, 2, 3]], 1, 0, 0.02, 0.1), "#JBJR! omzet: 3 waarden voor 2 jaren"),
        ("JBJR_NCW", (0.1, None), "#JBJR! kasstromen ontbreekt"),
        ("JBJR_PARAMETER", ("normen.onbekend", 2026), "#JBJR! Onbekende parameter 'normen.onbekend'."),
        ("JBJR_GEINDEXEERD", (1e300, 2024, 2026),
         "#JBJR! getal te groot of te klein om mee te rekenen; controleer de invoer"),
        ("JBJR_KOSTPRIJS", ("48A04", 2026, 1e-300),
         "#JBJR! getal te groot of te klein om mee te rekenen; controleer de invoer"),
        ("JBJR_TARIEF", (float("nan"), 2026), "#JBJR! productcode moet tekst of een eindig getal zijn"),
    ],
)
def test_bad_input_gives_a_short_dutch_text(name, args, expected):
    assert F[name](*args) == expected


def test_every_udf_survives_empty_cells():
    for name, spec in SPECS.items():
        result = F[name](*[None] * spec.max_args)
        if spec.min_args == 0:  # every argument optional: empty cells are a valid call (JBJR_VOORBEELDEN())
            assert isinstance(result, list), name
            continue
        assert isinstance(result, str), name
        assert result.startswith("#JBJR! "), (name, result)
        assert "Traceback" not in result


def test_scenario_argument_reaches_the_engine(catalog):
    table = F["JBJR_BEGROTINGSTABEL"]("ijmond", 2026, "48A04", "Velsen", None, None, "doelpad_min20")
    lines = budget_lines(load_scenario("doelpad_min20"), catalog, ["ijmond"], [2026]).frame()
    velsen = lines[(lines["gemeente"] == "velsen") & (lines["product"] == "48A04")]
    assert table[1][6] == int(velsen["bedrag_centen"].iloc[0]) / 100


def test_voorbeelden_lists_what_is_not_published_and_shrinks_with_own_values(tmp_path, monkeypatch):
    everything = F["JBJR_VOORBEELDEN"]()
    assert everything[0] == ["Parameter", "Geldig vanaf", "Waarde", "Soort", "Bron"]
    shown = {(row[0], row[3]) for row in everything[1:]}
    assert ("tarieven.landelijk.48A04", "voorbeeldwaarde") in shown
    assert ("indexatie.vng.loonindex.voorlopig", "voorlopig cijfer") in shown
    assert ("normen.caseload.gehanteerd", "voorbeeldwaarde") not in shown  # a published norm
    on_2026 = {row[0] for row in F["JBJR_VOORBEELDEN"](2026)[1:]}
    assert "indexatie.vng.aanname" in on_2026
    # With the published 48A04 tariff in the user's folder, it is no longer listed.
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "tarief.yaml").write_text("tarieven:\n  landelijk:\n    48A04:\n      values:\n"
                                        "        2024-01-01: {value: 1612.40, reference: 'Handreiking 2024'}\n")
    monkeypatch.setenv("JBJR_PARAMETERMAP", str(folder))
    convert.reload()
    try:
        assert "tarieven.landelijk.48A04" not in {row[0] for row in F["JBJR_VOORBEELDEN"](2026)[1:]}
    finally:
        monkeypatch.undo()
        convert.reload()
