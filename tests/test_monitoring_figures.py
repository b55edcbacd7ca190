"""Monitoring figures from the ledger, checked against the typed template values and the engine's budget."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from monitoring_cases.report_ledger import Q1, typed_sum

from jbjr_budget.models.monitoring_figures import MonitoringFigures, compute_monitoring, target_figures
from jbjr_budget.monitoring.ledger import Ledger
from jbjr_budget.rules.budget_lines import Deelname, budget_lines
from jbjr_budget.rules.catalog import Catalog
from jbjr_budget.rules.parameters import ParameterTree
from jbjr_budget.rules.targets import target
from jbjr_budget.rules.tariffs import tariff


@pytest.fixture(scope="module")
def figures(report_ledger: dict) -> MonitoringFigures:
    with Ledger(report_ledger["ledger"]) as ledger:
        return compute_monitoring(ledger, Q1)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_realisation_against_budget_per_municipality(
    figures: MonitoringFigures, report_ledger: dict, tree: ParameterTree, catalog: Catalog
) -> None:
    table = figures.realisatie.set_index(["gemeente", "product"])
    typed = report_ledger["typed"]
    quarter = Deelname(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    lines = budget_lines(tree, catalog, ["alkmaar", "ijmond"], [2026], quarter)
    budget = lines.frame().set_index(["gemeente", "product"])
    for gemeente in ("castricum", "velsen"):
        regio = catalog.gemeente(gemeente).regio
        for product in ("48A04", "47A02"):
            row = table.loc[(gemeente, product)]
            sel = {"product": [product], "gemeente": [gemeente]}
            begin, end, inflow = (typed_sum(typed, "2026-Q1", regio, "volume", c, sel)
                                  for c in ("stand_begin", "stand_einde", "instroom"))
            assert (row["stand_begin"], row["stand_einde"], row["instroom"]) == (begin, end, inflow)
            price = tariff(tree, product, dt.date(2026, 1, 1), catalog.regio(regio))
            if product == "48A04":  # per maand: average running x 3 months x tariff
                assert row["realisatie_volume"] == Decimal(begin + end) / 2
                expected = _cents(Decimal(begin + end) / 2 * 3 * price)
            else:  # per traject: trajects started x tariff
                assert row["realisatie_volume"] == inflow * 4
                expected = _cents(inflow * price)
            assert Decimal(int(row["realisatie_centen"])) / 100 == expected
            engine = budget.loc[(gemeente, product)]
            assert row["bedrag_centen"] == engine.bedrag_centen
            assert row["volume"] == pytest.approx(float(engine.volume))
    per_regio = figures.totals("regio").set_index("regio")
    alkmaar = figures.realisatie.query("regio == 'alkmaar'")
    assert per_regio.loc["alkmaar", "realisatie_centen"] == alkmaar["realisatie_centen"].sum()
    assert per_regio["bedrag_centen"].sum() == budget.bedrag_centen.sum()


def test_inspection_staff_and_submissions(figures: MonitoringFigures, report_ledger: dict) -> None:
    typed = report_ledger["typed"]
    norms = figures.inspectie_per_periode.set_index("periode")
    cases = typed_sum(typed, "2026-Q1", None, "inspectie", "zaken")
    met = typed_sum(typed, "2026-Q1", None, "inspectie", "binnen_6_weken")
    assert norms.loc["2026-Q1", "zaken"] == cases
    assert norms.loc["2026-Q1", "aandeel_binnen_6_weken"] == pytest.approx(met / cases)
    assert list(norms.index) == ["2022-Q1", "2025-Q4", "2026-Q1"]
    staff = figures.personeel_per_periode.set_index("periode")
    ftes = {k: v[("personeel", (), "fte")] for k, v in typed.items() if k[2] == "2026-Q1"}
    loads = {k: v[("personeel", (), "caseload")] for k, v in typed.items() if k[2] == "2026-Q1"}
    assert staff.loc["2026-Q1", "fte"] == pytest.approx(sum(ftes.values()))
    assert staff.loc["2026-Q1", "caseload"] == pytest.approx(
        sum(ftes[k] * loads[k] for k in ftes) / sum(ftes.values()))
    assert sorted(figures.aanleveringen.status) == ["ontbreekt"] * 3 + ["ontvangen"] * 3


def test_ots_target_path_from_the_reference_stock(figures: MonitoringFigures, report_ledger: dict) -> None:
    typed = report_ledger["typed"]
    ots = {"product": ["48A04", "48A05"]}
    reference = typed_sum(typed, "2022-Q1", None, "volume", "stand_begin", ots)
    stock = typed_sum(typed, "2026-Q1", None, "volume", "stand_einde", ots)
    target = next(t for t in figures.doelen if t.target.doel == "ots")
    assert target.referentie == reference
    rows = target.per_periode.set_index("periode")
    # Linear from 1-1-2022 (factor 1) to 1-1-2027 (factor 0.8); end of 2026-Q1 is 1-4-2026.
    years = 4 + 90 / 365
    assert rows.loc["2026-Q1", "waarde"] == stock
    assert rows.loc["2026-Q1", "doelpad"] == pytest.approx(reference * (1 - 0.2 * years / 5))
    assert rows.loc["2022-Q1", "doelpad"] == pytest.approx(reference * (1 - 0.2 * (90 / 365) / 5))


def test_all_measures_count_only_court_imposed_measures(figures: MonitoringFigures, report_ledger: dict) -> None:
    # Segment 7 Veiligheid, impact 1: the statutory JB and JR measures; not GBM advice (47A02) nor LET (48A10).
    measures = ["48A04", "48A05", "48A06", "47A01", "47A03", "47A04", "47A05", "47A06", "4711"]
    stock = typed_sum(report_ledger["typed"], "2026-Q1", None, "volume", "stand_einde", {"product": measures})
    target = next(t for t in figures.doelen if t.target.doel == "maatregelen")
    assert target.per_periode.set_index("periode").loc["2026-Q1", "waarde"] == stock


def _vots(rows: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"periode": code, "product": "VOTS", "stand_begin": 0, "instroom": inflow,
                          "stand_einde": 0} for code, inflow in rows])


def test_vots_target_compares_yearly_counts_from_the_count_over_2021(tree: ParameterTree) -> None:
    # Segment 7 Veiligheid, throughput 4: "peildatum is het aantal VOTS-en over 2021"; -20% by the end of 2026.
    volumes = _vots([("2021-Q1", 10), ("2021-Q2", 12), ("2021-Q3", 8), ("2021-Q4", 10),  # 40 over 2021
                     ("2024-Q2", 9), ("2024-Q3", 9), ("2024-Q4", 8), ("2025-Q1", 9)])  # 35 over 2024-Q2..2025-Q1
    figures = target_figures(volumes, target(tree, "vots", dt.date(2025, 3, 31)), ["VOTS"])
    assert figures.referentie == 40
    rows = figures.per_periode.set_index("periode")
    # The count over the year to 31-3-2025, set against the path from 40 (at 1-1-2022) to 32 (at 1-1-2027):
    # 1-4-2025 is 3 years and 90 of 365 days on: 40 x (1 - 0.2 x (3 + 90/365) / 5) = 34.8055
    assert rows.loc["2025-Q1", "waarde"] == 35
    assert rows.loc["2025-Q1", "doelpad"] == pytest.approx(40 * (1 - 0.2 * (3 + 90 / 365) / 5))
    assert rows.loc["2021-Q4", "waarde"] == 40  # the reference year itself
    assert pd.isna(rows.loc["2024-Q4", "waarde"])  # 2024-Q1 missing: no full year to count


def test_vots_target_without_a_full_reference_year_has_no_reference(tree: ParameterTree) -> None:
    volumes = _vots([("2021-Q1", 10), ("2021-Q2", 12), ("2021-Q4", 10), ("2025-Q1", 9)])
    figures = target_figures(volumes, target(tree, "vots", dt.date(2025, 3, 31)), ["VOTS"])
    assert figures.referentie is None
    assert figures.per_periode["doelpad"].isna().all()


def test_staff_target_has_the_dates_of_the_improvement_plan(figures: MonitoringFigures) -> None:
    # Verbeterplan JBJR NW4 & GI3, par. 2.1: turnover and absence -20% in March 2023, reference 1 September 2022.
    staff = figures.personeel
    assert (staff.reductie, staff.referentiedatum, staff.doeldatum) == (Decimal("0.2"), dt.date(2022, 9, 1),
                                                                        dt.date(2023, 3, 31))


def test_only_sections_with_a_text_are_listed(figures: MonitoringFigures, report_ledger: dict) -> None:
    typed = {(gi, regio): v[("toelichting", (("sectie", "volumes"),), "tekst")]
             for (gi, regio, code), v in report_ledger["typed"].items() if code == "2026-Q1"}
    assert sorted(figures.toelichtingen.tekst) == sorted(typed.values())
    assert set(figures.toelichtingen.sectie) == {"volumes"}
