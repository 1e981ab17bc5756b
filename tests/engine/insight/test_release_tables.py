"""The release's compliance, timeliness and outcomes tables: exact counts on a small frame."""

import polars as pl
import pytest

from fgc.engine.disclosure import publish
from fgc.engine.insight import compute_measures
from fgc.engine.insight.release import publication_tables
from fgc.engine.insight.release_labels import code_labels
from tests.engine.insight.frames import HELD, child_rows, row

PLO = {"stage": "PLO", "lbp_date": "2025-04-20"}
DECLINED = {"offer_response": "DECLINED", "response_date": "2025-05-02"}


def _held(conference: str) -> dict[str, str]:
    return {**HELD, "conference_date": conference}


@pytest.fixture(scope="module")
def tables():
    rows = [
        # care application the day of the meeting: the meeting preceded it
        row(
            "805",
            "E1",
            **HELD,
            **PLO,
            offer_in_lbp="Y",
            care_application_date="2025-06-09",
            looked_after_12m="Y",
            proceedings_issued_12m="N",
            living_arrangement_12m="WITH_PARENTS",
        ),
        # care application the day before the meeting: not preceded
        row(
            "805",
            "E2",
            **HELD,
            **PLO,
            offer_in_lbp="N",
            care_application_date="2025-06-08",
            looked_after_12m="N",
            living_arrangement_12m="FOSTER_CARE",
        ),
        # an exception: in PLO with a letter, but not counted as a letter that could offer
        row("805", "E3", **PLO, exception="Y", exception_reason="RISK_TO_CHILD"),
        row(
            "805",
            "E4",
            **DECLINED,
            care_application_date="2025-07-01",
            looked_after_12m="Y",
            proceedings_issued_12m="Y",
            living_arrangement_12m="FOSTER_CARE",
        ),
        # FGCs 42, 84 and 85 days after referral (referral 10 May)
        row("805", "T1", **_held("2025-06-21")),
        row("805", "T2", **_held("2025-08-02")),
        row("805", "T3", **_held("2025-08-03")),
        row("806", "E9", **DECLINED),
    ]
    result = compute_measures(child_rows(rows), "2025-26")
    return {t.name: t for t in publication_tables(result, "2025-26")}


def _row(spec, la="805", **filters):
    f = spec.frame.filter(pl.col("la_code") == la)
    for k, v in filters.items():
        f = f.filter(pl.col(k) == v)
    assert f.height == 1, f
    return f.row(0, named=True)


def test_compliance_counts(tables):
    r = _row(tables["fgc_pre_proceedings_compliance"])
    assert {k: r[k] for k in tables["fgc_pre_proceedings_compliance"].counts} == {
        "families_pre_proceedings": 3,
        "families_letter_sent": 2,
        "families_offer_in_letter": 1,
        "families_exception": 1,
        "care_applications": 3,
        "care_applications_after_meeting": 1,
    }
    assert _row(tables["fgc_pre_proceedings_compliance"], "806")["care_applications"] == 0


def test_exceptions_by_reason_in_words_with_total(tables):
    spec = tables["fgc_pre_proceedings_exceptions_by_reason"]
    assert _row(spec, exception_reason="Risk to the child")["families_exception"] == 1
    assert _row(spec, exception_reason="Total")["families_exception"] == 1
    # every reason in the code list, by its label, plus Not recorded and Total
    labels = set(code_labels("exception_reason").values())
    assert set(spec.frame.filter(pl.col("la_code") == "805")["exception_reason"]) == {
        *labels,
        "Not recorded",
        "Total",
    }
    assert "RISK_TO_CHILD" not in set(spec.frame["exception_reason"])


def test_timeliness_counts_42_and_84_days_in(tables):
    r = _row(tables["fgc_timeliness"])
    # timed: E1, E2 (30 days), T1 (42), T2 (84), T3 (85)
    assert (r["families_fgc_timed"], r["families_within_6_weeks"]) == (5, 3)
    assert r["families_within_12_weeks"] == 4


def test_outcomes_by_group_with_total(tables):
    spec = tables["fgc_outcomes_12_months"]
    cols = spec.counts
    held = _row(spec, outcome_group="Meeting held")
    declined = _row(spec, outcome_group="Offered and declined")
    total = _row(spec, outcome_group="Total")
    assert [held[c] for c in cols] == [2, 1, 1, 0]
    assert [declined[c] for c in cols] == [1, 1, 1, 1]
    assert [total[c] for c in cols] == [3, 2, 2, 1]
    assert cols == (
        "children_looked_after_12m_known",
        "children_looked_after_12m",
        "children_proceedings_issued_12m_known",
        "children_proceedings_issued_12m",
    )


def test_living_arrangement_in_words_by_group(tables):
    spec = tables["fgc_living_arrangement_12_months"]

    def n(group: str, living: str) -> int:
        return _row(spec, outcome_group=group, living_arrangement=living)["children"]

    assert (n("Meeting held", "With parents"), n("Meeting held", "Foster care")) == (1, 1)
    assert n("Meeting held", "Total") == 2
    assert (n("Offered and declined", "Foster care"), n("Offered and declined", "Total")) == (1, 1)
    assert (n("Total", "Foster care"), n("Total", "With parents"), n("Total", "Total")) == (2, 1, 3)
    assert "Not recorded" not in set(spec.frame["living_arrangement"])
    assert set(spec.frame["living_arrangement"]) == {
        *code_labels("living_arrangement").values(),
        "Total",
    }


def test_stage_published_in_words(tables):
    stages = set(tables["fgc_children_by_stage"].frame["stage"])
    assert "Pre-proceedings (Public Law Outline)" in stages and "PLO" not in stages
    cp = _row(tables["fgc_children_by_stage"], stage="Child protection (s.47 or plan)")
    assert cp["children_offered"] == 4  # E4, T1, T2, T3 (CP is the frames' default stage)


@pytest.fixture(scope="module")
def release(tables):
    return publish(list(tables.values()), "2025-26")


def test_release_hides_small_counts_and_passes_the_attack(release):
    assert release.ok, (release.problems, [d.describe() for d in release.check.disclosures])
    new = [n for n in release.files if not n.startswith(("fgc_families", "fgc_children"))]
    assert len(new) == 8
    for name in new:
        data = release.suppression.tables[name]
        spec = release.suppression.specs[name]
        council = data.filter(pl.col("geographic_level") == "Local authority")
        for c in spec.counts:
            shown = council[c].to_list()
            assert not any(v in {"1", "2", "3", "4", "5"} for v in shown), (name, c, shown)
    # 805's 5 timed FGCs are hidden, and the rate built on them too
    t = release.suppression.tables["fgc_timeliness"].filter(pl.col("la_code") == "805")
    assert t.row(0, named=True)["families_fgc_timed"] == "c"
    assert t.row(0, named=True)["within_6_weeks_rate"] == "c"


def test_metadata_labels_are_plain_words(release):
    meta = {n: m for n, (_d, m) in release.files.items()}
    assert (
        'cohort_families_fgc_held,Indicator,"Families whose FGC journey started in the year: '
        'FGC held, at any date",' in meta["fgc_families"]
    )
    assert "stage,Filter,Stage at offer," in meta["fgc_children_by_stage"]
    assert (
        "offer_in_letter_rate,Indicator,Letters before proceedings that included the offer (%)"
        in meta["fgc_pre_proceedings_compliance"]
    )
    for name, text in meta.items():
        for line in text.splitlines()[1:]:
            col, _type, label = line.split(",")[:3]
            assert label and "_" not in label, (name, col, label)


def test_pre_proceedings_outcomes_count_plo_families_only(tables):
    spec = tables["fgc_outcomes_12_months_pre_proceedings"]
    # E1 and E2 (PLO, meeting held); E4 declined but at child protection, so not counted
    assert spec.counts == (
        "plo_children_looked_after_12m_known",
        "plo_children_looked_after_12m",
        "plo_children_proceedings_issued_12m_known",
        "plo_children_proceedings_issued_12m",
    )
    held = _row(spec, outcome_group="Meeting held")
    declined = _row(spec, outcome_group="Offered and declined")
    total = _row(spec, outcome_group="Total")
    assert [held[c] for c in spec.counts] == [2, 1, 1, 0]
    assert [declined[c] for c in spec.counts] == [0, 0, 0, 0]
    assert [total[c] for c in spec.counts] == [2, 1, 1, 0]
    assert [r[0] for r in spec.rates] == [
        "plo_looked_after_12m_rate",
        "plo_proceedings_issued_12m_rate",
    ]


def test_pre_proceedings_living_arrangement_counts_plo_families_only(tables):
    spec = tables["fgc_living_arrangement_12_months_pre_proceedings"]

    def n(group: str, living: str) -> int:
        return _row(spec, outcome_group=group, living_arrangement=living)["plo_children"]

    assert (n("Meeting held", "With parents"), n("Meeting held", "Foster care")) == (1, 1)
    assert n("Meeting held", "Total") == 2
    assert (n("Offered and declined", "Foster care"), n("Offered and declined", "Total")) == (0, 0)
    assert (n("Total", "Foster care"), n("Total", "Total")) == (1, 2)


def test_release_tables_in_order_with_distinct_columns(tables):
    names = list(tables)
    assert names[names.index("fgc_timeliness") :] == [
        "fgc_timeliness",
        "fgc_outcomes_12_months",
        "fgc_living_arrangement_12_months",
        "fgc_outcomes_12_months_pre_proceedings",
        "fgc_living_arrangement_12_months_pre_proceedings",
    ]
    # a column name is one cell across the release: the PLO tables must not reuse the
    # all-stage names (the checker would take the two figures for one)
    for a, b in (
        ("fgc_outcomes_12_months", "fgc_outcomes_12_months_pre_proceedings"),
        ("fgc_living_arrangement_12_months", "fgc_living_arrangement_12_months_pre_proceedings"),
    ):
        assert not set(tables[a].counts) & set(tables[b].counts)


def test_offer_rates_per_10000_children_in_need(tables, release):
    spec = tables["fgc_offer_rates"]
    assert spec.counts == ("families_offered", "children_offered")
    assert spec.public == ("children_in_need", "population_0_17")
    hartlepool = _row(spec)
    # the same counts as the families table (one cell across the release)
    assert hartlepool["families_offered"] == _row(tables["fgc_families"])["families_offered"] == 7
    # DfE CIN 2025 table B1 and ONS mid-2024: Hartlepool 1,341 children in need
    assert (hartlepool["children_in_need"], hartlepool["population_0_17"]) == (1341, 21090)
    t = release.suppression.tables["fgc_offer_rates"]
    a = t.filter(pl.col("la_code") == "805").row(0, named=True)
    assert a["families_offered_per_10k_cin"] == "52.2"  # 7 × 10,000 / 1,341
    assert a["children_offered_per_10k_population"] == "3.3"  # 7 × 10,000 / 21,090
    b = t.filter(pl.col("la_code") == "806").row(0, named=True)
    assert (b["families_offered"], b["families_offered_per_10k_cin"]) == ("c", "c")
    assert b["children_in_need"] != "c"
    # North East: the rounded count (8 → 10) over both councils' children in need
    reg = t.filter(pl.col("geographic_level") == "Regional").row(0, named=True)
    cin = 1341 + int(b["children_in_need"])
    assert reg["children_in_need"] == str(cin)
    assert reg["families_offered_per_10k_cin"] == f"{100_000 / cin:.1f}"
    meta = release.files["fgc_offer_rates"][1]
    assert "Families offered an FGC per 10,000 children in need" in meta
