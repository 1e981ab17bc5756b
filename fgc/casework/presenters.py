"""What the pages show: the caseload and waiting list, an episode's summary, data quality."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fgc.casework.frame import (
    CHILD_KEY,
    EPISODE_KEY,
    child_record,
    episodes_to_frame,
    family_record,
    prefetch,
)
from fgc.casework.states import (
    CONFERENCE_DUE_DAYS,
    OPEN_STATES,
    REVIEW_DUE_DAYS,
    STATE_LABELS,
    STEPS,
    next_step,
    outcome_due,
    state_of,
)
from fgc.casework.wording import long_date
from fgc.engine.rules import rule
from fgc.engine.validate import validate
from fgc.standard import load_standard


@dataclass
class EpisodeLine:
    episode: Any
    state: str
    days_waiting: int | None
    overdue: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def line_for(ep: Any, today: date) -> EpisodeLine:
    children = list(ep.children.all())
    reviews = list(ep.reviews.all())
    state = state_of(ep, children, bool(reviews))
    waiting = None
    if ep.referral_date and not ep.conference_date and state in OPEN_STATES:
        waiting = (today - ep.referral_date).days
    overdue = []
    if waiting is not None and waiting > CONFERENCE_DUE_DAYS:
        overdue.append(f"Conference not held {waiting} days after referral")
    if (
        state in ("held", "planned")
        and ep.conference_date
        and not reviews
        and ep.conference_date + timedelta(days=REVIEW_DUE_DAYS) < today
    ):
        overdue.append("Review due")
    if ep.offer_date and ep.exception != "Y":
        if outcome_due(ep, 6, today) and any(not c.looked_after_6m for c in children):
            overdue.append("6-month outcome due")
        if outcome_due(ep, 12, today) and any(not c.looked_after_12m for c in children):
            overdue.append("12-month outcome due")
    return EpisodeLine(ep, state, waiting, overdue)


@dataclass
class Caseload:
    lines: list[EpisodeLine]
    by_state: list[tuple[str, str, int]]
    workload: list[tuple[str, int]]
    waiting: list[EpisodeLine]
    overdue: list[EpisodeLine]


def caseload(episodes: Any, today: date | None = None) -> Caseload:
    today = today or date.today()
    lines = [line_for(ep, today) for ep in prefetch(episodes).select_related("coordinator")]
    counts = Counter(line.state for line in lines)
    by_state = [(key, label, counts.get(key, 0)) for key, label in STATE_LABELS.items()]
    workload = Counter(
        line.episode.coordinator.get_username() if line.episode.coordinator else "Not allocated"
        for line in lines
        if line.is_open
    )
    waiting = sorted(
        (line for line in lines if line.days_waiting is not None),
        key=lambda line: -(line.days_waiting or 0),
    )
    overdue = [line for line in lines if line.overdue]
    return Caseload(lines, by_state, sorted(workload.items()), waiting, overdue)


# GOV.UK tag colours by state: grey not started, blue in progress, yellow/orange stopped
# before a meeting, turquoise a meeting held and planned, green done.
STATE_TAG_CLASSES = {
    "identified": "govuk-tag--grey",
    "offered": "govuk-tag--light-blue",
    "exception": "govuk-tag--orange",
    "declined": "govuk-tag--yellow",
    "accepted": "govuk-tag--blue",
    "referred": "govuk-tag--blue",
    "allocated": "govuk-tag--purple",
    "held": "govuk-tag--turquoise",
    "planned": "govuk-tag--turquoise",
    "reviewed": "govuk-tag--turquoise",
    "closed": "govuk-tag--grey",
    "outcomes": "govuk-tag--green",
}


def state_tag(state: str) -> dict[str, str]:
    """govukTag parameters for an episode's state."""
    return {"text": STATE_LABELS[state], "classes": STATE_TAG_CLASSES.get(state, "")}


def summary_rows(episode: Any, children: list[Any] | None = None) -> list[dict[str, Any]]:
    """The episode's values, step by step, for GOV.UK summary lists: the family's fields,
    then each child's. ``recorded`` says whether the step holds anything yet."""
    std = load_standard()
    record = family_record(episode)
    kids = children if children is not None else list(episode.children.all())
    child_records = [(c, child_record(c)) for c in kids]
    out = []
    for step in STEPS:
        rows = []
        recorded = False
        for name in step.family:
            f = std.field(name)
            recorded = recorded or record[name] is not None
            rows.append({"key": f.label, "value": display(f, record[name])})
        child_sections = []
        for child, values in child_records:
            child_rows = []
            for name in step.child:
                f = std.field(name)
                recorded = recorded or values[name] is not None
                child_rows.append({"key": f.label, "value": display(f, values[name])})
            if child_rows:
                child_sections.append({"child": child, "rows": child_rows})
        out.append({"step": step, "rows": rows, "children": child_sections, "recorded": recorded})
    return out


def display(f: Any, text: str | None) -> str:
    """A stored value as a person reads it: labels for codes, dates as 3 March 2026."""
    if text is None:
        return "Not recorded"
    if f.type == "date":
        return long_date(text)
    std = load_standard()
    cl = std.codelist_for(f)
    if cl is None:
        return text
    return "; ".join(cl.label_for(c) or c for c in text.split(";"))


def next_step_for(episode: Any) -> Any:
    children = list(episode.children.all())
    return next_step(state_of(episode, children, episode.reviews.exists()))


@dataclass
class QualityReport:
    rules: list[dict[str, Any]]
    rows: int
    error_count: int
    query_count: int


def data_quality(episodes: Any, reference_date: date | None = None) -> QualityReport:
    """Every rule's findings across the episodes, each with the episode to fix."""
    std = load_standard()
    frame = episodes_to_frame(episodes, with_keys=True)
    report = validate(frame, reference_date=reference_date)
    findings = report.findings.filter(report.findings["row"] >= 2)
    keys = frame.select(EPISODE_KEY, CHILD_KEY).to_dicts()
    grouped: dict[str, dict[str, Any]] = {}
    for f in findings.iter_rows(named=True):
        entry = grouped.setdefault(
            f["code"],
            {
                "code": f["code"],
                "severity": f["severity"],
                "message": rule(f["code"]).message,
                "items": [],
            },
        )
        key = keys[f["row"] - 2]
        field_label = std.field(f["field"]).label if f["field"] in std.field_names else f["field"]
        entry["items"].append(
            {
                **f,
                "field_label": field_label,
                "episode_pk": key[EPISODE_KEY],
                "child_pk": key[CHILD_KEY],
            }
        )
    rules = sorted(grouped.values(), key=lambda r: (r["severity"] != "error", r["code"]))
    for r in rules:
        r["count"] = len(r["items"])
    return QualityReport(rules, report.rows, report.error_count, report.query_count)
