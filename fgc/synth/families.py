"""Generate one council's families for one financial year, as plain Python rows.

Dates are day numbers (days since 1970-01-01) so the journey can be built with integer
arithmetic; ``fgc.synth.generate`` turns the rows into one polars frame and the numbers into
ISO dates in a single vectorised step. One tuple per family and one per child keeps the inner
loop cheap enough for a million rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from fgc.standard import load_standard
from fgc.synth import distributions as d
from fgc.synth.councils import CouncilProfile

EPOCH = date(1970, 1, 1).toordinal()

# Column order of the tuples this module produces. `generate` checks these against the
# standard's family- and child-level fields, so a field added to the standard without a
# generator for it fails loudly rather than silently going blank.
FAMILY_COLUMNS = (
    "la_code", "episode_id", "interpreter_needed", "postcode_district", "stage", "lbp_date",
    "offer_date", "offer_in_lbp", "exception", "exception_reason", "offer_response",
    "response_date", "decline_reason", "referral_date", "referrer_role", "referral_purpose",
    "allocation_date", "coordinator_type", "meeting_type", "conference_date",
    "private_family_time", "family_attendees", "plan_agreed", "plan_accepted",
    "not_held_reason", "review_date", "plan_progress", "closure_date", "family_feedback",
    "professional_feedback",
)  # fmt: skip
CHILD_COLUMNS = (
    "child_id", "known_to_csc", "date_of_birth", "expected_due_date", "sex", "ethnicity",
    "disability", "uasc", "care_application_date", "child_participation", "child_advocate",
    "plan_living_arrangement", "kinship_carer_identified", "looked_after_6m",
    "looked_after_12m", "living_arrangement_12m", "proceedings_issued_12m",
)  # fmt: skip


def day_number(value: date) -> int:
    return value.toordinal() - EPOCH


@dataclass
class Rows:
    """Rows accumulated across council-years; ``child_family`` indexes ``families``."""

    families: list[tuple[object, ...]] = field(default_factory=list)
    children: list[tuple[object, ...]] = field(default_factory=list)
    child_family: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """The days a council-year's families are drawn from, and what is known by when."""

    first: int  # first possible anchor day (offer, or letter before proceedings)
    last: int  # last possible anchor day
    snapshot: int  # nothing happens after this day (end of the data, ≤ reference date)
    reference: int  # the reference date: outcomes are linked up to here
    cut6: int  # last anchor day whose 6-month outcome is known by the reference date
    cut12: int  # same for 12 months


def _sorted_codes(codes: set[str], order: tuple[str, ...]) -> str:
    return ";".join(c for c in order if c in codes)


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def council_year(
    rows: Rows,
    profile: CouncilProfile,
    start_year: int,
    n_families: int,
    window: Window,
    rng: random.Random,
) -> None:
    """Append ``n_families`` episodes (and their children) for one council and year."""
    la = profile.la.old_la_code
    r = rng.random

    def randint(a: int, b: int) -> int:
        # `rng.randint` costs three Python calls; this one is enough for a day count.
        return a + int(r() * (b - a + 1))

    lognorm = rng.lognormvariate
    snapshot = window.snapshot
    ethnicity_table = d.ETHNICITY_LONDON if profile.london else d.ETHNICITY
    districts = profile.districts
    # Multi-code cells list their codes in the standard's order, as a form would.
    std = load_standard()
    purpose_order = std.codelists["referral_purpose"].values
    disability_order = std.codelists["disability"].values
    yy = start_year % 100

    for i in range(n_families):
        stage = d.STAGE.draw(rng)
        if stage == "PREBIRTH":
            n = 1 if r() < 0.6 else int(d.CHILDREN.draw(rng))
        elif stage in ("YJ", "LL"):
            n = 1 if r() < 0.85 else 2
        else:
            n = int(d.CHILDREN.draw(rng))
        anchor = randint(window.first, window.last)

        # ---- offer (s.31ZA): for PLO the letter before proceedings is the anchor
        lbp = offer = None
        offer_in_lbp = exception = exception_reason = None
        if stage == "PLO":
            lbp = anchor
            if r() < d.EXCEPTION_RATE_PLO:
                exception, offer_in_lbp = "Y", "N"
                exception_reason = d.EXCEPTION_REASON.draw(rng)
            else:
                exception = "N"
                offer, offer_in_lbp = lbp, "Y"
                if r() > d.OFFER_IN_LBP_RATE and lbp + 21 <= snapshot:
                    # Offered later, at the pre-proceedings meeting rather than in the letter.
                    offer, offer_in_lbp = lbp + randint(1, 21), "N"
        else:
            offer = anchor

        response = response_date = decline_reason = closure = None
        referral = referrer_role = purpose = allocation = coordinator = None
        meeting_type = conference = private_time = attendees = None
        plan_agreed = plan_accepted = not_held_reason = None
        review = plan_progress = family_feedback = professional_feedback = None
        if offer is not None:
            response = d.RESPONSE.draw(rng)
            if response == "NO_RESPONSE":
                if offer + 28 > snapshot:
                    response = "PENDING"
                else:
                    end = offer + randint(28, 70)
                    closure = end if end <= snapshot else None
            else:
                response_date = offer + min(int(lognorm(1.6, 0.7)), 40)
                if response_date > snapshot:
                    response, response_date = "PENDING", None
                elif response == "DECLINED":
                    decline_reason = d.DECLINE_REASON.draw(rng)
                    end = response_date + randint(0, 14)
                    closure = end if end <= snapshot else None

        if response == "ACCEPTED":
            assert response_date is not None
            referral = min(response_date + min(int(rng.expovariate(1 / 3)), 21), snapshot)
            referrer_role = d.REFERRER_ROLE[stage].draw(rng)
            purposes = {d.REFERRAL_PURPOSE[stage].draw(rng)}
            if r() < d.SECOND_PURPOSE_RATE:
                purposes.add(d.REFERRAL_PURPOSE[stage].draw(rng))
            purpose = _sorted_codes(purposes, purpose_order)
            gap = max(7, int(lognorm(d.REFERRAL_TO_CONFERENCE_MU, d.REFERRAL_TO_CONFERENCE_SIGMA)))
            alloc_at = referral + min(randint(1, 14), gap)
            if r() < d.HELD_RATE:
                allocation = alloc_at if alloc_at <= snapshot else None
                if referral + gap <= snapshot:
                    conference = referral + gap
                    meeting_type = "FNM" if r() < d.FNM_RATE else "FGC"
                    private_time = _yn(r() < d.PRIVATE_TIME_RATE[meeting_type])
                    attendees = min(25, max(1, int(rng.gauss(6.0, 2.5))))
                    plan_agreed = d.PLAN_AGREED.draw(rng)
                    if plan_agreed != "NONE":
                        plan_accepted = d.PLAN_ACCEPTED.draw(rng)
                    if r() < d.REVIEW_RATE:
                        at = conference + int(lognorm(4.25, 0.35))  # median ≈ 70 days
                        if at <= snapshot:
                            review = at
                            plan_progress = d.PLAN_PROGRESS.draw(rng)
                            end = review + randint(0, 45)
                            closure = end if end <= snapshot else None
                    else:
                        end = conference + randint(7, 90)
                        closure = end if end <= snapshot else None
                    if r() < d.FAMILY_FEEDBACK_RATE:
                        family_feedback = int(d.FEEDBACK.draw(rng))
                    if r() < d.PROFESSIONAL_FEEDBACK_RATE:
                        professional_feedback = int(d.FEEDBACK.draw(rng))
            else:
                end = referral + randint(14, 120)
                if r() < d.ALLOCATED_NOT_HELD_RATE and alloc_at <= min(end, snapshot):
                    allocation = alloc_at
                if end <= snapshot:
                    closure = end
                    not_held_reason = d.NOT_HELD_REASON.draw(rng)
            if allocation is not None:
                coordinator = d.COORDINATOR.draw(rng)

        interpreter = d.INTERPRETER.draw(rng) or None
        family_index = len(rows.families)
        episode_id = f"E{la}-{start_year}-{i + 1:05d}"
        rows.families.append(
            (
                la, episode_id, interpreter, districts[randint(0, len(districts) - 1)], stage,
                lbp, offer, offer_in_lbp, exception, exception_reason, response,
                response_date, decline_reason, referral, referrer_role, purpose, allocation,
                coordinator, meeting_type, conference, private_time, attendees, plan_agreed,
                plan_accepted, not_held_reason, review, plan_progress, closure,
                family_feedback, professional_feedback,
            )
        )  # fmt: skip

        # ---- children
        unborn_at = -1
        if stage == "PREBIRTH" or (stage == "PLO" and r() < d.UNBORN_IN_PLO_RATE):
            unborn_at = n - 1  # the youngest
        age_table = (
            d.AGE_OLDER if stage in ("YJ", "LL")
            else d.AGE_YOUNG if stage in ("PLO", "PROC", "PREBIRTH")
            else d.AGE
        )  # fmt: skip
        age = int(age_table.draw(rng))
        family_ethnicity = ethnicity_table.draw(rng)
        held = conference is not None
        kinship_rate = d.KINSHIP_RATE.get(stage, d.KINSHIP_RATE["default"])
        family_kinship = r() < kinship_rate
        living_table = d.PLAN_LIVING.get(stage, d.PLAN_LIVING["default"])
        family_living = living_table.draw(rng) if plan_accepted is not None else None
        p_referred, p_not = d.LOOKED_AFTER_12M[stage]
        p12 = p_referred if referral is not None else p_not
        family_la12 = r() < p12
        outcome_anchor = lbp if lbp is not None else offer
        know6 = outcome_anchor is not None and outcome_anchor <= window.cut6
        know12 = outcome_anchor is not None and outcome_anchor <= window.cut12
        care_application = None
        if stage == "PLO":
            assert lbp is not None
            applied: int | None = lbp + randint(20, 330)
            if response == "ACCEPTED":
                # Proceedings after an accepted offer come after the meeting (never before it).
                applied = conference + randint(1, 60) if conference is not None else None
            if applied is not None and applied <= min(snapshot, lbp + 364):
                care_application = applied

        for k in range(n):
            child_id = f"C{la}{yy:02d}{i + 1:05d}{k + 1}"
            unborn = k == unborn_at
            if unborn:
                dob = None
                due = min(anchor + randint(14, 180), window.reference)
                sex = "U"
                child_age = -1
                known = _yn(r() < 0.7) if stage == "PREBIRTH" else "Y"
                disability = "NONE"
            else:
                child_age = age
                extra = randint(7, 330) if age == 0 else randint(0, 180 if age == 17 else 364)
                dob = anchor - int(age * 365.25) - extra
                due = None
                sex = d.SEX.draw(rng)
                if stage in d.SOCIAL_WORK_STAGES:
                    known = "Y"
                else:
                    known = _yn(r() < d.KNOWN_TO_CSC_OTHER[stage])
                if age < 2 or r() < d.DISABILITY_NONE_RATE:
                    disability = "NONE"
                else:
                    codes = {d.DISABILITY.draw(rng)}
                    if r() < d.SECOND_DISABILITY_RATE:
                        codes.add(d.DISABILITY.draw(rng))
                    disability = _sorted_codes(codes, disability_order)
                age = max(0, age - randint(1, 4))  # the next sibling is younger
            ethnicity = (
                family_ethnicity if k == 0 or r() < d.SIBLING_SAME_ETHNICITY
                else ethnicity_table.draw(rng)
            )  # fmt: skip
            uasc = None
            if r() < d.UASC_RECORDED_RATE:
                uasc = _yn(stage in ("LAC", "LL") and n == 1 and child_age >= 14 and r() < 0.2)

            participation = advocate = living = kinship = None
            if held:
                assert conference is not None
                if unborn:
                    participation = "UNBORN"
                else:
                    years = (conference - dob) / 365.25 if dob is not None else 0
                    band = "under5" if years < 5 else "5to10" if years < 11 else "11plus"
                    participation = d.CHILD_PARTICIPATION[band].draw(rng)
                advocate = _yn(
                    participation == "VIEWS_VIA_ADVOCATE"
                    or (participation in ("ATTENDED", "ATTENDED_PART") and r() < d.ADVOCATE_RATE)
                )
                kinship = _yn(family_kinship if r() < 0.95 else not family_kinship)
                if family_living is not None:
                    living = family_living if r() < 0.9 else living_table.draw(rng)

            la12 = family_la12 if r() < d.SIBLING_SAME_OUTCOME else r() < p12
            la6 = r() < d.LOOKED_AFTER_6M_GIVEN_12M[la12]
            proceedings = r() < d.PROCEEDINGS_GIVEN_LOOKED_AFTER[la12]
            rows.children.append(
                (
                    child_id, known, dob, due, sex, ethnicity, disability, uasc,
                    care_application if proceedings else None,
                    participation, advocate, living, kinship,
                    _yn(la6) if know6 else None,
                    _yn(la12) if know12 else None,
                    d.LIVING_12M[la12].draw(rng) if know12 else None,
                    _yn(proceedings) if know12 and stage == "PLO" else None,
                )
            )  # fmt: skip
            rows.child_family.append(family_index)
