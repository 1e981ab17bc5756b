"""fgc.synth.messy: every kind of injected mistake is caught by the rule it names."""

from __future__ import annotations

import random
from collections import Counter

import polars as pl
import pytest

from fgc.synth import DEFAULT_REFERENCE_DATE, generate, messy_kinds
from fgc.synth.messy import inject

validate_module = pytest.importorskip(
    "fgc.engine.validate", reason="fgc.engine.validate is not written yet"
)
validate = validate_module.validate

# Recent years, so outcome and future-date mistakes have rows to go in.
LAS = ["805", "806", "807", "330", "926"]
YEARS = ["2025-26", "2026-27"]


def codes(frame: pl.DataFrame) -> Counter[str]:
    report = validate(frame, reference_date=DEFAULT_REFERENCE_DATE)
    return Counter(report.findings["code"].to_list())


@pytest.fixture(scope="module")
def clean() -> pl.DataFrame:
    return generate(LAS, YEARS, seed=21)


@pytest.fixture(scope="module")
def clean_codes(clean: pl.DataFrame) -> Counter[str]:
    return codes(clean)


def test_kinds_name_real_rules() -> None:
    from fgc.engine.rules.registry import RULES

    known = {r.code for r in RULES}
    kinds = messy_kinds()
    assert len(kinds) >= 20
    assert len({k.kind for k in kinds}) == len(kinds)
    for k in kinds:
        assert k.rule_code in known, k
        assert k.description


@pytest.mark.parametrize("kind", messy_kinds(), ids=lambda k: k.kind)
def test_each_kind_is_caught_by_its_rule(
    kind: object, clean: pl.DataFrame, clean_codes: Counter[str]
) -> None:
    name, rule_code, _ = kind  # type: ignore[misc]
    messy = inject(clean, 0.03, random.Random(1), [name], DEFAULT_REFERENCE_DATE)
    assert not messy.equals(clean), f"{name} found nowhere to go"
    found = codes(messy)
    # Clean data may already carry a few plausible queries; the mistake must add more.
    assert found[rule_code] > clean_codes[rule_code], (name, rule_code, found)


def test_messy_rate_touches_about_that_share_of_rows(clean: pl.DataFrame) -> None:
    messy = generate(LAS, YEARS, seed=21, messy=0.05)
    assert messy.height >= clean.height
    same_height = messy.unique(subset=["episode_id", "child_id"], keep="first", maintain_order=True)
    # Mistakes in family-level fields go on every child of the episode, so compare episodes.
    changed = (
        pl.concat([clean, same_height])
        .unique(keep="none")
        .select(pl.col("episode_id").n_unique())
        .item()
    )
    episodes = clean["episode_id"].n_unique()
    assert 0.02 * episodes <= changed <= 0.12 * episodes


def test_messy_is_deterministic() -> None:
    a = generate(["805"], ["2025-26"], seed=3, messy=0.1)
    b = generate(["805"], ["2025-26"], seed=3, messy=0.1)
    assert a.equals(b)
    assert not a.equals(generate(["805"], ["2025-26"], seed=3))


def test_messy_data_has_errors_of_many_kinds() -> None:
    messy = generate(LAS, YEARS, seed=8, messy=0.05)
    found = codes(messy)
    expected = {k.rule_code for k in messy_kinds()}
    assert len(expected & set(found)) >= len(expected) - 2
