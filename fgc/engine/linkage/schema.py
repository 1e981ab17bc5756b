"""The linked-outcomes frame: the contract between linking and comparing.

Linking (``fgc.engine.linkage``) reads an FGC child-level frame with a council's SSDA903
episodes and CIN census and yields one row per child in this schema: every FGC child, and
the pre-proceedings children the statutory files show who were **not offered** an FGC.
Comparison and impact (``fgc.engine.impact``) read only this schema, so either side can
change without the other.

Groups follow ``fgc.engine.insight.flags.COHORTS`` and add ``not_offered``. Covariates use
``fgc.engine.derive``'s labels (age band at the index date, ethnicity group, disability
group), so a figure adjusted here groups children the same way as every other page.
Outcome columns are null when they are not yet due at the as-at date.
"""

from __future__ import annotations

import polars as pl

GROUP_HELD = "held"
GROUP_OFFERED_NO_MEETING = "offered_no_meeting"
GROUP_DECLINED = "declined"
GROUP_NOT_OFFERED = "not_offered"
GROUPS: dict[str, str] = {
    GROUP_HELD: "Meeting held",
    GROUP_OFFERED_NO_MEETING: "Offered, no meeting (not declined)",
    GROUP_DECLINED: "Offered and declined",
    GROUP_NOT_OFFERED: "In pre-proceedings, not offered",
}

LINKED_SCHEMA: dict[str, pl.DataType] = {
    "la_code": pl.Utf8(),
    "child_key": pl.Utf8(),  # the council's child id, or its keyed pseudonym at the hub
    "group": pl.Utf8(),  # a key of GROUPS
    "index_date": pl.Date(),  # letter before proceedings date, else offer date (or PLO start)
    "plo": pl.Boolean(),  # the family was in pre-proceedings at the index date
    "age_band": pl.Utf8(),  # fgc.engine.derive.AGE_BAND_LABELS, at the index date
    "sex": pl.Utf8(),  # the standard's sex codes
    "ethnicity_group": pl.Utf8(),  # fgc.engine.derive.ethnicity_groups()
    "disability_group": pl.Utf8(),  # fgc.engine.derive.DISABILITY_LABELS
    "prior_cp_plan": pl.Boolean(),  # a CP plan started before the index date (CIN census)
    "looked_after_6m": pl.Boolean(),
    "looked_after_12m": pl.Boolean(),
    "entered_care_12m": pl.Boolean(),
    "days_looked_after_12m": pl.Int64(),
    "proceedings_issued_12m": pl.Boolean(),
    "living_arrangement_12m": pl.Utf8(),  # LIVING_ARRANGEMENTS key or "NOT_LOOKED_AFTER"
}

# Where a child lived at index + 12 months, grouped from the SSDA903 placement type.
LIVING_ARRANGEMENTS: dict[str, str] = {
    "WITH_PARENTS": "Placed with parents",
    "KINSHIP": "Kinship placement with relatives or friends",
    "FOSTER_CARE": "Foster care",
    "RESIDENTIAL": "Residential",
    "OTHER": "Other placement",
    "NOT_LOOKED_AFTER": "Not looked after",
}


def empty_linked() -> pl.DataFrame:
    """A linked frame with no rows, in the schema."""
    return pl.DataFrame(schema=LINKED_SCHEMA)
