"""Synthetic SSDA903 and CIN files tell the same story as the synthetic FGC outcomes."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fgc.engine.linkage.outcomes import link
from fgc.returns.cin.reader import read_census_children
from fgc.statutory import read_episodes
from fgc.synth import generate
from fgc.synth.statutory import statutory_files

AS_AT = date(2026, 11, 1)


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    fgc = generate(["805"], ["2024-25", "2025-26"], seed=3, reference_date=AS_AT)
    files = statutory_files(fgc, seed=3, as_at=AS_AT)
    d = tmp_path_factory.mktemp("stat")
    files.episodes.write_csv(d / "episodes.csv")
    episodes = read_episodes([d / "episodes.csv"], as_at=AS_AT)  # the DfE layout reads back
    cin = list(read_census_children(files.census["805"]))
    return fgc, link(fgc, episodes, as_at=AS_AT, cin=cin)


def test_derived_outcomes_match_the_synthetic_ones(linked):
    fgc, result = linked
    first = (
        fgc.with_columns(pl.coalesce("lbp_date", "offer_date").alias("index_date"))
        .sort(["child_id", "index_date"])
        .unique(subset=["child_id"], keep="first", maintain_order=True)
    )
    joined = first.join(result.outcomes, on="child_id", suffix="_derived")
    assert joined.height == result.outcomes.height > 300
    for field in ("looked_after_6m", "looked_after_12m"):
        known = joined.filter(pl.col(field).is_in(["Y", "N"]))
        assert known.height > 100
        assert (known[field] == known[f"{field}_derived"]).all(), field
    la = joined.filter(pl.col("looked_after_12m") == "Y")
    assert (la["days_looked_after_12m"].cast(pl.Int64) > 0).all()


def test_not_offered_children_at_about_the_usual_care_rate(linked):
    _, result = linked
    not_offered = result.linked.filter(pl.col("group") == "not_offered")
    assert not_offered.height > 10
    known = not_offered.filter(pl.col("looked_after_12m").is_not_null())
    rate = known["looked_after_12m"].mean()
    assert 0.2 < rate < 0.7


def test_not_offered_children_fall_in_the_fgc_childrens_financial_years(linked):
    _, result = linked
    not_offered = result.linked.filter(pl.col("group") == "not_offered")
    # The FGC rows span 2024-25 and 2025-26: no stub of children in 2026-27.
    assert not_offered["index_date"].min() >= date(2024, 4, 1)
    assert not_offered["index_date"].max() <= date(2026, 3, 31)


def test_the_synthetic_census_keeps_each_pre_proceedings_start_in_its_letters_year():
    # DfE rule 9005: PPStartDate inside the reporting year. A letter sent in early April
    # must not carry a start date in the previous March.
    fgc = generate(["805"], ["2025-26"], seed=3, reference_date=AS_AT)
    files = statutory_files(fgc, seed=3, as_at=AS_AT)
    starts = [
        (date.fromisoformat(e.pp["PPStartDate"]), date.fromisoformat(e.pp["LBPSentDate"]))
        for c in read_census_children(files.census["805"])
        for e in c.episodes
        if e.pp and e.pp.get("PPStartDate") and e.pp.get("LBPSentDate")
    ]
    assert starts
    for start, lbp in starts:
        year = lbp.year - (lbp.month < 4)
        assert date(year, 4, 1) <= start <= lbp


def test_export_cin_writes_the_synthetic_council_census(tmp_path):
    from typer.testing import CliRunner

    from fgc.cli import app

    fgc = generate(["805"], ["2025-26"], seed=3, reference_date=AS_AT)
    files = statutory_files(fgc, seed=3, as_at=AS_AT)
    (tmp_path / "cin.xml").write_bytes(files.census["805"])
    fgc.write_csv(tmp_path / "fgc.csv")
    out = tmp_path / "out.xml"
    result = CliRunner().invoke(
        app,
        ["export", "cin", str(tmp_path / "fgc.csv"), "--census", str(tmp_path / "cin.xml"),
         "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.exists()
