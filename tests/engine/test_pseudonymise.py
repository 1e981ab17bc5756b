from __future__ import annotations

import hashlib
import hmac

import polars as pl
import pytest

from fgc.engine.pseudonymise import (
    national_frame,
    pseudonymise,
    pseudonymise_expr,
    pseudonymise_series,
)
from fgc.standard import load_standard


def test_pseudonym_is_keyed_hmac_per_council():
    council_key = hmac.new(b"k", b"la:805", hashlib.sha256).digest()
    expected = hmac.new(council_key, b"C123", hashlib.sha256).hexdigest()[:20]
    assert pseudonymise("C123", "k", la_code="805") == expected
    assert pseudonymise(" C123 ", "k", la_code="805") == expected
    assert pseudonymise("C123", "k", la_code="806") != expected
    assert pseudonymise("C123", "other", la_code="805") != expected
    with pytest.raises(ValueError, match="FGC_PSEUDONYM_KEY"):
        pseudonymise("C123", "", la_code="805")


def test_series_and_expression_match_the_scalar_function():
    frame = pl.DataFrame({"la_code": ["805", "806", "805"], "child_id": ["A1", "A1", None]})
    expr = frame.select(pseudonymise_expr("child_id", "k")).get_column("child_id").to_list()
    series = pseudonymise_series(frame["child_id"], frame["la_code"], "k").to_list()
    assert (
        expr
        == series
        == [
            pseudonymise("A1", "k", la_code="805"),
            pseudonymise("A1", "k", la_code="806"),
            None,
        ]
    )


def test_national_frame_keeps_only_national_fields_minimised():
    std = load_standard()
    frame = pl.DataFrame(
        {
            "la_code": ["805"],
            "episode_id": ["E1"],
            "child_id": ["C1"],
            "date_of_birth": ["2019-03-17"],
            "expected_due_date": [None],
            "not_in_standard": ["secret"],
        }
    )
    out = national_frame(frame, "k")
    assert "not_in_standard" not in out.columns
    assert set(out.columns) <= {f.name for f in std.fields if f.national}
    row = out.row(0, named=True)
    assert row["child_id"] == pseudonymise("C1", "k", la_code="805")
    assert row["episode_id"] == pseudonymise("E1", "k", la_code="805")
    assert row["date_of_birth"] == "2019-03-01"
    with pytest.raises(ValueError, match="la_code"):
        national_frame(frame.drop("la_code"), "k")
