"""Outcomes at 6 and 12 months for children whose families had a meeting, were offered but
had none, or declined — shown beside the pre-proceedings trial's figures.

Every outcome is declared twice: over all stages (``looked_after_12m_held``) and for
families in pre-proceedings only (``looked_after_12m_held_plo``). The trial was of families
in pre-proceedings (PLO), so only the PLO figures may stand beside it: across all stages
most families are at early help or child in need, where few children become looked after.

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
    # Days looked after in the 12 months, and care proceedings issued (%), the same trial
    # (Taylor et al., British Journal of Social Work 2024, doi:10.1093/bjsw/bcae035).
    "days_looked_after_12m_fgc_arm": 87.0,
    "days_looked_after_12m_usual_care_arm": 115.0,
    "proceedings_issued_12m_fgc_arm": 59.2,
    "proceedings_issued_12m_usual_care_arm": 71.7,
}
# (row label, key in TRIAL_REFERENCE), in the order pages show the trial's arms.
TRIAL_ARMS: tuple[tuple[str, str], ...] = (
    ("Trial: FGC arm", "looked_after_12m_fgc_arm"),
    ("Trial: usual care arm", "looked_after_12m_usual_care_arm"),
)
TRIAL_LABEL = (
    "Pre-proceedings FGC trial: 36.2% of children in the FGC arm were looked after at "
    "12 months, against 44.8% with usual care. The trial was of families in pre-proceedings "
    "(PLO), so it is shown beside this data's pre-proceedings figures only."
)
CAVEAT = (
    "These groups are not randomised. Families who have a meeting, who are offered one but "
    "have none, and who decline differ in ways the data do not record, so differences between "
    "them are not the effect of the FGC. The trial figures come from randomised groups and are "
    "shown for context only."
)
PLO_LABEL = "Families in pre-proceedings (PLO)"
PLO_SCOPE = "families in pre-proceedings (PLO)"  # the same, mid-sentence
ALL_STAGES_LABEL = "All stages (not comparable with the trial)"
PLO_SUFFIX = "_plo"

OUTCOMES: tuple[tuple[str, str], ...] = (
    ("looked_after_6m", "Looked after at 6 months"),
    ("looked_after_12m", "Looked after at 12 months"),
    ("proceedings_issued_12m", "Care proceedings issued within 12 months"),
)
LIVING_ARRANGEMENT = "living_arrangement_12m"


def outcome_measure(field: str, cohort: str, plo: bool = False) -> str:
    """The measure name of an outcome for a cohort, all stages or PLO only."""
    return f"{field}_{cohort}{PLO_SUFFIX if plo else ''}"


def _measures(plo: bool) -> list[Measure]:
    # PLO variants count the same numerator over a denominator restricted to PLO rows
    # (``{cohort}_plo__{field}_known`` in flags), so the numerator needs no PLO flag.
    scope = f", {PLO_SCOPE}" if plo else ""
    den = "_plo__" if plo else "__"
    out: list[Measure] = []
    for field, label in OUTCOMES:
        for cohort, cohort_label in COHORTS.items():
            out.append(
                Measure(
                    outcome_measure(field, cohort, plo),
                    f"{label}: {cohort_label.lower()}{scope} (%)",
                    "outcomes",
                    "rate",
                    "child",
                    f"{field}_yes",
                    f"{cohort}{den}{field}_known",
                    "neutral",
                    description="Denominator: children in the group whose outcome is recorded"
                    + (f", {PLO_SCOPE} only." if plo else "."),
                )
            )
    for cohort, cohort_label in COHORTS.items():
        out.append(
            Measure(
                outcome_measure(LIVING_ARRANGEMENT, cohort, plo),
                f"Living arrangement at 12 months: {cohort_label.lower()}{scope} (%)",
                "outcomes",
                "share",
                "child",
                f"{cohort}{den}{LIVING_ARRANGEMENT}_known",
                f"{cohort}{den}{LIVING_ARRANGEMENT}_known",
                by=LIVING_ARRANGEMENT,
            )
        )
    return out


# All-stage measures first (their names and order are unchanged), then the PLO variants.
MEASURES = (*_measures(plo=False), *_measures(plo=True))
