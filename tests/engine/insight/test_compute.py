import polars as pl
import pytest

from fgc.engine.insight import compute_measures
from tests.engine.insight.frames import HELD, child_rows, row


@pytest.fixture(scope="module")
def result():
    rows = [
        row("805", "E1", "C1", **HELD, looked_after_12m="N"),
        row("805", "E1", "C2", **HELD, looked_after_12m="Y", ethnicity="BAFR"),
        row(
            "805",
            "E2",
            offer_response="DECLINED",
            response_date="2025-05-02",
            decline_reason="NO_NETWORK",
            looked_after_12m="Y",
        ),
        row("805", "E3", **{**HELD, "meeting_type": "FNM"}),
        row(
            "806",
            "E9",
            offer_response="ACCEPTED",
            response_date="2025-05-02",
            referral_date="2025-05-20",
        ),
        row("805", "OLD", offer_date="2024-05-01", offer_response="DECLINED"),
    ]
    return compute_measures(child_rows(rows), "2025-26")


def value(result, group, measure, la="805", topic="Total", breakdown="Total"):
    t = result.table(group).filter(
        (pl.col("la_code") == la)
        & (pl.col("measure") == measure)
        & (pl.col("breakdown_topic") == topic)
        & (pl.col("breakdown") == breakdown)
    )
    assert t.height == 1, t
    return t.row(0, named=True)


def test_funnel_families_and_children(result):
    r = value(result, "funnel", "acceptance_rate_families")
    assert (r["numerator"], r["denominator"]) == (2, 3)
    assert r["value"] == pytest.approx(200 / 3)
    assert value(result, "funnel", "offered_children")["value"] == 4
    assert value(result, "funnel", "offered_families")["value"] == 3  # 2024-25 row excluded


def test_fnm_kept_apart_from_fgc(result):
    assert value(result, "funnel", "fgc_held_families")["value"] == 1
    assert value(result, "funnel", "fnm_held_families")["value"] == 1


def test_decline_reasons_share(result):
    r = value(result, "funnel", "decline_reasons", topic="decline_reason", breakdown="NO_NETWORK")
    assert (r["numerator"], r["denominator"], r["value"]) == (1, 1, 100.0)


def test_timeliness_median_days(result):
    r = value(result, "timeliness", "days_referral_conference")
    assert r["value"] == 30 and r["denominator"] == 1
    assert value(result, "timeliness", "within_6_weeks")["value"] == 100.0


def test_region_and_england_pool_the_rows(result):
    eng = value(result, "funnel", "offered_families", la="E92000001")
    assert eng["value"] == 4
    ne = value(result, "funnel", "offered_families", la="E12000001")
    assert ne["value"] == 4  # 805 and 806 are both in the North East


def test_equity_breakdown_and_rate_ratio(result):
    r = value(
        result, "equity", "acceptance_rate_children", topic="ethnicity_group", breakdown="Black"
    )
    assert (r["numerator"], r["denominator"]) == (1, 1)
    assert r["rr_council"] == pytest.approx(1 / 0.75)
    asian = value(result, "equity", "offered_children", topic="ethnicity_group", breakdown="Asian")
    assert asian["value"] == 0  # every group appears, zero when none


def test_representation_against_the_councils_census_shares(result):
    r = value(
        result, "equity", "offered_representation", topic="ethnicity_group", breakdown="Black"
    )
    assert r["offered_share"] == pytest.approx(25.0)
    # Hartlepool, Census 2021: 445 Black of 92,338 usual residents (census2021_ethnicity_by_la)
    assert r["value"] == pytest.approx(0.25 / (445 / 92338))
    assert r["population_source"] == "ONS Census 2021, all usual residents in Hartlepool (all ages)"
    # no per-council published figure by sex: the national reference, named as such
    sex = value(result, "equity", "offered_representation", topic="sex", breakdown="Female")
    assert "Children in need 2024, national" in sex["population_source"]


def test_outcomes_by_cohort(result):
    held = value(result, "outcomes", "looked_after_12m_held")
    assert (held["numerator"], held["denominator"]) == (1, 2)
    declined = value(result, "outcomes", "looked_after_12m_declined")
    assert declined["value"] == 100.0


def test_save_and_load_round_trip(result, tmp_path):
    result.save(tmp_path)
    from fgc.engine.insight import InsightResult

    back = InsightResult.load(tmp_path)
    assert back.periods == result.periods
    assert back.table("funnel").equals(result.table("funnel"))
