"""The weights the generator draws from, in one place so they can be read and argued with.

Weights are relative (they need not sum to 100). Sources: the 2025 national FGC study (stage
mix, take-up, timeliness), the pre-proceedings trial (outcomes), and the DfE Children in Need
and looked-after statistics (characteristics). Every code here must exist in the standard's
code lists; ``tests/synth`` checks that.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping
from itertools import accumulate


class Table:
    """A weighted choice, drawn with one random number and a binary search (fast in loops)."""

    __slots__ = ("codes", "cum", "total")

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.codes = tuple(weights)
        self.cum = tuple(accumulate(weights.values()))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> str:
        return self.codes[bisect(self.cum, rng.random() * self.total)]


STAGE = Table(
    {
        "PLO": 30, "CP": 25, "CIN": 15, "EH": 15, "PREBIRTH": 4.5, "LAC": 3.5, "REUNIF": 2,
        "PROC": 2, "YJ": 1.5, "LL": 1.5, "OTHER": 0.5,
    }
)  # fmt: skip

# Children in the episode (a family group): mean ≈ 1.75.
CHILDREN = Table({"1": 51, "2": 30, "3": 12.5, "4": 5, "5": 1.5})

# Stages at which the family is already known to children's social care.
SOCIAL_WORK_STAGES = frozenset({"CIN", "CP", "PLO", "PROC", "LAC", "REUNIF", "PREBIRTH", "LL"})
KNOWN_TO_CSC_OTHER = {"EH": 0.3, "YJ": 0.5, "OTHER": 0.4}

EXCEPTION_RATE_PLO = 0.03
EXCEPTION_REASON = Table(
    {
        "RISK_TO_CHILD": 30, "RISK_FROM_NETWORK": 30, "URGENT_APPLICATION": 20,
        "CHILD_WISHES": 5, "NO_PR_CONTACTABLE": 10, "OTHER": 5,
    }
)  # fmt: skip
OFFER_IN_LBP_RATE = 0.88

RESPONSE = Table({"ACCEPTED": 65, "DECLINED": 22, "NO_RESPONSE": 13})
DECLINE_REASON = Table(
    {
        "NOT_WANT_FAMILY_INVOLVED": 30, "DISTRUST_SERVICES": 15, "NO_BENEFIT_SEEN": 18,
        "NO_NETWORK": 10, "ALREADY_HAD_FGC": 5, "PRACTICAL_BARRIERS": 6, "OTHER": 6,
        "NOT_RECORDED": 10,
    }
)  # fmt: skip

_SW = {"SW": 88, "FH_PRACTITIONER": 4, "HEALTH": 3, "OTHER": 3, "FAMILY": 2}
REFERRER_ROLE = {
    **{stage: Table(_SW) for stage in SOCIAL_WORK_STAGES},
    "PROC": Table({"SW": 75, "COURT": 22, "OTHER": 3}),
    "EH": Table(
        {"FH_PRACTITIONER": 45, "EH_WORKER": 35, "EDUCATION": 8, "HEALTH": 5, "FAMILY": 4,
         "OTHER": 3}
    ),
    "YJ": Table({"YOT": 85, "SW": 10, "OTHER": 5}),
    "OTHER": Table(
        {"SW": 40, "FH_PRACTITIONER": 20, "EDUCATION": 15, "HEALTH": 10, "FAMILY": 10,
         "OTHER": 5}
    ),
}  # fmt: skip

REFERRAL_PURPOSE = {
    "PLO": Table({"SAFETY_AT_HOME": 40, "KINSHIP_CARE": 35, "SUPPORT_NETWORK": 15,
                  "PERMANENCE": 5, "OTHER": 5}),
    "CP": Table({"SAFETY_AT_HOME": 55, "SUPPORT_NETWORK": 30, "KINSHIP_CARE": 10, "OTHER": 5}),
    "CIN": Table({"SUPPORT_NETWORK": 55, "SAFETY_AT_HOME": 35, "OTHER": 10}),
    "EH": Table({"SUPPORT_NETWORK": 70, "SAFETY_AT_HOME": 20, "OTHER": 10}),
    "PROC": Table({"KINSHIP_CARE": 50, "PERMANENCE": 25, "FAMILY_TIME": 15,
                   "SAFETY_AT_HOME": 10}),
    "LAC": Table({"PLACEMENT_STABILITY": 35, "FAMILY_TIME": 25, "PERMANENCE": 20,
                  "RETURN_HOME": 20}),
    "REUNIF": Table({"RETURN_HOME": 80, "SUPPORT_NETWORK": 20}),
    "PREBIRTH": Table({"PRE_BIRTH_PLAN": 80, "KINSHIP_CARE": 10, "SAFETY_AT_HOME": 10}),
    "YJ": Table({"SUPPORT_NETWORK": 60, "SAFETY_AT_HOME": 20, "OTHER": 20}),
    "LL": Table({"PERMANENCE": 40, "FAMILY_TIME": 30, "SUPPORT_NETWORK": 30}),
    "OTHER": Table({"SUPPORT_NETWORK": 50, "OTHER": 50}),
}  # fmt: skip
SECOND_PURPOSE_RATE = 0.2

HELD_RATE = 0.78  # of accepted offers, a meeting is eventually held
FNM_RATE = 0.10  # of meetings held, a family network meeting rather than an FGC
ALLOCATED_NOT_HELD_RATE = 0.6
COORDINATOR = Table({"IN_HOUSE": 65, "SESSIONAL": 25, "COMMISSIONED": 10})
NOT_HELD_REASON = Table(
    {
        "CONSENT_WITHDRAWN": 25, "FAMILY_UNCONTACTABLE": 12, "NO_NETWORK_IDENTIFIED": 10,
        "NETWORK_UNWILLING": 10, "CONCERNS_RESOLVED": 12, "PROCEEDINGS_ISSUED_FIRST": 6,
        "UNSAFE_TO_CONVENE": 4, "REFERRAL_WITHDRAWN": 8, "MOVED_AWAY": 4,
        "SERVICE_CAPACITY": 4, "CHILD_DECLINED": 2, "OTHER": 3,
    }
)  # fmt: skip

# Referral → conference in days: lognormal, median ≈ 40, long right tail (≈4% over 90).
REFERRAL_TO_CONFERENCE_MU = 3.69  # ln(40)
REFERRAL_TO_CONFERENCE_SIGMA = 0.45

PLAN_AGREED = Table({"FULL": 75, "PARTIAL": 15, "NONE": 10})
PLAN_ACCEPTED = Table({"ACCEPTED": 80, "ACCEPTED_WITH_CHANGES": 17, "NOT_ACCEPTED": 3})
_HOME = {"WITH_PARENTS": 50, "WITH_ONE_PARENT": 22, "MATERNAL_FAMILY": 10, "PATERNAL_FAMILY": 4,
         "FAMILY_FRIEND": 2, "FOSTER_CARE": 3, "UNDECIDED": 9}  # fmt: skip
PLAN_LIVING = {
    "default": Table(_HOME),
    "PLO": Table({**_HOME, "MATERNAL_FAMILY": 14, "PATERNAL_FAMILY": 6, "FOSTER_CARE": 5}),
    "PROC": Table({"MATERNAL_FAMILY": 30, "PATERNAL_FAMILY": 12, "FAMILY_FRIEND": 6,
                   "FOSTER_CARE": 20, "WITH_ONE_PARENT": 12, "WITH_PARENTS": 10,
                   "UNDECIDED": 10}),
    "LAC": Table({"FOSTER_CARE": 35, "MATERNAL_FAMILY": 15, "PATERNAL_FAMILY": 8,
                  "RETURN_HOME": 20, "OTHER_CARE": 10, "UNDECIDED": 12}),
    "REUNIF": Table({"RETURN_HOME": 70, "FOSTER_CARE": 10, "MATERNAL_FAMILY": 10,
                     "UNDECIDED": 10}),
    "LL": Table({"FOSTER_CARE": 50, "OTHER_CARE": 25, "MATERNAL_FAMILY": 10,
                 "UNDECIDED": 15}),
}  # fmt: skip
PRIVATE_TIME_RATE = {"FGC": 0.93, "FNM": 0.4}
KINSHIP_RATE = {"PLO": 0.35, "PROC": 0.4, "PREBIRTH": 0.3, "default": 0.2}
REVIEW_RATE = 0.65
PLAN_PROGRESS = Table({"ON_TRACK": 60, "PARTLY": 28, "NOT_ON_TRACK": 12})
FAMILY_FEEDBACK_RATE = 0.4
PROFESSIONAL_FEEDBACK_RATE = 0.5
FEEDBACK = Table({"5": 45, "4": 35, "3": 12, "2": 5, "1": 3})

# Age (complete years) of the eldest child at the offer: more younger children.
AGE = Table({str(a): w for a, w in enumerate(
    [10, 8, 7.5, 7, 6.5, 6.5, 6, 6, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5, 4.5, 4, 3.5]
)})  # fmt: skip
AGE_YOUNG = Table({str(a): w * (1.6 if a < 5 else 1.0) for a, w in enumerate(
    [10, 8, 7.5, 7, 6.5, 6.5, 6, 6, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5, 4.5, 4, 3.5]
)})  # fmt: skip
AGE_OLDER = Table({str(a): 1.0 for a in range(10, 18)})
UNBORN_IN_PLO_RATE = 0.15

SEX = Table({"M": 50.5, "F": 49.2, "U": 0.3})
# National CIN / CLA shape: WBRI ≈65%, other white 6, mixed 10, Asian 8, Black 7, other 3, NK 1.
_ETHNICITY = {
    "WBRI": 65, "WIRI": 0.5, "WIRT": 0.3, "WROM": 0.7, "WOTH": 4.5,
    "MWBC": 3.5, "MWBA": 1.5, "MWAS": 2, "MOTH": 3,
    "AIND": 1.5, "APKN": 3.5, "ABAN": 1.2, "AOTH": 1.8,
    "BCRB": 1.5, "BAFR": 4.2, "BOTH": 1.3,
    "CHNE": 0.3, "OOTH": 2.7, "REFU": 0.3, "NOBT": 0.7,
}  # fmt: skip
# London boroughs (about a sixth of families) have far fewer White British children; the rest
# of England correspondingly more, so the national mix stays close to the shape above.
ETHNICITY = Table({**_ETHNICITY, "WBRI": 76})
ETHNICITY_LONDON = Table(
    {code: w * (0.45 if code == "WBRI" else 2.2) for code, w in _ETHNICITY.items()}
)
SIBLING_SAME_ETHNICITY = 0.92
DISABILITY_NONE_RATE = 0.82  # of children aged 2 and over; ≈85% overall
DISABILITY = Table(
    {
        "LD": 25, "BEH": 20, "AUT": 20, "COMM": 12, "DDA": 6, "MOB": 5, "HEAR": 3, "VIS": 3,
        "PC": 2, "INC": 2, "HAND": 1, "CON": 1,
    }
)  # fmt: skip
SECOND_DISABILITY_RATE = 0.25

INTERPRETER = Table({"N": 70, "": 25, "Y": 5})
UASC_RECORDED_RATE = 0.7

CHILD_PARTICIPATION = {
    "under5": Table({"NOT_APPROPRIATE": 90, "VIEWS_OTHER": 10}),
    "5to10": Table({"VIEWS_OTHER": 40, "VIEWS_VIA_ADVOCATE": 25, "ATTENDED_PART": 20,
                    "NOT_APPROPRIATE": 10, "DECLINED": 5}),
    "11plus": Table({"ATTENDED": 35, "ATTENDED_PART": 25, "VIEWS_VIA_ADVOCATE": 20,
                     "VIEWS_OTHER": 8, "DECLINED": 12}),
}  # fmt: skip
ADVOCATE_RATE = 0.3

# Looked after at 12 months, by stage: (referred to an FGC, not referred). PLO follows the
# pre-proceedings trial (36% vs 45%); earlier stages have far lower base rates.
LOOKED_AFTER_12M = {
    "PLO": (0.36, 0.45), "CP": (0.10, 0.13), "CIN": (0.04, 0.05), "EH": (0.015, 0.02),
    "PROC": (0.55, 0.62), "LAC": (0.75, 0.82), "REUNIF": (0.25, 0.32),
    "PREBIRTH": (0.30, 0.38), "YJ": (0.06, 0.08), "LL": (0.88, 0.90), "OTHER": (0.08, 0.1),
}  # fmt: skip
SIBLING_SAME_OUTCOME = 0.9
# Looked after at 6 months given the 12-month outcome.
LOOKED_AFTER_6M_GIVEN_12M = {True: 0.8, False: 0.08}
PROCEEDINGS_GIVEN_LOOKED_AFTER = {True: 0.85, False: 0.15}
LIVING_12M = {
    True: Table({"FOSTER_CARE": 60, "OTHER_CARE": 15, "MATERNAL_FAMILY": 15,
                 "PATERNAL_FAMILY": 5, "FAMILY_FRIEND": 5}),
    False: Table({"WITH_PARENTS": 50, "WITH_ONE_PARENT": 30, "MATERNAL_FAMILY": 12,
                  "PATERNAL_FAMILY": 5, "FAMILY_FRIEND": 3}),
}  # fmt: skip


def all_tables() -> dict[str, list[Table]]:
    """Every table, by the code list its codes come from (for the consistency test)."""
    return {
        "stage": [STAGE],
        "exception_reason": [EXCEPTION_REASON],
        "offer_response": [RESPONSE],
        "decline_reason": [DECLINE_REASON],
        "referrer_role": list(REFERRER_ROLE.values()),
        "referral_purpose": list(REFERRAL_PURPOSE.values()),
        "coordinator_type": [COORDINATOR],
        "not_held_reason": [NOT_HELD_REASON],
        "plan_agreed": [PLAN_AGREED],
        "plan_accepted": [PLAN_ACCEPTED],
        "living_arrangement": [*PLAN_LIVING.values(), *LIVING_12M.values()],
        "plan_progress": [PLAN_PROGRESS],
        "sex": [SEX],
        "ethnicity": [ETHNICITY, ETHNICITY_LONDON],
        "disability": [DISABILITY],
        "child_participation": list(CHILD_PARTICIPATION.values()),
    }
