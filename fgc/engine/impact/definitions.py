"""What is compared: the outcomes, the groups, the contrasts and the covariates, as data.

Every figure is for children in **pre-proceedings** (the linked frame's ``plo``), the
population of the randomised trial; children not offered an FGC are in pre-proceedings by
definition. Each FGC group is compared with the children **not offered** one, and so is the
three FGC groups pooled ("offered an FGC, whatever the response"), which is the nearest this
data comes to the trial's offered arm (the trial counted every referred family, whether or
not a conference was held).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fgc.engine.insight.outcomes import CAVEAT as OUTCOMES_CAVEAT
from fgc.engine.linkage.schema import (
    GROUP_DECLINED,
    GROUP_HELD,
    GROUP_NOT_OFFERED,
    GROUP_OFFERED_NO_MEETING,
    GROUPS,
)

Kind = Literal["binary", "days"]


@dataclass(frozen=True)
class Outcome:
    column: str  # a column of LINKED_SCHEMA
    label: str
    kind: Kind
    trial_fgc: str  # key in fgc.engine.insight.outcomes.TRIAL_REFERENCE
    trial_usual_care: str

    @property
    def unit(self) -> str:
        return "%" if self.kind == "binary" else "days"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "looked_after_12m",
        "Looked after at 12 months",
        "binary",
        "looked_after_12m_fgc_arm",
        "looked_after_12m_usual_care_arm",
    ),
    Outcome(
        "days_looked_after_12m",
        "Days looked after in the 12 months",
        "days",
        "days_looked_after_12m_fgc_arm",
        "days_looked_after_12m_usual_care_arm",
    ),
    Outcome(
        "proceedings_issued_12m",
        "Care proceedings issued within 12 months",
        "binary",
        "proceedings_issued_12m_fgc_arm",
        "proceedings_issued_12m_usual_care_arm",
    ),
)

GROUP_OFFERED = "offered"  # the three FGC groups together
REFERENCE = GROUP_NOT_OFFERED
MEMBERS: dict[str, tuple[str, ...]] = {
    GROUP_OFFERED: (GROUP_HELD, GROUP_OFFERED_NO_MEETING, GROUP_DECLINED),
    GROUP_HELD: (GROUP_HELD,),
    GROUP_OFFERED_NO_MEETING: (GROUP_OFFERED_NO_MEETING,),
    GROUP_DECLINED: (GROUP_DECLINED,),
    GROUP_NOT_OFFERED: (GROUP_NOT_OFFERED,),
}
GROUP_LABELS: dict[str, str] = {
    GROUP_OFFERED: "Offered an FGC (any response)",
    **{g: GROUPS[g] for g in (GROUP_HELD, GROUP_OFFERED_NO_MEETING, GROUP_DECLINED)},
    GROUP_NOT_OFFERED: GROUPS[GROUP_NOT_OFFERED],
}
# Each compared with REFERENCE, in the order pages show them.
COMPARED: tuple[str, ...] = (GROUP_OFFERED, GROUP_HELD, GROUP_OFFERED_NO_MEETING, GROUP_DECLINED)

# Adjusted for, in this order (model terms are named after them).
COVARIATES: tuple[str, ...] = (
    "age_band",
    "sex",
    "ethnicity_group",
    "disability_group",
    "prior_cp_plan",
)
COVARIATE_LABELS: dict[str, str] = {
    "age_band": "age band",
    "sex": "sex",
    "ethnicity_group": "ethnic group",
    "disability_group": "disability",
    "prior_cp_plan": "an earlier child protection plan",
}

CAVEAT = (
    OUTCOMES_CAVEAT
    + " Children in pre-proceedings who were not offered an FGC differ too: councils offer "
    "FGCs to some families and not others for reasons the data do not hold. Adjusting for "
    "age, sex, ethnic group, disability and an earlier child protection plan removes only the "
    "differences those record."
)
SCOPE = "Children in pre-proceedings (PLO), whose 12-month outcome was due"
