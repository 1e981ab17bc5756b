"""fgc.synth.generate: shape, determinism, realism and validity of the synthetic data."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import polars as pl
import pytest

from fgc.standard import load_standard
from fgc.synth import DEFAULT_REFERENCE_DATE, SynthError, generate
from fgc.synth.councils import LARGEST_COUNCIL, council_profiles
from fgc.synth.distributions import all_tables

STD = load_standard()
YEARS = ["2023-24", "2024-25"]


@pytest.fixture(scope="module")
def national() -> pl.DataFrame:
    """Every council, two years: ≈100,000 rows, big enough for stable rates."""
    return generate("all", YEARS, seed=11)


@pytest.fixture(scope="module")
def families(national: pl.DataFrame) -> pl.DataFrame:
    return national.unique("episode_id", keep="first", maintain_order=True)


def share(frame: pl.DataFrame, expr: pl.Expr) -> float:
    return float(frame.select(expr.cast(pl.Float64).mean()).item())


def test_columns_are_the_standard_fields_in_order_and_all_text(national: pl.DataFrame) -> None:
    assert national.columns == list(STD.field_names)
    assert set(national.schema.values()) == {pl.Utf8}
    # blanks are nulls, never empty strings
    empties = national.select(pl.sum_horizontal(pl.all().eq("").fill_null(False))).to_series()
    assert empties.sum() == 0


def test_same_seed_same_frame_and_a_different_seed_differs() -> None:
    a = generate("805,806", ["2025-26"], seed=3)
    b = generate("805,806", ["2025-26"], seed=3)
    c = generate("805,806", ["2025-26"], seed=4)
    assert a.equals(b)
    assert not a.equals(c)


def test_a_council_gets_the_same_rows_alone_or_with_others() -> None:
    alone = generate(["805"], ["2025-26"], seed=5)
    together = generate(["805", "806"], ["2025-26"], seed=5)
    assert alone.equals(together.filter(pl.col("la_code") == "805"))


def test_ids_are_unique_and_well_formed(national: pl.DataFrame) -> None:
    assert national.select(pl.struct("episode_id", "child_id").is_unique().all()).item()
    assert national["episode_id"].str.contains(r"^E\d{3}-\d{4}-\d{5}$").all()
    assert national["child_id"].str.contains(r"^[A-Za-z0-9]{1,20}$").all()
    first = national.row(0, named=True)
    assert first["episode_id"].startswith(f"E{first['la_code']}-")


def test_children_per_family_is_about_one_point_seven(
    national: pl.DataFrame, families: pl.DataFrame
) -> None:
    assert 1.6 <= national.height / families.height <= 1.85
    sizes = national.group_by("episode_id").len()["len"]
    assert 0.45 <= (sizes == 1).mean() <= 0.58
    assert (sizes >= 4).mean() > 0.03


def test_family_level_fields_agree_within_each_episode(national: pl.DataFrame) -> None:
    family_fields = [f.name for f in STD.fields if f.level == "family" and f.name != "episode_id"]
    disagreeing = (
        national.group_by("episode_id")
        .agg(pl.col(c).n_unique() for c in family_fields)
        .select(pl.any_horizontal(pl.col(c) > 1 for c in family_fields).sum())
        .item()
    )
    assert disagreeing == 0


def test_national_volumes_are_realistic(families: pl.DataFrame) -> None:
    per_year = families.height / len(YEARS)
    assert 20_000 <= per_year <= 45_000
    by_council = families.group_by("la_code").len()["len"] / len(YEARS)
    assert by_council.max() <= LARGEST_COUNCIL * 1.15
    assert by_council.max() >= 500
    assert families["la_code"].n_unique() == len(council_profiles()) == 153


def test_stage_and_response_mix(families: pl.DataFrame) -> None:
    stage = pl.col("stage")
    assert 0.27 <= share(families, stage == "PLO") <= 0.33
    assert 0.22 <= share(families, stage == "CP") <= 0.28
    offered = families.filter(pl.col("offer_date").is_not_null())
    response = pl.col("offer_response")
    assert 0.60 <= share(offered, response == "ACCEPTED") <= 0.70
    assert 0.17 <= share(offered, response == "DECLINED") <= 0.25
    assert 0.08 <= share(offered, response == "NO_RESPONSE") <= 0.15
    declined = offered.filter(response == "DECLINED")
    assert declined["decline_reason"].n_unique() == len(STD.codelists["decline_reason"].values)


def test_meetings_and_timeliness(families: pl.DataFrame) -> None:
    accepted = families.filter(pl.col("offer_response") == "ACCEPTED")
    assert 0.68 <= share(accepted, pl.col("conference_date").is_not_null()) <= 0.8
    held = accepted.filter(pl.col("conference_date").is_not_null())
    assert 0.07 <= share(held, pl.col("meeting_type") == "FNM") <= 0.13
    days = held.select(
        (pl.col("conference_date").str.to_date() - pl.col("referral_date").str.to_date())
        .dt.total_days()
        .alias("days")
    )["days"]
    median = days.median()
    assert median is not None and 35 <= median <= 45
    assert 0.01 <= (days > 90).mean() <= 0.08  # a long tail, not a wall
    not_held = accepted.filter(pl.col("not_held_reason").is_not_null())
    assert not_held["conference_date"].is_null().all()
    assert not_held["not_held_reason"].n_unique() >= 10


def test_plo_outcomes_follow_the_pre_proceedings_trial(national: pl.DataFrame) -> None:
    plo = national.filter(pl.col("stage") == "PLO", pl.col("looked_after_12m").is_not_null())
    rates = plo.group_by(referred=pl.col("referral_date").is_not_null()).agg(
        la12=(pl.col("looked_after_12m") == "Y").mean(),
        la6=(pl.col("looked_after_6m") == "Y").mean(),
        n=pl.len(),
    )
    got = {r["referred"]: r for r in rates.iter_rows(named=True)}
    assert got[True]["n"] > 5_000 and got[False]["n"] > 3_000
    assert abs(got[True]["la12"] - 0.36) < 0.03
    assert abs(got[False]["la12"] - 0.45) < 0.03
    assert got[True]["la6"] < got[False]["la6"]  # the 6-month outcome moves with it
    earlier = national.filter(pl.col("stage") == "EH", pl.col("looked_after_12m").is_not_null())
    assert share(earlier, pl.col("looked_after_12m") == "Y") < 0.05


def test_exceptions_are_about_three_percent_of_plo(families: pl.DataFrame) -> None:
    plo = families.filter(pl.col("stage") == "PLO")
    assert 0.02 <= share(plo, pl.col("exception") == "Y") <= 0.045
    exceptions = plo.filter(pl.col("exception") == "Y")
    assert exceptions["exception_reason"].is_not_null().all()
    assert exceptions["offer_date"].is_null().all()
    assert 0.8 <= share(plo, pl.col("offer_in_lbp") == "Y") <= 0.95


def test_characteristics_are_close_to_national_shapes(national: pl.DataFrame) -> None:
    born = national.filter(pl.col("date_of_birth").is_not_null())
    assert 0.58 <= share(national, pl.col("ethnicity") == "WBRI") <= 0.72
    assert 0.45 <= share(born, pl.col("sex") == "M") <= 0.55
    assert 0.8 <= share(national, pl.col("disability") == "NONE") <= 0.9
    ages = born.select(
        (
            (pl.col("offer_date").fill_null(pl.col("lbp_date")).str.to_date()
             - pl.col("date_of_birth").str.to_date()).dt.total_days() / 365.25
        ).alias("age")
    )["age"]  # fmt: skip
    assert ages.max() < 18 and ages.min() >= 0
    assert (ages < 5).mean() > (ages >= 13).mean()  # more younger children


def test_unborn_children(national: pl.DataFrame) -> None:
    unborn = national.filter(pl.col("expected_due_date").is_not_null())
    assert 0.03 <= unborn.height / national.height <= 0.07
    assert unborn["date_of_birth"].is_null().all()
    assert (unborn["sex"] == "U").all()
    assert unborn["stage"].is_in(["PREBIRTH", "PLO"]).all()
    held = unborn.filter(pl.col("conference_date").is_not_null())
    assert (held["child_participation"] == "UNBORN").all()


def test_dates_are_real_in_order_and_not_after_the_reference_date(
    national: pl.DataFrame,
) -> None:
    dates = national.select(
        pl.col(f.name).str.to_date(strict=True) for f in STD.fields if f.type == "date"
    )
    # Events end with the last year asked for; a due date is a forecast and may lie beyond.
    latest = dates.drop("expected_due_date").select(pl.max_horizontal(pl.all().max())).item()
    assert latest <= date(2025, 3, 31)
    assert dates["expected_due_date"].max() <= DEFAULT_REFERENCE_DATE
    anchor = dates.select(pl.coalesce("lbp_date", "offer_date"))["lbp_date"]
    assert anchor.min() >= date(2023, 4, 1)
    chain = ["offer_date", "response_date", "referral_date", "allocation_date",
             "conference_date", "review_date", "closure_date"]  # fmt: skip
    for before, after in pairwise(chain):
        assert not dates.select((pl.col(after) < pl.col(before)).any()).item(), (before, after)


def test_outcomes_are_blank_until_the_months_have_passed() -> None:
    recent = generate(["805", "806", "807"], ["2025-26", "2026-27"], seed=2)
    anchor = pl.coalesce("lbp_date", "offer_date").str.to_date()
    due12 = anchor.dt.offset_by("12mo")
    filled_early = recent.filter(
        pl.col("looked_after_12m").is_not_null() & (due12 > DEFAULT_REFERENCE_DATE)
    )
    assert filled_early.height == 0
    assert recent.filter(due12 <= DEFAULT_REFERENCE_DATE)["looked_after_12m"].is_not_null().all()
    assert recent["looked_after_12m"].is_null().any()


def test_clean_data_validates_with_no_errors(national: pl.DataFrame) -> None:
    validate = pytest.importorskip("fgc.engine.validate").validate
    report = validate(national, reference_date=DEFAULT_REFERENCE_DATE)
    assert report.error_count == 0, report.findings.head(10)
    # The only queries are the plausible ones: offers made after the letter before
    # proceedings (FGC017) and slow conferences (FGC019).
    assert set(report.findings["code"].unique()) <= {"FGC017", "FGC019"}


def test_clean_current_year_validates_with_no_errors() -> None:
    validate = pytest.importorskip("fgc.engine.validate").validate
    frame = generate(["805", "330", "926"], ["2026-27"], seed=9)
    report = validate(frame, reference_date=DEFAULT_REFERENCE_DATE)
    assert report.error_count == 0, report.findings.head(10)


def test_every_generated_code_is_in_the_standard() -> None:
    for codelist, tables in all_tables().items():
        allowed = set(STD.codelists[codelist].values)
        for table in tables:
            assert set(table.codes) <= allowed, codelist


def test_scale_multiplies_volume() -> None:
    one = generate(["805"], ["2025-26"]).height
    three = generate(["805"], ["2025-26"], scale=3).height
    assert 2.5 * one <= three <= 3.5 * one


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"las": ["805", "999"]}, "Unknown local authority code(s): 999"),
        ({"las": ""}, "No local authority codes"),
        ({"years": ["2025-27"]}, "not a financial year"),
        ({"years": ["2025"]}, "not a period"),
        ({"years": ["2025-26-Q1"]}, "is a quarter"),
        ({"years": ["2027-28"]}, "starts after the reference date"),
        ({"messy": 1.5}, "--messy must be a rate"),
        ({"kinds": ["nonsense"], "messy": 0.1}, "Unknown mistake kind"),
    ],
)
def test_bad_arguments_give_clear_errors(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"las": ["805"], "years": ["2025-26"], **kwargs}
    with pytest.raises(SynthError) as exc:
        generate(**args)  # type: ignore[arg-type]
    assert message in str(exc.value)
