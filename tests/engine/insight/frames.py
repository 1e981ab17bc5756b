"""Small hand-made child-level frames with known answers."""

from __future__ import annotations

import polars as pl

from fgc.standard import load_standard

# The fields of a family that accepted, was referred and had an FGC with a full plan.
HELD = {
    "offer_response": "ACCEPTED",
    "response_date": "2025-05-02",
    "referral_date": "2025-05-10",
    "allocation_date": "2025-05-12",
    "meeting_type": "FGC",
    "conference_date": "2025-06-09",
    "plan_agreed": "FULL",
    "plan_accepted": "ACCEPTED",
}


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
