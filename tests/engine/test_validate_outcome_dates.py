"""FGC021 / FGC027 at the edges of the calendar: an outcome is due N months after its anchor
(the offer date here), a month-end anchor landing on the shorter month's last day. Checked
against plain-Python month arithmetic for anchors on every day around each boundary."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from fgc.standard import load_standard

from .rules.builders import check, row

REFERENCE_DATES = [
    date(2025, 2, 28),
    date(2024, 2, 29),
    date(2025, 3, 1),
    date(2025, 3, 31),
    date(2025, 4, 30),
    date(2026, 1, 31),
    date(2025, 12, 31),
]


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _anchors(ref: date) -> list[date]:
    out: set[date] = set()
    for months in (6, 12):
        centre = _add_months(ref, -months)
        out |= {centre + timedelta(days=k) for k in range(-5, 6)}
    return sorted(out)


@pytest.mark.parametrize("ref", REFERENCE_DATES, ids=str)
def test_outcome_due_and_early_against_month_arithmetic(ref: date) -> None:
    std = load_standard()
    outcomes = [f for f in std.fields if f.outcome_months is not None]
    anchors = _anchors(ref)
    rows, expected = [], set()
    for i, anchor in enumerate(anchors):
        iso = anchor.isoformat()
        # Outcomes recorded (early if not yet due), then the same anchor with them blank.
        rows.append(row(episode_id=f"F{i}", offer_date=iso))
        rows.append(row(episode_id=f"B{i}", offer_date=iso, **dict.fromkeys(_names(outcomes))))
        for f in outcomes:
            assert f.outcome_months is not None
            due = _add_months(anchor, f.outcome_months)
            if due > ref and row()[f.name] is not None:
                expected.add((f"F{i}", "FGC021", f.name))
            if due <= ref and f.outcome_required == "always":
                expected.add((f"B{i}", "FGC027", f.name))
    found = check(rows, reference_date=ref).findings.to_dicts()
    got = {
        (x["episode_id"], x["code"], x["field"]) for x in found if x["code"] in ("FGC021", "FGC027")
    }
    assert got == expected
    assert any(c == "FGC021" for _, c, _ in got) and any(c == "FGC027" for _, c, _ in got)


def _names(fields: list) -> list[str]:  # type: ignore[type-arg]
    return [f.name for f in fields]
