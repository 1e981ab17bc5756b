"""Small hand-made child-level frames with known answers."""

from __future__ import annotations

import polars as pl

from fgc.standard import load_standard


def child_rows(rows: list[dict[str, str]]) -> pl.DataFrame:
    """Text frame in the standard's columns; missing fields blank."""
    names = load_standard().field_names
    return pl.DataFrame(
        {n: [r.get(n) for r in rows] for n in names}, schema=dict.fromkeys(names, pl.Utf8)
    )


def row(la: str, ep: str, child: str = "C1", **kw: str) -> dict[str, str]:
    base = {
        "la_code": la,
        "episode_id": ep,
        "child_id": child,
        "known_to_csc": "Y",
        "date_of_birth": "2018-05-01",
        "sex": "F",
        "ethnicity": "WBRI",
        "disability": "NONE",
        "stage": "CP",
        "offer_date": "2025-05-01",
    }
    base.update(kw)
    return base
