"""validate() against a naive plain-Python version of the rules whose vectorised code is tuned
for speed: the cleaning of text (strip, blank → not recorded), FGC012 (a child twice in an
episode) and FGC013 (a family field that differs within an episode).

The file is the synthetic generator's messy output, made messier: surrounding whitespace
(ASCII and Unicode), blank and all-space cells, repeated children and family fields that
disagree, some only by surrounding spaces (which must not count as disagreeing).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import polars as pl
import pytest

from fgc.engine.rules.registry import rule
from fgc.engine.validate import ValidationReport, validate
from fgc.standard import load_standard
from fgc.synth import generate

REF = date(2026, 3, 31)
FIRST_DATA_ROW = 2
# Unicode White_Space: what the validator strips (polars' strip_chars). Python's str.strip
# also strips U+001C–U+001F, so the oracle strips exactly this set instead.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
PADDING = [" ", "  ", "\t", "\xa0", "\u3000", " \u2009", "\r"]

Row = dict[str, str | None]


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip(WHITESPACE)
    return stripped or None


def family_fields() -> list[str]:
    std = load_standard()
    return [f.name for f in std.fields if f.level == "family" and f.name != "episode_id"]


def _messier(frame: pl.DataFrame, seed: int) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = frame.to_dicts()
    columns = frame.columns
    family = family_fields()
    by_episode: dict[str | None, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_episode[r["episode_id"]].append(i)
    for i, r in enumerate(rows):
        for name in rng.sample(columns, 3):
            value, roll = r[name], rng.random()
            if roll < 0.15:
                r[name] = ""
            elif roll < 0.25:
                r[name] = rng.choice(PADDING)
            elif value is not None:
                pad = rng.choice(PADDING)
                r[name] = rng.choice([pad + value, value + pad, pad + value + pad])
    # Family fields that differ within an episode: really (another value, or blank), or only
    # by surrounding whitespace (not a disagreement once cleaned).
    for members in by_episode.values():
        if len(members) < 2 or rng.random() > 0.3:
            continue
        victim = rows[rng.choice(members)]
        name = rng.choice(family)
        value = victim[name]
        victim[name] = rng.choice(
            [None, "", "OTHER", f" {value} " if value else "X", value.lower() if value else None]
        )
    # Children repeated in an episode (same ids, possibly padded), and a few without an id.
    extra: list[Row] = []
    for r in rng.sample(rows, len(rows) // 20):
        twin = dict(r)
        if twin["child_id"] and rng.random() < 0.5:
            twin["child_id"] = f" {twin['child_id']}\t"
        extra.append(twin)
    for r in rng.sample(rows, len(rows) // 50):
        r[rng.choice(["child_id", "episode_id"])] = rng.choice([None, "", "  "])
    rows.extend(extra)
    rng.shuffle(rows)
    return rows


def _naive_duplicates(rows: list[Row]) -> set[tuple[int, str | None]]:
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        ep, child = clean(r["episode_id"]), clean(r["child_id"])
        if ep is not None and child is not None:
            seen[(ep, child)].append(i)
    return {
        (i + FIRST_DATA_ROW, clean(rows[i]["child_id"]))
        for members in seen.values()
        if len(members) > 1
        for i in members
    }


def _naive_family(rows: list[Row]) -> set[tuple[int, str, str | None]]:
    episodes: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        ep = clean(r["episode_id"])
        if ep is not None:
            episodes[ep].append(i)
    found: set[tuple[int, str, str | None]] = set()
    for name in family_fields():
        for members in episodes.values():
            if len({clean(rows[i][name]) for i in members}) > 1:
                found |= {(i + FIRST_DATA_ROW, name, clean(rows[i][name])) for i in members}
    return found


def _report(rows: list[Row], columns: list[str]) -> ValidationReport:
    return validate(pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.Utf8)), reference_date=REF)


@pytest.fixture(scope="module", params=[11, 12])
def messy(request: pytest.FixtureRequest) -> tuple[list[Row], ValidationReport]:
    frame = generate("805", ["2024-25"], seed=request.param, messy=0.3, scale=4)
    rows = _messier(frame, request.param)
    return rows, _report(rows, frame.columns)


def test_the_file_is_messy_enough(messy: tuple[list[Row], ValidationReport]) -> None:
    rows, report = messy
    assert len(rows) > 2_000
    assert len(_naive_duplicates(rows)) > 100
    assert len(_naive_family(rows)) > 100
    assert report.findings["code"].n_unique() > 10


def test_fgc012_matches_naive(messy: tuple[list[Row], ValidationReport]) -> None:
    rows, report = messy
    found = report.findings.filter(pl.col("code") == "FGC012")
    assert set(found["field"]) == {"child_id"}
    assert found.height == len(_naive_duplicates(rows))
    assert set(found.select("row", "value").iter_rows()) == _naive_duplicates(rows)


def test_fgc013_matches_naive(messy: tuple[list[Row], ValidationReport]) -> None:
    rows, report = messy
    found = report.findings.filter(pl.col("code") == "FGC013")
    expected = _naive_family(rows)
    assert found.height == len(expected)
    assert set(found.select("row", "field", "value").iter_rows()) == expected


def test_every_finding_shows_the_cleaned_text(messy: tuple[list[Row], ValidationReport]) -> None:
    rows, report = messy
    row_findings = report.findings.filter(pl.col("row") >= FIRST_DATA_ROW)
    assert row_findings.height > 1_000
    for f in row_findings.iter_rows(named=True):
        source = rows[f["row"] - FIRST_DATA_ROW]
        assert f["episode_id"] == clean(source["episode_id"])
        assert f["child_id"] == clean(source["child_id"])
        value_field = rule(f["code"]).value or f["field"]
        assert f["value"] == clean(source[value_field]), f


def test_blank_and_spaces_are_not_recorded(messy: tuple[list[Row], ValidationReport]) -> None:
    # A required field left blank or as spaces is reported missing, exactly where the naive
    # cleaning says it is not recorded (FGC001 is the required-field rule).
    rows, report = messy
    found = report.findings.filter(pl.col("code") == "FGC001")
    assert found.height > 100
    for f in found.iter_rows(named=True):
        assert clean(rows[f["row"] - FIRST_DATA_ROW][f["field"]]) is None
