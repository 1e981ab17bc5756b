"""Page models for the insight pages: sections of (SVG chart, table, CSV), one source of numbers.

Every number on a page is formatted here once, as text, and the same text goes into the HTML
table and its CSV download, so the two can never disagree. ``own=True`` (a member of the
council looking at it) shows the council's unsuppressed figures; everything else shown comes
from ``published`` (suppressed, rounded) values.

Modules: ``formatting`` (figures as text), ``labels`` (titles, symbols), ``tables`` (Table,
Section), ``memo`` (per-process memos, published values map), ``context`` (what a council page
needs), ``council_tables``, ``council``, ``equity`` and ``outcomes`` (the council dashboard) and
``national`` (national and measure pages). The public names are re-exported here.
"""

from fgc.insight_web.presenters.context import (
    Context,
    comparator_codes,
    neighbour_codes,
)
from fgc.insight_web.presenters.council import (
    council_sections,
    funnel_section,
    group_section,
    headline_section,
    reasons_section,
)
from fgc.insight_web.presenters.council_tables import (
    benchmark_table,
)
from fgc.insight_web.presenters.equity import equity_section
from fgc.insight_web.presenters.formatting import THRESHOLD, fmt, is_missing, small
from fgc.insight_web.presenters.labels import GROUP_TITLES, SYMBOLS_KEY, SYMBOLS_NOTE, TOPIC_TITLES
from fgc.insight_web.presenters.memo import (
    PublishedMap,
)
from fgc.insight_web.presenters.national import (
    councils_table,
    headline_measures,
    measure_groups,
    regions_chart,
    regions_table,
)
from fgc.insight_web.presenters.outcomes import national_outcomes_section, outcomes_section
from fgc.insight_web.presenters.tables import Section, Table, find_table

__all__ = [
    "GROUP_TITLES",
    "SYMBOLS_KEY",
    "SYMBOLS_NOTE",
    "THRESHOLD",
    "TOPIC_TITLES",
    "Context",
    "PublishedMap",
    "Section",
    "Table",
    "benchmark_table",
    "comparator_codes",
    "council_sections",
    "councils_table",
    "equity_section",
    "find_table",
    "fmt",
    "funnel_section",
    "group_section",
    "headline_measures",
    "headline_section",
    "is_missing",
    "measure_groups",
    "national_outcomes_section",
    "neighbour_codes",
    "outcomes_section",
    "reasons_section",
    "regions_chart",
    "regions_table",
    "small",
]
