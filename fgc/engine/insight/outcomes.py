"""Outcomes at 6 and 12 months for children whose families had a meeting, were offered but
had none, or declined — shown beside the pre-proceedings trial's figures.

The groups are *not* randomised: families who take up an FGC differ from those who do not,
so a difference between them is not the effect of the FGC. The caveat is part of the data
so that every page and report that shows these figures shows it too.
"""

from __future__ import annotations

from fgc.engine.insight.flags import COHORTS
from fgc.engine.insight.measures import Measure

TRIAL_REFERENCE: dict[str, float] = {
    # Looked after at 12 months, pre-proceedings FGC trial (offered FGC vs usual care).
    "looked_after_12m_fgc_arm": 36.2,
    "looked_after_12m_usual_care_arm": 44.8,
}
TRIAL_LABEL = (
    "Pre-proceedings FGC trial: 36.2% of children in the FGC arm were looked after at "
    "12 months, against 44.8% with usual care."
)
CAVEAT = (
    "These groups are not randomised. Families who have a meeting, who are offered one but "
    "have none, and who decline differ in ways the data do not record, so differences between "
    "them are not the effect of the FGC. The trial figures come from randomised groups and are "
    "shown for context only."
)

_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("looked_after_6m", "Looked after at 6 months"),
    ("looked_after_12m", "Looked after at 12 months"),
    ("proceedings_issued_12m", "Care proceedings issued within 12 months"),
)


def _measures() -> tuple[Measure, ...]:
    out: list[Measure] = []
    for field, label in _OUTCOMES:
        for cohort, cohort_label in COHORTS.items():
            out.append(
                Measure(
                    f"{field}_{cohort}",
                    f"{label}: {cohort_label.lower()} (%)",
                    "outcomes",
                    "rate",
                    "child",
                    f"{field}_yes",
                    f"{cohort}__{field}_known",
                    "neutral",
                    description="Denominator: children in the group whose outcome is recorded.",
                )
            )
    for cohort, cohort_label in COHORTS.items():
        out.append(
            Measure(
                f"living_arrangement_12m_{cohort}",
                f"Living arrangement at 12 months: {cohort_label.lower()} (%)",
                "outcomes",
                "share",
                "child",
                f"{cohort}__living_arrangement_12m_known",
                f"{cohort}__living_arrangement_12m_known",
                by="living_arrangement_12m",
            )
        )
    return tuple(out)


MEASURES = _measures()
