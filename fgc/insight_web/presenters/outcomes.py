"""The outcomes sections (council and national): the pre-proceedings trial's reference beside
this data's pre-proceedings (PLO) figures, and the all-stage figures in a table of their own.

The trial was of families in pre-proceedings, so only the PLO figures stand beside it; the
all-stage figures mix in early help and child in need, where few children become looked after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from fgc.charts import bar_chart
from fgc.engine.insight.flags import COHORTS
from fgc.engine.insight.outcomes import (
    ALL_STAGES_LABEL,
    CAVEAT,
    LIVING_ARRANGEMENT,
    OUTCOMES,
    PLO_LABEL,
    PLO_SCOPE,
    TRIAL_ARMS,
    TRIAL_LABEL,
    TRIAL_REFERENCE,
    outcome_measure,
)
from fgc.insight_web.presenters.context import Context
from fgc.insight_web.presenters.council_tables import _share_table
from fgc.insight_web.presenters.formatting import fmt
from fgc.insight_web.presenters.memo import _published_map
from fgc.insight_web.presenters.tables import Section, Table
from fgc.standard import ENGLAND_CODE

LOOKED_AFTER_12M = "looked_after_12m"
# The trial's arms are not this data's groups, so neither sits in the other's column.
NOT_APPLICABLE = "z"

# A column of figures: header and measure name → text as shown.
Column = tuple[str, Callable[[str], str]]


def trial_table(columns: Sequence[Column]) -> Table:
    """Looked after at 12 months, PLO only, by group, then the trial's randomised arms."""
    rows = [
        [
            f"{PLO_LABEL}: {label.lower()}",
            *(text(outcome_measure(LOOKED_AFTER_12M, cohort, plo=True)) for _, text in columns),
            NOT_APPLICABLE,
        ]
        for cohort, label in COHORTS.items()
    ]
    rows += [
        [arm, *(NOT_APPLICABLE for _ in columns), fmt(TRIAL_REFERENCE[key])]
        for arm, key in TRIAL_ARMS
    ]
    return Table(
        "trial",
        f"Looked after at 12 months (%): {PLO_SCOPE} beside "
        "the pre-proceedings FGC trial (randomised)",
        ["Group", *(h for h, _ in columns), "Pre-proceedings FGC trial (randomised)"],
        rows,
    )


def outcome_table(key: str, caption: str, columns: Sequence[Column], plo: bool) -> Table:
    """Every outcome (rows) by group (columns), PLO only or all stages."""
    header = ["Outcome (%)"]
    for h, _ in columns:
        header += [f"{h}: {label.lower()}" for label in COHORTS.values()]
    rows = [
        [
            label,
            *(text(outcome_measure(f, cohort, plo)) for _, text in columns for cohort in COHORTS),
        ]
        for f, label in OUTCOMES
    ]
    return Table(key, caption, header, rows)


def _trial_chart(names: Sequence[str], values: Sequence[float | None], chart_id: str) -> str:
    return bar_chart(
        [*names, *(arm for arm, _ in TRIAL_ARMS)],
        [*values, *(TRIAL_REFERENCE[key] for _, key in TRIAL_ARMS)],
        title=f"Looked after at 12 months, {PLO_SCOPE}, and the trial (%)",
        unit="%",
        chart_id=chart_id,
    )


def _plo_caption() -> str:
    return f"Outcomes: {PLO_SCOPE}"


def outcomes_section(ctx: Context) -> Section:
    """The council dashboard's outcomes: council and England, PLO beside the trial."""
    cols: list[Column] = [
        (ctx.la.name, ctx.shown),
        ("England", lambda m: ctx.area(ENGLAND_CODE, m)),
    ]
    chart = _trial_chart(
        [f"{ctx.la.name}: {label}" for label in COHORTS.values()],
        [ctx.value_for_chart(outcome_measure(LOOKED_AFTER_12M, c, plo=True)) for c in COHORTS],
        "chart-outcomes",
    )
    living = [
        _share_table(
            ctx,
            outcome_measure(LIVING_ARRANGEMENT, "held", plo),
            f"living-12m{'-plo' if plo else ''}",
            f"Living arrangement at 12 months: meeting held, "
            f"{PLO_SCOPE if plo else ALL_STAGES_LABEL.lower()}",
            "Living arrangement",
        )[0]
        for plo in (True, False)
    ]
    return Section(
        "outcomes",
        "Outcomes",
        TRIAL_LABEL,
        [chart],
        [
            trial_table(cols),
            outcome_table("outcomes-plo", _plo_caption(), cols, plo=True),
            outcome_table("outcomes", f"Outcomes: {ALL_STAGES_LABEL.lower()}", cols, plo=False),
            *living,
        ],
        caveat=CAVEAT,
    )


def national_outcomes_section(published: pl.DataFrame) -> Section:
    """The national page's outcomes: England's published figures, PLO beside the trial."""
    pub = _published_map(published)

    def england(measure: str) -> str:
        return pub.get((ENGLAND_CODE, measure), ("x", None))[0]

    def england_value(measure: str) -> float | None:
        return pub.get((ENGLAND_CODE, measure), ("x", None))[1]

    cols: list[Column] = [("England", england)]
    chart = _trial_chart(
        [f"England: {label}" for label in COHORTS.values()],
        [england_value(outcome_measure(LOOKED_AFTER_12M, c, plo=True)) for c in COHORTS],
        "chart-national-outcomes",
    )
    return Section(
        "outcomes",
        "Outcomes",
        TRIAL_LABEL,
        [chart],
        [
            trial_table(cols),
            outcome_table("outcomes-plo", _plo_caption(), cols, plo=True),
            outcome_table("outcomes", f"Outcomes: {ALL_STAGES_LABEL.lower()}", cols, plo=False),
        ],
        caveat=CAVEAT,
    )
