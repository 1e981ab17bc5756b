"""The Option 1 aggregate return, derived from the child-level data, and the DfE quarterly items.

``aggregate(frame, period)`` takes the child-level text frame (as ``fgc.formats.read_table``
gives it) and returns one tidy row per council × period × breakdown, in the layout of the
DfE's Explore education statistics open data files, with regional and England rows.

Counting rules
--------------
*Families* are distinct episodes (``la_code``, ``episode_id``); *children* are distinct
(``la_code``, ``episode_id``, ``child_id``) rows. A family counts in a measure when any of its
children does. An episode is placed in a period by the date of the step being counted:

=============================  ==============================================================
offered (and by stage)         ``offer_date`` in the period
offered at or before the LBP   ``offer_date`` in the period, and ``offer_in_lbp`` = Y or the
                               offer dated on or before ``lbp_date`` (DfE quarterly item)
exceptions                     ``exception`` = Y and ``lbp_date`` (or, without a letter,
                               ``offer_date``) in the period
accepted / declined / no       the response to the offers made in the period: ``offer_date``
response / pending / not       in the period (not the response date), so these add up to
recorded                       the offers
referred                       ``referral_date`` in the period
meetings held (FGC, FNM),      ``conference_date`` in the period
plans agreed
FGDM facilitated (DfE item)    meeting held, ``conference_date`` in the period, on or after
                               ``lbp_date`` and not after ``care_application_date``
not held                       accepted, no meeting, closed: ``closure_date`` in the period
reviews held                   ``review_date`` in the period
median days offer→referral     families referred in the period
median days referral→conf.     families whose meeting was held in the period
=============================  ==============================================================

Each ``Measure.description`` in ``AGGREGATE_MEASURES`` states the same rule, and the CLI writes
them beside the figures. Breakdown rows of a topic add up to its Total row (blank or
unlisted codes are reported as "Not recorded"). Regional and England rows are sums of the
council rows; medians are recomputed from the pooled families, never averaged. Rows without a
council code are left out; a code not in the council table appears as a council row and in
England but in no region.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.aggregate.breakdowns import Breakdown, breakdown_values
from fgc.engine.aggregate.engine import STEP_RULES, aggregate, as_period, output_schema
from fgc.engine.aggregate.measures import (
    AGGREGATE_MEASURES,
    BREAKDOWN_TOPICS,
    DFE_QUARTERLY_MEASURES,
    MEASURES_BY_NAME,
    Measure,
)
from fgc.engine.aggregate.tidy import GEOGRAPHIC_LEVELS, ID_COLUMNS, LA_LEVEL
from fgc.engine.periods import Period, PeriodError
from fgc.standard import Standard

__all__ = [
    "AGGREGATE_MEASURES",
    "BREAKDOWN_TOPICS",
    "DFE_QUARTERLY_COLUMNS",
    "DFE_QUARTERLY_MEASURES",
    "GEOGRAPHIC_LEVELS",
    "ID_COLUMNS",
    "MEASURES_BY_NAME",
    "STEP_RULES",
    "Breakdown",
    "Measure",
    "aggregate",
    "breakdown_values",
    "dfe_quarterly",
    "measures_table",
    "output_schema",
]


def measures_table() -> pl.DataFrame:
    """The declared measures as a frame (name, label, unit, description, ...) for notes sheets."""
    return pl.DataFrame(
        {
            "measure": [m.name for m in AGGREGATE_MEASURES],
            "label": [m.label for m in AGGREGATE_MEASURES],
            "unit": [m.unit for m in AGGREGATE_MEASURES],
            "counting_rule": [m.description for m in AGGREGATE_MEASURES],
            "polarity": [m.polarity for m in AGGREGATE_MEASURES],
            "breakdown_topics": ["; ".join(m.topics) for m in AGGREGATE_MEASURES],
            "dfe_quarterly": ["Y" if m.dfe_quarterly else "N" for m in AGGREGATE_MEASURES],
        }
    )


# The columns of the DfE quarterly table, in order (also used for an empty national table).
DFE_QUARTERLY_COLUMNS = (
    "time_period",
    "time_identifier",
    "old_la_code",
    "new_la_code",
    "la_name",
    "measure",
    "label",
    "unit",
    "value",
    "counting_rule",
)


def dfe_quarterly(
    frame: pl.DataFrame,
    quarter: Period | str,
    *,
    la_code: str | None = None,
    standard: Standard | None = None,
) -> pl.DataFrame:
    """The DfE quarterly prevention-grant items for a council-quarter, one row per item.

    Columns: time_period, time_identifier, old_la_code, new_la_code, la_name, measure, label,
    unit, value, counting_rule. With ``la_code`` only that council's rows are returned;
    without it, one set per council in the frame.
    """
    q = as_period(quarter)
    if q.quarter is None:
        raise PeriodError(
            f"{q.label} is a financial year: the DfE items are quarterly (e.g. {q.label}-Q1)"
        )
    result = aggregate(frame, q, standard=standard).filter(
        (pl.col("geographic_level") == LA_LEVEL) & (pl.col("breakdown_topic") == "Total")
    )
    if la_code is not None:
        result = result.filter(pl.col("old_la_code") == str(la_code).strip())
    period_text = f" Period {q.label}: {q.start.isoformat()} to {q.end.isoformat()}."
    long = result.unpivot(
        index=["time_period", "time_identifier", "old_la_code", "new_la_code", "la_name"],
        on=[m.name for m in DFE_QUARTERLY_MEASURES],
        variable_name="measure",
        value_name="value",
    )
    rules = pl.DataFrame(
        {
            "measure": [m.name for m in DFE_QUARTERLY_MEASURES],
            "label": [m.label for m in DFE_QUARTERLY_MEASURES],
            "unit": [m.unit for m in DFE_QUARTERLY_MEASURES],
            "counting_rule": [m.description + period_text for m in DFE_QUARTERLY_MEASURES],
            "_order": list(range(len(DFE_QUARTERLY_MEASURES))),
        }
    )
    return (
        long.join(rules, on="measure", how="left")
        .sort("old_la_code", "_order")
        .select(DFE_QUARTERLY_COLUMNS)
    )
