"""The aggregate return against an independent plain-Python count of a hand-made file.

``test_aggregate_sample.csv`` (beside this file) holds 28 children in 18 episodes for four
councils in two regions: multi-child families, PLO and non-PLO, exceptions, declines (one
offered the year before), no response, pending, not held, FGC and FNM meetings, an unborn
child and a meeting after a care application. It validates with no errors.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from fgc.engine.aggregate import (
    AGGREGATE_MEASURES,
    BREAKDOWN_TOPICS,
    ID_COLUMNS,
    STEP_RULES,
    aggregate,
    dfe_quarterly,
)
from fgc.engine.periods import Period, PeriodError

SAMPLE = Path(__file__).with_name("test_aggregate_sample.csv")
PERIODS = ["2025-26", "2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4", "2024-25"]
LA_REGION = {"805": "E12000001", "806": "E12000001", "202": "E12000007", "204": "E12000007"}
COUNTS = [m.name for m in AGGREGATE_MEASURES if m.unit != "days"]


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(newline="") as f:
        return list(csv.DictReader(f))


def sample_frame() -> pl.DataFrame:
    return pl.read_csv(SAMPLE, infer_schema=False)


# ---------------------------------------------------------------- the independent count


def _in(d: str, p: Period) -> bool:
    return bool(d) and p.start.isoformat() <= d <= p.end.isoformat()  # ISO text sorts as dates


def step_holds(step: str, r: dict[str, str], p: Period) -> bool:
    offered = _in(r["offer_date"], p)
    held = _in(r["conference_date"], p)
    if step == "offered":
        return offered
    if step == "offered_at_or_before_lbp":
        before = bool(r["lbp_date"]) and r["offer_date"] <= r["lbp_date"]
        return offered and (r["offer_in_lbp"] == "Y" or before)
    if step == "exceptions":
        return r["exception"] == "Y" and _in(r["lbp_date"] or r["offer_date"], p)
    responses = {
        "accepted": "ACCEPTED",
        "declined": "DECLINED",
        "no_response": "NO_RESPONSE",
        "pending": "PENDING",
        "response_not_recorded": "",
    }
    if step in responses:
        return offered and r["offer_response"] == responses[step]
    if step == "referred":
        return _in(r["referral_date"], p)
    if step == "held":
        return held
    if step == "fgc_held":
        return held and r["meeting_type"] == "FGC"
    if step == "fnm_held":
        return held and r["meeting_type"] == "FNM"
    if step == "fgdm_facilitated":
        after_letter = bool(r["lbp_date"]) and r["conference_date"] >= r["lbp_date"]
        app = r["care_application_date"]
        return held and after_letter and (not app or r["conference_date"] <= app)
    if step == "plans_agreed":
        return held and r["plan_agreed"] in ("FULL", "PARTIAL")
    if step == "not_held":
        return (
            r["offer_response"] == "ACCEPTED"
            and not r["conference_date"]
            and _in(r["closure_date"], p)
        )
    if step == "reviews_held":
        return _in(r["review_date"], p)
    raise AssertionError(step)


def python_counts(p: Period, key=lambda r: "Total") -> dict[tuple[str, str], dict[str, int]]:
    """(la_code, breakdown key) -> {measure: count}, by loops over the csv rows."""
    families: dict = defaultdict(set)
    children: dict = defaultdict(set)
    for r in sample_rows():
        for step in STEP_RULES:
            if step_holds(step, r, p):
                k = (r["la_code"], key(r))
                families[(*k, step)].add(r["episode_id"])
                children[(*k, step)].add((r["episode_id"], r["child_id"]))
    out: dict = defaultdict(lambda: defaultdict(int))
    for (la, k, step), eps in families.items():
        out[(la, k)][f"families_{step}"] = len(eps)
    for (la, k, step), kids in children.items():
        out[(la, k)][f"children_{step}"] = len(kids)
    return out


def age_band(r: dict[str, str]) -> str:
    ref_text = r["offer_date"] or r["referral_date"]
    if not r["date_of_birth"]:
        return "Unborn" if r["expected_due_date"] else "Not known"
    if not ref_text:
        return "Not known"
    dob, ref = date.fromisoformat(r["date_of_birth"]), date.fromisoformat(ref_text)
    if dob > ref:
        return "Unborn"
    age = ref.year - dob.year - ((ref.month, ref.day) < (dob.month, dob.day))
    for label, low, high in [
        ("Under 1", 0, 0),
        ("1 to 4", 1, 4),
        ("5 to 9", 5, 9),
        ("10 to 15", 10, 15),
        ("16 to 17", 16, 17),
    ]:
        if low <= age <= high:
            return label
    return "Not known"


ETHNIC_GROUP = {
    "WBRI": "White", "WIRI": "White", "WOTH": "White", "MWBC": "Mixed", "MWAS": "Mixed",
    "AIND": "Asian", "APKN": "Asian", "BCRB": "Black", "BAFR": "Black", "BOTH": "Black",
    "CHNE": "Other", "OOTH": "Other", "REFU": "Not known", "NOBT": "Not known",
}  # fmt: skip


# ---------------------------------------------------------------- helpers on the output


def la_rows(out: pl.DataFrame, topic: str = "Total") -> pl.DataFrame:
    return out.filter(
        (pl.col("geographic_level") == "Local authority") & (pl.col("breakdown_topic") == topic)
    )


@pytest.fixture(scope="module")
def year() -> pl.DataFrame:
    return aggregate(sample_frame(), "2025-26")


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("period", PERIODS)
def test_total_rows_match_plain_python_count(period: str) -> None:
    p = Period.parse(period)
    out = aggregate(sample_frame(), p)
    expected = python_counts(p)
    rows = la_rows(out)
    assert sorted(rows["old_la_code"]) == sorted(LA_REGION)
    for row in rows.iter_rows(named=True):
        exp = expected[(row["old_la_code"], "Total")]
        got = {m: row[m] for m in COUNTS}
        assert got == {m: exp.get(m, 0) for m in COUNTS}, (period, row["old_la_code"])


def test_known_values_checked_by_hand(year: pl.DataFrame) -> None:
    rows = {r["old_la_code"]: r for r in la_rows(year).iter_rows(named=True)}
    h = rows["805"]
    # H1 (2 children), H2, H4 (unborn) offered in 2025-26; H5's offer was in 2024-25.
    assert (h["families_offered"], h["children_offered"]) == (3, 4)
    # H1 in the letter; H4 offered before its letter.
    assert (h["families_offered_at_or_before_lbp"], h["children_offered_at_or_before_lbp"]) == (
        2,
        3,
    )
    assert (h["families_exceptions"], h["children_exceptions"]) == (1, 2)
    assert (h["families_fnm_held"], h["families_fgc_held"], h["families_held"]) == (1, 1, 2)
    assert (h["families_not_held"], h["children_not_held"]) == (1, 1)
    # Hackney's HK4 was offered in March 2025: its decline belongs to 2024-25.
    assert rows["204"]["families_declined"] == 0
    # Camden's CA1 met after the care application: not facilitated in pre-proceedings.
    assert rows["202"]["families_fgdm_facilitated"] == 0
    assert rows["202"]["families_held"] == 2
    prior = {
        r["old_la_code"]: r
        for r in la_rows(aggregate(sample_frame(), "2024-25")).iter_rows(named=True)
    }
    assert prior["204"]["families_declined"] == 1


def test_layout_columns_and_geography(year: pl.DataFrame) -> None:
    assert year.columns == [*ID_COLUMNS, *(m.name for m in AGGREGATE_MEASURES)]
    assert year["time_period"].unique().to_list() == ["202526"]
    assert year["time_identifier"].unique().to_list() == ["Financial year"]
    assert set(year["country_code"]) == {"E92000001"}
    h = la_rows(year).filter(pl.col("old_la_code") == "805").row(0, named=True)
    assert (h["new_la_code"], h["la_name"], h["region_name"]) == (
        "E06000001",
        "Hartlepool",
        "North East",
    )
    levels = year.filter(pl.col("breakdown_topic") == "Total")["geographic_level"].to_list()
    assert levels == ["National", "Regional", "Regional", *["Local authority"] * 4]
    assert set(year["breakdown_topic"]) == set(BREAKDOWN_TOPICS)
    q = aggregate(sample_frame(), "2025-26-Q2")
    assert q["time_identifier"].unique().to_list() == ["Financial year Q2"]


def test_regional_and_national_rows_are_sums_of_councils(year: pl.DataFrame) -> None:
    keys = ["breakdown_topic", "breakdown"]
    la = year.filter(pl.col("geographic_level") == "Local authority")
    for level, group in (("Regional", ["region_code"]), ("National", [])):
        summed = la.group_by([*group, *keys]).agg(pl.col(COUNTS).sum()).sort([*group, *keys])
        got = year.filter(pl.col("geographic_level") == level).select(*group, *keys, *COUNTS)
        # columns not reported for a topic are null in every row, so they sum to 0
        got = got.with_columns(pl.col(COUNTS).fill_null(0)).sort([*group, *keys])
        assert got.equals(summed.select(*group, *keys, *COUNTS)), level
    national = year.filter(
        (pl.col("geographic_level") == "National") & (pl.col("breakdown_topic") == "Total")
    )
    assert national["families_offered"].item() == la_rows(year)["families_offered"].sum() > 0


def test_breakdowns_add_up_to_total(year: pl.DataFrame) -> None:
    total = year.filter(pl.col("breakdown_topic") == "Total")
    for m in AGGREGATE_MEASURES:
        if m.unit == "days":
            continue
        for topic in m.topics:
            sums = (
                year.filter(pl.col("breakdown_topic") == topic)
                .group_by("geographic_level", "region_code", "old_la_code")
                .agg(pl.col(m.name).sum().alias("sum"))
            )
            joined = total.join(
                sums, on=["geographic_level", "region_code", "old_la_code"], nulls_equal=True
            )
            assert joined.height == total.height
            assert (joined[m.name] == joined["sum"]).all(), (m.name, topic)


def test_not_applicable_measures_are_null(year: pl.DataFrame) -> None:
    eth = year.filter(pl.col("breakdown_topic") == "Ethnicity group")
    assert eth["families_offered"].null_count() == eth.height
    assert eth["children_offered"].null_count() == 0
    dec = year.filter(pl.col("breakdown_topic") == "Decline reason")
    assert dec["families_accepted"].null_count() == dec.height


@pytest.mark.parametrize("period", ["2025-26", "2025-26-Q1"])
def test_stage_and_reason_breakdowns_match_python(period: str) -> None:
    p = Period.parse(period)
    out = aggregate(sample_frame(), p)
    stage_labels = {
        "PLO": "Pre-proceedings (Public Law Outline)",
        "CP": "Child protection (s.47 or plan)",
    }
    for code, label in stage_labels.items():
        exp = python_counts(p, key=lambda r: r["stage"])
        for row in la_rows(out, "Stage").filter(pl.col("breakdown") == label).iter_rows(named=True):
            e = exp.get((row["old_la_code"], code), {})
            for m in (
                "families_offered",
                "children_accepted",
                "families_held",
                "families_exceptions",
            ):
                assert row[m] == e.get(m, 0), (period, code, m)
    exp = python_counts(p, key=lambda r: r["decline_reason"])
    dec = la_rows(out, "Decline reason")
    got = {
        (r["old_la_code"], r["breakdown"]): r["families_declined"]
        for r in dec.iter_rows(named=True)
        if r["families_declined"]
    }
    labels = {"DISTRUST_SERVICES": "Distrust of services", "NOT_RECORDED": "Reason not recorded"}
    want = {
        (la, labels[k]): v["families_declined"]
        for (la, k), v in exp.items()
        if v.get("families_declined")
    }
    assert got == want


@pytest.mark.parametrize(
    ("topic", "key"),
    [
        ("Ethnicity group", lambda r: ETHNIC_GROUP[r["ethnicity"]]),
        ("Age band", age_band),
        (
            "Sex",
            lambda r: {"M": "Male", "F": "Female", "U": "Unknown (including unborn)"}[r["sex"]],
        ),
        (
            "Disability",
            lambda r: "No disability" if r["disability"] == "NONE" else "Any disability",
        ),
    ],
)
def test_child_breakdowns_match_python(topic: str, key) -> None:
    p = Period.parse("2025-26")
    out = aggregate(sample_frame(), p)
    exp = python_counts(p, key=key)
    measures = ["children_offered", "children_accepted", "children_referred", "children_held"]
    rows = la_rows(out, topic)
    seen = 0
    for row in rows.iter_rows(named=True):
        e = exp.get((row["old_la_code"], row["breakdown"]), {})
        for m in measures:
            assert row[m] == e.get(m, 0), (topic, row["old_la_code"], row["breakdown"], m)
            seen += row[m]
    assert seen > 0


def test_age_bands_by_hand(year: pl.DataFrame) -> None:
    h = la_rows(year, "Age band").filter(pl.col("old_la_code") == "805")
    offered = dict(zip(h["breakdown"], h["children_offered"], strict=True))
    # H1: 6 and under 1 on 2025-05-01; H2: 12; H4: unborn
    assert offered == {
        "Unborn": 1, "Under 1": 1, "1 to 4": 0, "5 to 9": 1, "10 to 15": 1, "16 to 17": 0,
        "Not known": 0,
    }  # fmt: skip


def _python_medians(p: Period, start: str, end: str, step: str) -> dict[str, float]:
    per_family: dict[tuple[str, str], int] = {}
    for r in sample_rows():
        if step_holds(step, r, p) and r[start] and r[end]:
            days = (date.fromisoformat(r[end]) - date.fromisoformat(r[start])).days
            if days >= 0:
                per_family[(r["la_code"], r["episode_id"])] = days
    groups: dict[str, list[int]] = defaultdict(list)
    for (la, _), days in per_family.items():
        groups[la].append(days)
        groups[LA_REGION[la]].append(days)
        groups["England"].append(days)
    return {k: statistics.median(v) for k, v in groups.items()}


@pytest.mark.parametrize("period", ["2025-26", "2025-26-Q1"])
@pytest.mark.parametrize(
    ("measure", "start", "end", "step"),
    [
        ("median_days_offer_to_referral", "offer_date", "referral_date", "referred"),
        ("median_days_referral_to_conference", "referral_date", "conference_date", "held"),
    ],
)
def test_medians_recomputed_from_pooled_families(
    period: str, measure: str, start: str, end: str, step: str
) -> None:
    p = Period.parse(period)
    out = aggregate(sample_frame(), p).filter(pl.col("breakdown_topic") == "Total")
    expected = _python_medians(p, start, end, step)
    for row in out.iter_rows(named=True):
        where = row["old_la_code"] or row["region_code"] or "England"
        assert row[measure] == expected.get(where), (measure, where)


def test_national_median_is_not_an_average_of_councils(year: pl.DataFrame) -> None:
    m = "median_days_offer_to_referral"
    total = year.filter(pl.col("breakdown_topic") == "Total")
    national = total.filter(pl.col("geographic_level") == "National")[m].item()
    councils = la_rows(year)[m].drop_nulls()
    assert (
        national
        == _python_medians(Period.parse("2025-26"), "offer_date", "referral_date", "referred")[
            "England"
        ]
    )
    assert national != councils.mean()


def test_messy_text_frame_is_typed_and_deduplicated() -> None:
    frame = sample_frame()
    extra = frame.head(2).with_columns(
        pl.col("offer_date").str.replace(r"^", " "),  # stray spaces are stripped
    )
    unknown = frame.head(1).with_columns(
        pl.lit("999").alias("la_code"), pl.lit("Z1").alias("episode_id")
    )
    messy = pl.concat([frame, extra, unknown]).with_columns(
        pl.int_range(pl.len()).cast(pl.Utf8).alias("__row__"),
        pl.lit("").alias("an_extra_column"),
    )
    out = aggregate(messy, "2025-26")
    rows = {r["old_la_code"]: r for r in la_rows(out).iter_rows(named=True)}
    clean = {
        r["old_la_code"]: r for r in la_rows(aggregate(frame, "2025-26")).iter_rows(named=True)
    }
    assert rows["805"]["children_offered"] == clean["805"]["children_offered"]  # duplicates once
    assert rows["999"]["la_name"] is None and rows["999"]["families_offered"] == 1
    national = out.filter(
        (pl.col("geographic_level") == "National") & (pl.col("breakdown_topic") == "Total")
    )
    regions = out.filter(
        (pl.col("geographic_level") == "Regional") & (pl.col("breakdown_topic") == "Total")
    )
    # the unknown council is in England but in no region
    assert national["families_offered"].item() == regions["families_offered"].sum() + 1


def test_period_given_as_text_or_period_and_bad_period() -> None:
    frame = sample_frame()
    assert aggregate(frame, "2025-26-Q3").equals(aggregate(frame, Period(2025, 3)))
    with pytest.raises(PeriodError):
        aggregate(frame, "2025-27")


def test_dfe_quarterly_items() -> None:
    out = dfe_quarterly(sample_frame(), "2025-26-Q1")
    assert out.columns == [
        "time_period", "time_identifier", "old_la_code", "new_la_code", "la_name",
        "measure", "label", "unit", "value", "counting_rule",
    ]  # fmt: skip
    h = {
        r["measure"]: r["value"]
        for r in out.filter(pl.col("old_la_code") == "805").iter_rows(named=True)
    }
    assert h == {
        "families_offered_at_or_before_lbp": 1,
        "children_offered_at_or_before_lbp": 2,
        "families_fgdm_facilitated": 1,
        "children_fgdm_facilitated": 2,
    }
    m = {
        r["measure"]: r["value"]
        for r in out.filter(pl.col("old_la_code") == "806").iter_rows(named=True)
    }
    # M5 was offered after its letter, but its meeting was facilitated in pre-proceedings
    assert m["families_offered_at_or_before_lbp"] == 0 and m["families_fgdm_facilitated"] == 1
    assert out["counting_rule"].str.contains("2025-04-01 to 2025-06-30").all()
    assert out["counting_rule"].str.contains("letter before proceedings").all()
    one = dfe_quarterly(sample_frame(), "2025-26-Q1", la_code="805")
    assert one["old_la_code"].unique().to_list() == ["805"] and one.height == 4
    with pytest.raises(PeriodError):
        dfe_quarterly(sample_frame(), "2025-26")


def test_measures_are_declared_once_with_rules() -> None:
    names = [m.name for m in AGGREGATE_MEASURES]
    assert len(names) == len(set(names))
    for m in AGGREGATE_MEASURES:
        assert m.step in STEP_RULES
        assert m.description and m.label
        assert set(m.topics) <= set(BREAKDOWN_TOPICS)
        if m.unit != "children":
            assert not {"Ethnicity group", "Age band", "Sex", "Disability"} & set(m.topics)
    assert {m.step for m in AGGREGATE_MEASURES} == set(STEP_RULES)


def test_empty_frame_gives_england_rows_of_zeros() -> None:
    empty = pl.DataFrame(schema=dict.fromkeys(["la_code", "episode_id", "child_id"], pl.Utf8))
    out = aggregate(empty, "2025-26")
    assert set(out["geographic_level"]) == {"National"}
    total = out.filter(pl.col("breakdown_topic") == "Total").row(0, named=True)
    assert total["families_offered"] == 0 and total["median_days_offer_to_referral"] is None
