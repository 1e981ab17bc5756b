"""Breakdown topics: the key each row is grouped by, and the full list of values to report.

Code-list topics (stage, reasons, meeting type, sex) take their values from the standard;
a blank or an unlisted code goes to "Not recorded" (or the list's own ``NOT_RECORDED``
code) so that each topic's rows always add up to the Total row.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from fgc.engine import derive
from fgc.engine.aggregate import measures as m
from fgc.standard import Standard

NR_KEY = "__NOT_RECORDED__"

# Topics split by a code field of the standard.
CODE_TOPIC_FIELDS: dict[str, str] = {
    m.STAGE: "stage",
    m.EXCEPTION_REASON: "exception_reason",
    m.DECLINE_REASON: "decline_reason",
    m.NOT_HELD_REASON: "not_held_reason",
    m.MEETING_TYPE: "meeting_type",
    m.SEX: "sex",
}


@dataclass(frozen=True)
class Breakdown:
    topic: str
    key: str  # the grouping key (a code, or the derived group's label)
    label: str  # what the ``breakdown`` column shows


def _codes(std: Standard, field: str) -> tuple[tuple[str, str], ...]:
    codelist = std.codelist_for(std.field(field))
    assert codelist is not None, f"{field} has no code list"
    return tuple((c.code, c.label) for c in codelist.codes)


def _nr_key(codes: tuple[tuple[str, str], ...]) -> str:
    # A list with its own "not recorded" code (decline_reason) absorbs blanks into it.
    return "NOT_RECORDED" if any(code == "NOT_RECORDED" for code, _ in codes) else NR_KEY


def breakdown_values(topic: str, std: Standard) -> tuple[Breakdown, ...]:
    """Every value the topic reports, in output order (zeros are reported, not left out)."""
    if topic == m.TOTAL:
        return (Breakdown(topic, m.TOTAL, m.TOTAL),)
    if topic in CODE_TOPIC_FIELDS:
        codes = _codes(std, CODE_TOPIC_FIELDS[topic])
        values = [Breakdown(topic, code, label) for code, label in codes]
        if _nr_key(codes) == NR_KEY:
            values.append(Breakdown(topic, NR_KEY, derive.NOT_RECORDED))
        return tuple(values)
    labels = {
        m.ETHNICITY: derive.ethnicity_groups(std),
        m.AGE_BAND: derive.AGE_BAND_LABELS,
        m.DISABILITY: derive.DISABILITY_LABELS,
    }[topic]
    return tuple(Breakdown(topic, label, label) for label in labels)


def topic_key_expr(topic: str, std: Standard) -> pl.Expr:
    """The per-row grouping key of a topic (never null)."""
    if topic == m.TOTAL:
        return pl.lit(m.TOTAL)
    if topic in CODE_TOPIC_FIELDS:
        field = CODE_TOPIC_FIELDS[topic]
        codes = _codes(std, field)
        col = pl.col(field).cast(pl.Utf8)
        listed = col.is_in([code for code, _ in codes]).fill_null(False)
        return pl.when(listed).then(col).otherwise(pl.lit(_nr_key(codes)))
    if topic == m.ETHNICITY:
        return derive.ethnicity_group_expr(std)
    if topic == m.AGE_BAND:
        return derive.age_band_expr()
    if topic == m.DISABILITY:
        return derive.disability_group_expr()
    raise ValueError(f"Unknown breakdown topic {topic!r}")
