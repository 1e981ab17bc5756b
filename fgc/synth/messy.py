"""Realistic mistakes, injected into clean synthetic data to exercise validation.

Each kind of mistake names the rule (``fgc.engine.rules``) that must catch it, so the test
suite can inject one kind at a time and check that its rule fires. A mistake in a
family-level field is made on every child's row of the episode (as a council's system would
export it), so it is caught by its own rule rather than only by "family fields disagree".
"""

from __future__ import annotations

import calendar
import random
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

import polars as pl

from fgc.standard import Standard, load_standard

Row = dict[str, str | None]
Values = dict[str, str | None]


class MessyKind(NamedTuple):
    kind: str
    rule_code: str
    description: str


@dataclass(frozen=True)
class _Context:
    rng: random.Random
    reference_date: date
    std: Standard
    episode_size: int


@dataclass(frozen=True)
class _Mistake:
    kind: str
    rule_code: str
    description: str
    family: bool  # made on every row of the episode
    make: Callable[[Row, _Context], Values | None]  # new cell values, or None: does not apply


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _iso(d: date) -> str:
    return d.isoformat()


# ---------------------------------------------------------------- codes and text


def _lowercase_code(row: Row, c: _Context) -> Values | None:
    return {"ethnicity": row["ethnicity"].lower()} if row["ethnicity"] else None


def _descriptive_code(row: Row, c: _Context) -> Values | None:
    code = row["ethnicity"]
    label = c.std.codelists["ethnicity"].label_for(code) if code else None
    return {"ethnicity": label} if label else None


def _yes_no_words(row: Row, c: _Context) -> Values | None:
    value = row["known_to_csc"]
    return {"known_to_csc": "Yes" if value == "Y" else "No"} if value else None


def _unknown_code(row: Row, c: _Context) -> Values | None:
    return {"referrer_role": "TEAM_MANAGER"} if row["referrer_role"] else None


def _none_with_disability(row: Row, c: _Context) -> Values | None:
    value = row["disability"]
    if not value:
        return None
    return {"disability": "NONE;LD" if value == "NONE" else f"NONE;{value}"}


def _full_postcode(row: Row, c: _Context) -> Values | None:
    district = row["postcode_district"]
    if not district:
        return None
    letters = "".join(c.rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
    return {"postcode_district": f"{district} {c.rng.randint(1, 9)}{letters}"}


def _bad_child_id(row: Row, c: _Context) -> Values | None:
    child = row["child_id"]
    return {"child_id": f"{child[:4]}/{child[4:]}"} if child else None


def _feedback_out_of_range(row: Row, c: _Context) -> Values | None:
    return {"family_feedback": str(c.rng.choice((0, 6, 10)))} if row["conference_date"] else None


# ---------------------------------------------------------------- dates


def _ddmmyyyy(row: Row, c: _Context) -> Values | None:
    dob = _day(row["date_of_birth"])
    return {"date_of_birth": dob.strftime("%d/%m/%Y")} if dob else None


def _impossible_date(row: Row, c: _Context) -> Values | None:
    dob = _day(row["date_of_birth"])
    return {"date_of_birth": f"{dob.year}-02-30"} if dob else None


def _swap_offer_response(row: Row, c: _Context) -> Values | None:
    offer, response = row["offer_date"], row["response_date"]
    if offer and response and response > offer:
        return {"offer_date": response, "response_date": offer}
    return None


def _future_closure(row: Row, c: _Context) -> Values | None:
    if not row["closure_date"]:
        return None
    return {"closure_date": _iso(c.reference_date + timedelta(days=c.rng.randint(20, 300)))}


def _dob_after_referral(row: Row, c: _Context) -> Values | None:
    referral = _day(row["referral_date"])
    if not (referral and row["date_of_birth"]):
        return None
    return {"date_of_birth": _iso(referral + timedelta(days=c.rng.randint(5, 60)))}


def _over_18(row: Row, c: _Context) -> Values | None:
    offer = _day(row["offer_date"])
    if not (offer and row["date_of_birth"]):
        return None
    days = int(18 * 365.25) + c.rng.randint(30, 700)
    return {"date_of_birth": _iso(offer - timedelta(days=days))}


def _unborn(row: Row) -> bool:
    return row["date_of_birth"] is None and row["expected_due_date"] is not None


def _unborn_with_dob(row: Row, c: _Context) -> Values | None:
    return {"date_of_birth": row["expected_due_date"]} if _unborn(row) else None


def _slow_conference(row: Row, c: _Context) -> Values | None:
    conference = _day(row["conference_date"])
    if not (conference and row["referral_date"]):
        return None
    return {"referral_date": _iso(conference - timedelta(days=c.rng.randint(95, 150)))}


def _add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _outcome_too_early(row: Row, c: _Context) -> Values | None:
    anchor = _day(row["lbp_date"] if row["stage"] == "PLO" else row["offer_date"])
    if anchor is None or row["looked_after_12m"] is not None:
        return None
    if _add_months(anchor, 12) <= c.reference_date:
        return None
    return {"looked_after_12m": "N"}


# ---------------------------------------------------------------- state of the episode


def _missing_ethnicity(row: Row, c: _Context) -> Values | None:
    return {"ethnicity": None} if row["ethnicity"] else None


def _missing_decline_reason(row: Row, c: _Context) -> Values | None:
    return {"decline_reason": None} if row["offer_response"] == "DECLINED" else None


def _bump_district(row: Row, c: _Context) -> Values | None:
    district = row["postcode_district"]
    m = re.fullmatch(r"([A-Z]+)(\d+)", district or "")
    if c.episode_size < 2 or m is None:
        return None
    return {"postcode_district": f"{m[1]}{int(m[2]) % 30 + 1}"}  # a neighbouring district


def _meeting_without_meeting(row: Row, c: _Context) -> Values | None:
    if row["conference_date"] or row["offer_response"] != "ACCEPTED":
        return None
    return {"meeting_type": "FGC", "private_family_time": "Y", "family_attendees": "4"}


def _not_held_with_meeting(row: Row, c: _Context) -> Values | None:
    return {"not_held_reason": "CONSENT_WITHDRAWN"} if row["conference_date"] else None


def _plo_without_offer(row: Row, c: _Context) -> Values | None:
    if row["stage"] != "PLO" or row["exception"] == "Y" or not row["offer_date"]:
        return None
    return {"offer_date": None}


def _care_before_meeting(row: Row, c: _Context) -> Values | None:
    conference = _day(row["conference_date"])
    if conference is None or row["offer_response"] != "ACCEPTED":
        return None
    return {"care_application_date": _iso(conference - timedelta(days=c.rng.randint(5, 30)))}


def _attendees_zero(row: Row, c: _Context) -> Values | None:
    return {"family_attendees": "0"} if row["private_family_time"] == "Y" else None


def _unborn_sex(row: Row, c: _Context) -> Values | None:
    return {"sex": c.rng.choice(("F", "M"))} if _unborn(row) else None


def _decline_reason_when_accepted(row: Row, c: _Context) -> Values | None:
    return {"decline_reason": "NO_BENEFIT_SEEN"} if row["offer_response"] == "ACCEPTED" else None


def _exception_reason_without_exception(row: Row, c: _Context) -> Values | None:
    return {"exception_reason": "RISK_TO_CHILD"} if row["exception"] == "N" else None


def _never(row: Row, c: _Context) -> Values | None:  # duplicate_row is handled by `inject`
    return None


# Rule codes are those of fgc.engine.rules (published and stable); tests/synth injects each
# kind alone and checks its rule reports it.
_MISTAKES: tuple[_Mistake, ...] = (
    _Mistake("lowercase_code", "FGC002", "a code in lower case (wbri)", False, _lowercase_code),
    _Mistake("descriptive_code", "FGC002", "a code's label instead of the code (White British)",
             False, _descriptive_code),
    _Mistake("yes_no_words", "FGC002", "Yes/No instead of Y/N", False, _yes_no_words),
    _Mistake("unknown_code", "FGC002", "a code not in the list (referrer TEAM_MANAGER)", True,
             _unknown_code),
    _Mistake("none_with_disability", "FGC003", "NONE combined with a disability code", False,
             _none_with_disability),
    _Mistake("full_postcode", "FGC006", "a full postcode instead of the district", True,
             _full_postcode),
    _Mistake("bad_child_id", "FGC006", "a child id with a '/' in it", False, _bad_child_id),
    _Mistake("feedback_out_of_range", "FGC005", "a feedback score outside 1–5", True,
             _feedback_out_of_range),
    _Mistake("ddmmyyyy_date", "FGC004", "a date written dd/mm/yyyy", False, _ddmmyyyy),
    _Mistake("impossible_date", "FGC004", "a date that does not exist (30 February)", False,
             _impossible_date),
    _Mistake("future_date", "FGC007", "a closure date after the reference date", True,
             _future_closure),
    _Mistake("date_order_swapped", "FGC008", "offer and response dates swapped", True,
             _swap_offer_response),
    _Mistake("dob_after_referral", "FGC009", "a date of birth after the referral", False,
             _dob_after_referral),
    _Mistake("unborn_with_dob", "FGC010", "an unborn child given a date of birth too", False,
             _unborn_with_dob),
    _Mistake("over_18", "FGC011", "a child 18 or over on the offer date", False, _over_18),
    _Mistake("missing_required", "FGC001", "ethnicity left blank", False, _missing_ethnicity),
    _Mistake("missing_decline_reason", "FGC001", "declined without a decline reason", True,
             _missing_decline_reason),
    _Mistake("duplicate_row", "FGC012", "a child's row repeated", False, _never),
    _Mistake("family_field_disagrees", "FGC013",
             "a family-level field (postcode district) differs between siblings", False,
             _bump_district),
    _Mistake("meeting_fields_without_meeting", "FGC014",
             "meeting details filled in but no conference date", True, _meeting_without_meeting),
    _Mistake("not_held_reason_with_meeting", "FGC015",
             "a reason not held although a conference was held", True, _not_held_with_meeting),
    _Mistake("plo_without_offer", "FGC016", "a PLO episode without an offer or exception", True,
             _plo_without_offer),
    _Mistake("care_application_before_meeting", "FGC018",
             "accepted offer but the care application predates the conference", False,
             _care_before_meeting),
    _Mistake("slow_to_conference", "FGC019", "more than 90 days from referral to conference",
             True, _slow_conference),
    _Mistake("attendees_zero_with_private_time", "FGC020",
             "no family attendees but private family time", True, _attendees_zero),
    _Mistake("outcome_too_early", "FGC021", "a 12-month outcome before 12 months have passed",
             False, _outcome_too_early),
    _Mistake("unborn_not_sex_u", "FGC022", "an unborn child recorded as F or M", False,
             _unborn_sex),
    _Mistake("exception_reason_without_exception", "FGC024",
             "an exception reason with exception N", True, _exception_reason_without_exception),
    _Mistake("decline_reason_when_accepted", "FGC025", "a decline reason on an accepted offer",
             True, _decline_reason_when_accepted),
)  # fmt: skip
_BY_KIND = {m.kind: m for m in _MISTAKES}


def messy_kinds() -> list[MessyKind]:
    """Every kind of mistake ``--messy`` injects, with the rule code that must catch it."""
    return [MessyKind(m.kind, m.rule_code, m.description) for m in _MISTAKES]


def _select(kinds: Sequence[str] | None) -> list[_Mistake]:
    if kinds is None:
        return list(_MISTAKES)
    unknown = [k for k in kinds if k not in _BY_KIND]
    if unknown:
        from fgc.synth.generate import SynthError

        raise SynthError(
            f"Unknown mistake kind(s): {', '.join(unknown)}; known: {', '.join(_BY_KIND)}"
        )
    return [_BY_KIND[k] for k in kinds]


def inject(
    frame: pl.DataFrame,
    rate: float,
    rng: random.Random,
    kinds: Sequence[str] | None,
    reference_date: date,
) -> pl.DataFrame:
    """Give about ``rate`` of the rows one mistake each (at most one per episode).

    The frame must hold each episode's rows together, as ``generate`` makes them.
    """
    mistakes = _select(kinds)
    n = frame.height
    if n == 0 or rate <= 0 or not mistakes:
        return frame
    std = load_standard()
    chosen = sorted(rng.sample(range(n), min(n, max(1, round(rate * n)))))
    runs = frame["episode_id"].rle()
    lengths = runs.struct.field("len").to_list()
    starts = [0, *accumulate(lengths)][:-1]

    edits: dict[str, dict[int, str | None]] = {}
    duplicates: list[int] = []
    touched: set[int] = set()
    for i, row in zip(chosen, frame[chosen].iter_rows(named=True), strict=True):
        episode = bisect_right(starts, i) - 1
        if episode in touched:
            continue
        start, size = starts[episode], lengths[episode]
        ctx = _Context(rng, reference_date, std, size)
        for m in rng.sample(mistakes, len(mistakes)):
            if m.kind == "duplicate_row":
                duplicates.append(i)
            else:
                values = m.make(row, ctx)
                if values is None:
                    continue
                targets = range(start, start + size) if m.family else (i,)
                for column, value in values.items():
                    cells = edits.setdefault(column, {})
                    for t in targets:
                        cells[t] = value
            touched.add(episode)
            break

    for column, cells in edits.items():
        series = frame[column].clone()
        series.scatter(list(cells), pl.Series(list(cells.values()), dtype=pl.Utf8))
        frame = frame.with_columns(series)
    if duplicates:
        order = sorted([*range(n), *duplicates])
        frame = frame[order]
    return frame
