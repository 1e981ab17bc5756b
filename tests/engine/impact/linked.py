"""Hand-made linked-outcomes frames (LINKED_SCHEMA) for the comparison and impact tests."""

from __future__ import annotations

import math
import random
from datetime import date
from typing import Any

import polars as pl

from fgc.engine.linkage.schema import LINKED_SCHEMA

INDEX = date(2024, 6, 1)
BASE: dict[str, Any] = {
    "la_code": "805",
    "group": "held",
    "index_date": INDEX,
    "plo": True,
    "age_band": "1 to 4",
    "sex": "F",
    "ethnicity_group": "White",
    "disability_group": "No disability",
    "prior_cp_plan": False,
    "looked_after_6m": None,
    "looked_after_12m": None,
    "entered_care_12m": None,
    "days_looked_after_12m": None,
    "proceedings_issued_12m": None,
    "living_arrangement_12m": None,
}


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    out = []
    for i, r in enumerate(rows):
        out.append(BASE | {"child_key": f"C{i:06d}"} | r)
    return pl.DataFrame(out, schema=LINKED_SCHEMA)


def cell(n: int, events: int, days: tuple[int, int] = (200, 0), **kw: Any) -> list[dict[str, Any]]:
    """``n`` children, the first ``events`` looked after at 12 months (and in proceedings),
    with ``days[0]`` days looked after if so, else ``days[1]``."""
    return [
        kw
        | {
            "looked_after_12m": i < events,
            "proceedings_issued_12m": i < events,
            "days_looked_after_12m": days[0] if i < events else days[1],
        }
        for i in range(n)
    ]


AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15")
ETHNIC = ("White", "Mixed", "Asian or Asian British", "Black or Black British")
DISABILITY = ("Any disability", "No disability", "Not recorded")


def synthetic(
    seed: int, las: tuple[str, ...] = ("805", "806"), per_la: int = 400, effect: float = -0.4
) -> pl.DataFrame:
    """Random linked children from a known logistic model (for smoke and scale tests)."""
    rng = random.Random(seed)
    rows = []
    groups = ("held", "held", "offered_no_meeting", "declined", "not_offered", "not_offered")
    for la in las:
        for _ in range(per_la):
            g = rng.choice(groups)
            cp = rng.random() < 0.4
            age = rng.choice(AGE_BANDS)
            logit = -0.3 + (effect if g == "held" else 0.0) + (0.8 if cp else 0.0)
            logit += 0.5 if age == "Under 1" else 0.0
            looked_after = rng.random() < 1 / (1 + math.exp(-logit))
            due = rng.random() < 0.85
            rows.append(
                {
                    "la_code": la,
                    "group": g,
                    "index_date": date(2023 + rng.randint(0, 1), rng.randint(1, 12), 1),
                    "plo": True,
                    "age_band": age,
                    "sex": rng.choice(("F", "M")),
                    "ethnicity_group": rng.choice(ETHNIC),
                    "disability_group": rng.choice(DISABILITY),
                    "prior_cp_plan": cp,
                    "looked_after_12m": looked_after if due else None,
                    "proceedings_issued_12m": (looked_after or rng.random() < 0.3) if due else None,
                    "days_looked_after_12m": (rng.randint(30, 365) if looked_after else 0)
                    if due
                    else None,
                }
            )
    return frame(rows)
