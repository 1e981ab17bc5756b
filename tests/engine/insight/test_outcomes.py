"""Outcome measures: all stages and pre-proceedings (PLO) only, beside the trial."""

from __future__ import annotations

import re

import polars as pl
import pytest

from fgc.engine.insight import compute_measures, get_measure
from fgc.engine.insight.flags import COHORTS
from fgc.engine.insight.measures import measures_in
from fgc.engine.insight.outcomes import OUTCOMES, TRIAL_REFERENCE, outcome_measure
from fgc.engine.insight.report import render_html, write_pdf
from fgc.standard import ENGLAND_CODE
from tests.engine.insight.frames import HELD, child_rows, row
from tests.engine.insight.pdf_text import pdf_strings

PERIOD = "2025-26"
DECLINED = {"offer_response": "DECLINED", "response_date": "2025-05-02"}
NO_MEETING = {"offer_response": "ACCEPTED", "response_date": "2025-05-02"}
PLO = {"stage": "PLO", "lbp_date": "2025-04-20", "offer_in_lbp": "Y"}


def _outcomes(la12: str, la6: str = "N", proceedings: str = "N", living: str = "WITH_PARENTS"):
    return {
        "looked_after_12m": la12,
        "looked_after_6m": la6,
        "proceedings_issued_12m": proceedings,
        "living_arrangement_12m": living,
    }


@pytest.fixture(scope="module")
def result():
    rows = [
        # Pre-proceedings: held 1 of 3 looked after; declined 1 of 2; no meeting 1 of 1.
        row("805", "P1", "C1", **PLO, **HELD, **_outcomes("Y", "Y", "Y", "FOSTER_CARE")),
        row("805", "P1", "C2", **PLO, **HELD, **_outcomes("N")),
        row("805", "P2", "C1", **PLO, **HELD, **_outcomes("N")),
        row("805", "P3", "C1", **PLO, **DECLINED, **_outcomes("Y", proceedings="Y")),
        row("805", "P4", "C1", **PLO, **DECLINED, **_outcomes("N")),
        row("805", "P5", "C1", **PLO, **NO_MEETING, **_outcomes("Y")),
        # Child protection and early help: none looked after, several more held.
        *(row("805", f"H{i}", "C1", **HELD, **_outcomes("N")) for i in range(5)),
        row("805", "H9", "C1", stage="EH", **HELD, **_outcomes("N")),
        row("805", "D1", "C1", **DECLINED, **_outcomes("N")),
        # A PLO child whose outcome is not yet recorded counts in neither denominator.
        row("805", "P6", "C1", **PLO, **HELD),
    ]
    return compute_measures(child_rows(rows), PERIOD)


def _value(result, measure: str, la: str = "805", breakdown: str = "Total") -> dict:
    m = get_measure(measure)
    t = result.table("outcomes").filter(
        (pl.col("la_code") == la)
        & (pl.col("measure") == measure)
        & (pl.col("breakdown") == breakdown)
        & (pl.col("period") == PERIOD)
    )
    assert t.height == 1, (measure, t)
    assert t["kind"][0] == m.kind
    return t.row(0, named=True)


def _nd(result, measure: str, **kw) -> tuple[float, float]:
    r = _value(result, measure, **kw)
    return r["numerator"], r["denominator"]


def test_every_outcome_is_declared_for_all_stages_and_plo_alike():
    names = {m.name for m in measures_in("outcomes")}
    for field in (*(f for f, _ in OUTCOMES), "living_arrangement_12m"):
        for cohort in COHORTS:
            every, plo = get_measure(f"{field}_{cohort}"), get_measure(f"{field}_{cohort}_plo")
            assert {every.name, plo.name} <= names
            assert outcome_measure(field, cohort, plo=True) == plo.name
            assert (plo.kind, plo.polarity, plo.by) == (every.kind, every.polarity, every.by)
            if plo.kind == "rate":
                assert plo.numerator == every.numerator
            assert plo.denominator != every.denominator
            assert "pre-proceedings (PLO)" in plo.label
            assert "PLO" not in every.label


def test_plo_measures_count_only_plo_rows(result):
    assert _nd(result, "looked_after_12m_held_plo") == (1, 3)
    assert _nd(result, "looked_after_12m_declined_plo") == (1, 2)
    assert _nd(result, "looked_after_12m_offered_no_meeting_plo") == (1, 1)
    assert _nd(result, "looked_after_6m_held_plo") == (1, 3)
    assert _nd(result, "proceedings_issued_12m_declined_plo") == (1, 2)
    assert _value(result, "looked_after_12m_held_plo")["value"] == pytest.approx(100 / 3)


def test_all_stage_measures_still_count_every_stage(result):
    assert _nd(result, "looked_after_12m_held") == (1, 9)
    assert _nd(result, "looked_after_12m_declined") == (1, 3)
    assert _nd(result, "looked_after_12m_offered_no_meeting") == (1, 1)


def test_plo_living_arrangement_share(result):
    foster = _value(result, "living_arrangement_12m_held_plo", breakdown="FOSTER_CARE")
    assert (foster["numerator"], foster["denominator"]) == (1, 3)
    parents = _value(result, "living_arrangement_12m_held", breakdown="WITH_PARENTS")
    assert (parents["numerator"], parents["denominator"]) == (8, 9)


def test_plo_measures_reach_england_and_the_benchmark(result):
    assert _nd(result, "looked_after_12m_held_plo", la=ENGLAND_CODE) == (1, 3)
    from fgc.engine.insight.benchmark import benchmark

    bench = benchmark(result, "805", period=PERIOD)
    assert "looked_after_12m_held_plo" in bench["measure"].to_list()


def _report_table(html: str, key: str) -> list[list[str]]:
    block = re.search(rf'<table id="{key}">(.*?)</table>', html, re.S)
    assert block, key
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", block.group(1), re.S)
    ]


def test_report_sets_the_trial_beside_the_plo_figures(result, tmp_path):
    html = render_html(result, "805", PERIOD)
    trial = _report_table(html, "outcomes-plo")
    assert trial[0][-1] == "Pre-proceedings FGC trial (randomised)"
    by_group = {r[0]: r[1:] for r in trial[1:]}
    assert by_group["Families in pre-proceedings (PLO): meeting held"][0] == "33.3%"
    assert by_group["Families in pre-proceedings (PLO): offered and declined"][0] == "50.0%"
    assert by_group["Trial: FGC arm"] == ["z", "z", "36.2%"]
    assert by_group["Trial: usual care arm"] == ["z", "z", "44.8%"]
    every = {r[0]: r[1:] for r in _report_table(html, "outcomes-all")[1:]}
    assert every["Meeting held"][0] == "11.1%"  # all stages: its own table, no trial column
    assert "not randomised" in html and "all stages (not comparable with the trial)" in html

    path = tmp_path / "r.pdf"
    write_pdf(result, "805", PERIOD, path)
    text = "\n".join(pdf_strings(path.read_bytes()))
    assert "Families in pre-proceedings (PLO): meeting held\n33.3%" in text
    assert "Trial: FGC arm\nz\nz\n36.2%" in text


def test_synthetic_england_plo_outcomes_match_the_trial():
    from fgc.synth import generate

    # fgc.synth draws PLO outcomes from the trial: ~36% if referred, ~45% if not.
    result = compute_measures(generate("all", ["2023-24", "2024-25"], seed=7))
    t = (
        result.table("outcomes")
        .filter((pl.col("la_code") == ENGLAND_CODE) & (pl.col("breakdown_topic") == "Total"))
        .group_by("measure")
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
    )
    pct = {m: 100 * n / d for m, n, d in t.iter_rows()}
    held = pct["looked_after_12m_held_plo"]
    declined = pct["looked_after_12m_declined_plo"]
    no_meeting = pct["looked_after_12m_offered_no_meeting_plo"]
    assert abs(held - TRIAL_REFERENCE["looked_after_12m_fgc_arm"]) < 4
    assert abs(declined - TRIAL_REFERENCE["looked_after_12m_usual_care_arm"]) < 4
    # Offered but no meeting mixes referred (36%) and never referred (45%) families.
    assert held < no_meeting < declined
    # Across all stages the figures are far lower: not comparable with the trial.
    assert pct["looked_after_12m_held"] < held - 8
