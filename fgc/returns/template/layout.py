"""The template's fixed shape: sheet names, Input sheet rows and columns, and its row layout.

Rows are the breakdown values of ``fgc.engine.aggregate.BREAKDOWN_TOPICS`` (with a check row
after each topic), columns ``AGGREGATE_MEASURES``; the writer and the reader share this layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from fgc.engine.aggregate import BREAKDOWN_TOPICS, Measure, breakdown_values
from fgc.engine.periods import Period
from fgc.standard import Standard

TEMPLATE_KIND = "fgc-aggregate-template"
TEMPLATE_VERSION = "1"
INPUT_SHEET = "Input"
META_SHEET = "_meta"
TOTAL = "Total"
CHECK_LABEL = "Check"
TOPIC_MISMATCH = "AGG007 not = Total"
SOURCE_CHOICES = ("Case management system", "Spreadsheet records", "Manual count")

# Input sheet layout (0-based rows/columns as xlsxwriter counts them).
TITLE_ROW, SOURCE_ROW, HEADER_ROW, KEY_ROW, FIRST_ROW = 0, 1, 3, 4, 5
TOPIC_COL, LABEL_COL, FIRST_MEASURE_COL = 0, 1, 2


@dataclass(frozen=True)
class _Row:
    kind: str  # "data" or "check"
    topic: str
    label: str


def _layout(std: Standard) -> list[_Row]:
    rows: list[_Row] = []
    for topic in BREAKDOWN_TOPICS:
        rows += [_Row("data", topic, b.label) for b in breakdown_values(topic, std)]
        if topic != TOTAL:
            rows.append(_Row("check", topic, f"{CHECK_LABEL}: {topic} adds up to Total"))
    return rows


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


def _applies(m: Measure, topic: str) -> bool:
    return topic in m.topics
