"""The council dashboard's outcomes section, beside the pre-proceedings trial's reference."""

from __future__ import annotations

from fgc.charts import bar_chart
from fgc.engine.insight.outcomes import CAVEAT, TRIAL_LABEL, TRIAL_REFERENCE
from fgc.insight_web.presenters.context import Context
from fgc.insight_web.presenters.council_tables import _share_table
from fgc.insight_web.presenters.formatting import fmt
from fgc.insight_web.presenters.tables import Section, Table
from fgc.standard import ENGLAND_CODE


def outcomes_section(ctx: Context) -> Section:
    from fgc.engine.insight.flags import COHORTS

    outcomes = (
        ("looked_after_6m", "Looked after at 6 months"),
        ("looked_after_12m", "Looked after at 12 months"),
        ("proceedings_issued_12m", "Care proceedings issued within 12 months"),
    )
    header = ["Outcome (%)", *(label for label in COHORTS.values()), "England: meeting held"]
    rows = [
        [label, *(ctx.shown(f"{f}_{c}") for c in COHORTS), ctx.area(ENGLAND_CODE, f"{f}_held")]
        for f, label in outcomes
    ]
    table = Table("outcomes", "Outcomes by what happened to the offer", header, rows)
    trial = Table(
        "trial",
        "Pre-proceedings FGC trial (randomised), looked after at 12 months",
        ["Trial arm", "Looked after at 12 months (%)"],
        [
            ["FGC arm", fmt(TRIAL_REFERENCE["looked_after_12m_fgc_arm"])],
            ["Usual care arm", fmt(TRIAL_REFERENCE["looked_after_12m_usual_care_arm"])],
        ],
    )
    chart = bar_chart(
        [
            *(f"{ctx.la.name}: {label}" for label in COHORTS.values()),
            "Trial: FGC arm",
            "Trial: usual care",
        ],
        [
            *(ctx.value_for_chart(f"looked_after_12m_{c}") for c in COHORTS),
            TRIAL_REFERENCE["looked_after_12m_fgc_arm"],
            TRIAL_REFERENCE["looked_after_12m_usual_care_arm"],
        ],
        title="Looked after at 12 months (%)",
        unit="%",
        chart_id="chart-outcomes",
    )
    la_t, _labels, _values = _share_table(
        ctx,
        "living_arrangement_12m_held",
        "living-12m",
        "Living arrangement at 12 months: meeting held",
        "Living arrangement",
    )
    return Section(
        "outcomes",
        "Outcomes",
        TRIAL_LABEL,
        [chart],
        [table, trial, la_t],
        caveat=CAVEAT,
    )
