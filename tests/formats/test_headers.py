"""Header matching against field names and labels."""

from __future__ import annotations

import pytest

from fgc.formats import match_header, normalise_header
from fgc.formats.headers import column_letter
from fgc.standard import load_standard


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("episode_id", "episode_id"),
        ("Episode ID", "episode_id"),
        ("episode id", "episode_id"),
        ("EPISODE-ID", "episode_id"),
        ("Episode reference", "episode_id"),
        ("Date of birth", "date_of_birth"),
        ("  date_of_birth ", "date_of_birth"),
        ("Known to childrens social care", "known_to_csc"),
        ("Worker name", None),
    ],
)
def test_match_header(header: str, field: str | None):
    assert match_header(header, load_standard()) == field


def test_every_field_name_and_label_matches_itself():
    std = load_standard()
    for f in std.fields:
        assert match_header(f.name, std) == f.name
        assert match_header(f.label.upper(), std) == f.name


def test_normalise_header():
    assert normalise_header("Date_of - Birth") == "dateofbirth"


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (9999, "NTP")]
)
def test_column_letter(index: int, letter: str):
    assert column_letter(index) == letter
