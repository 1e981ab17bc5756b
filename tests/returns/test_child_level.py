"""Option 2: the child-level return keeps only national fields and leaks no identifier."""

from __future__ import annotations

import string
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fgc.formats.errors import FormatError
from fgc.returns.child_level import (
    KEY_ENV,
    MissingKeyError,
    child_level_return,
    pseudonym_key,
)
from fgc.standard import load_standard
from fgc.synth import generate

KEY = b"test-secret-key-0123456789"
STD = load_standard()
NATIONAL = {f.name for f in STD.fields if f.national}


def _row(**values: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {
        "la_code": "805", "episode_id": "EP1", "child_id": "CH1", "known_to_csc": "Y",
        "date_of_birth": "2015-06-17", "sex": "F", "ethnicity": "WBRI", "disability": "NONE",
        "stage": "CP", "offer_date": "2025-05-02", "offer_response": "PENDING",
        "postcode_district": "TS24 8AB",
    }  # fmt: skip
    base.update(values)
    return base


def test_key_from_environment():
    with pytest.raises(MissingKeyError, match=f"{KEY_ENV}_805"):
        pseudonym_key("805", {})
    assert pseudonym_key("805", {KEY_ENV: "shared"}) == b"shared"
    assert pseudonym_key("805", {KEY_ENV: "shared", f"{KEY_ENV}_805": "own"}) == b"own"


def test_missing_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(f"{KEY_ENV}_805", raising=False)
    with pytest.raises(MissingKeyError):
        child_level_return(pl.DataFrame([_row()]), "805", "2025-26")


def test_minimised_shape_and_transforms():
    frame = pl.DataFrame(
        [
            _row(child_name="Jane Smith", notes="lives with gran"),
            _row(child_id="CH2", postcode_district="ts248ab", date_of_birth="2016-02-29"),
            _row(child_id="CH3", postcode_district="TS24"),
            _row(child_id="CH4", postcode_district="not a postcode at all"),
        ]
    )
    out = child_level_return(frame, "805", "2025-26", key=KEY)
    assert set(out.columns) <= NATIONAL
    assert "child_name" not in out.columns and "notes" not in out.columns
    assert out["date_of_birth"].to_list() == [
        "2015-06-01",
        "2016-02-01",
        "2015-06-01",
        "2015-06-01",
    ]
    assert out["postcode_district"].to_list() == ["TS24", "TS24", "TS24", None]
    assert not set(out["child_id"]) & {"CH1", "CH2", "CH3", "CH4"}
    assert out["episode_id"].to_list()[0] != "EP1"


def test_pseudonyms_stable_across_periods_keyed_and_per_council():
    a = _row(offer_date="2025-05-02")
    b = _row(offer_date="2026-05-02", episode_id="EP2")
    y1 = child_level_return(pl.DataFrame([a]), "805", "2025-26", key=KEY)
    y2 = child_level_return(pl.DataFrame([b]), "805", "2026-27", key=KEY)
    assert y1["child_id"][0] == y2["child_id"][0]  # the same child links over time
    other_key = child_level_return(pl.DataFrame([a]), "805", "2025-26", key=b"another-key")
    assert other_key["child_id"][0] != y1["child_id"][0]
    other_la = child_level_return(pl.DataFrame([_row(la_code="806")]), "806", "2025-26", key=KEY)
    assert other_la["child_id"][0] != y1["child_id"][0]


def test_rows_for_another_council_refused():
    frame = pl.DataFrame([_row(), _row(la_code="806", child_id="X9")])
    with pytest.raises(FormatError, match="806"):
        child_level_return(frame, "805", "2025-26", key=KEY)


def test_only_episodes_active_in_the_period():
    frame = pl.DataFrame(
        [
            _row(episode_id="IN"),
            _row(episode_id="LATER", offer_date="2026-06-01"),
            _row(episode_id="CLOSED", offer_date="2024-05-01", closure_date="2025-01-31"),
            _row(episode_id="OPEN", offer_date="2024-05-01"),
        ]
    )
    out = child_level_return(frame, "805", "2025-26", key=KEY)
    assert out.height == 2


def test_synthetic_council_return_leaks_no_ids():
    frame = generate(["805"], ["2025-26"], seed=4)
    out = child_level_return(frame, "805", "2025-26", key=KEY)
    assert out.height > 100
    for value in frame["child_id"].unique().to_list() + frame["episode_id"].unique().to_list():
        assert value not in set(out["child_id"]) | set(out["episode_id"])
    dobs = frame["date_of_birth"].drop_nulls()
    exact = [d for d in dobs.to_list() if not d.endswith("-01")]
    assert exact and not set(exact) & set(out["date_of_birth"].drop_nulls())
    assert out["date_of_birth"].drop_nulls().str.ends_with("-01").all()


# Prefixed so an id can never equal a code or count that the return rightly holds ("WBRI",
# "000"): the property is that *ids* do not survive.
ids = st.text(string.ascii_letters + string.digits, min_size=3, max_size=17).map(lambda s: f"ID{s}")
names = st.text(string.ascii_letters + " '-", min_size=6, max_size=30).filter(
    lambda s: len(s.strip()) >= 6
)
dobs = st.dates(date(2008, 1, 2), date(2025, 3, 31)).filter(lambda d: d.day != 1)
postcodes = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\Z")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(ids, ids, names, dobs, postcodes), min_size=1, max_size=8),
)
def test_no_direct_identifier_survives(rows):
    frame = pl.DataFrame(
        [
            _row(
                episode_id=ep,
                child_id=ch,
                child_name=name,
                date_of_birth=dob.isoformat(),
                postcode_district=pc,
            )
            for ep, ch, name, dob, pc in rows
        ]
    )
    out = child_level_return(frame, "805", "2025-26", key=KEY)
    cells = {str(v) for col in out.columns for v in out[col].to_list() if v is not None}
    for ep, ch, name, dob, pc in rows:
        assert ep not in cells and ch not in cells  # ids replaced
        assert not any(name.strip() in c for c in cells)  # free text dropped
        assert dob.isoformat() not in cells  # exact date of birth gone
        assert pc not in cells or len(pc) <= 4  # full postcode gone
    assert all(len(p) <= 4 for p in out["postcode_district"].drop_nulls())
    assert out["date_of_birth"].str.ends_with("-01").all()
