"""What the caseload says about each family's outcomes: due on a date, derived (with its
source) or keyed by hand.

The due dates follow the outcome definitions (index date — letter before proceedings, else
offer date — plus 6 and 12 calendar months; fgc.engine.linkage.outcomes).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from fgc.casework.models import DerivedOutcome, Episode
from fgc.casework.wording import long_date

SHOWN: dict[str, str] = {"looked_after_6m": "6 months", "looked_after_12m": "12 months"}
MONTHS: dict[str, int] = {"looked_after_6m": 6, "looked_after_12m": 12}


def add_months(d: date, n: int) -> date:
    """Calendar months, as the outcome definitions count them (31 Aug + 6 = 28/29 Feb)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def index_date(episode: Episode) -> date | None:
    return episode.lbp_date or episode.offer_date


def _one(field: str, due: date, today: date, column: str | None, d: DerivedOutcome | None) -> str:
    what = f"Looked after at {SHOWN[field]}"
    if due > today:
        return f"{what}: due on {long_date(due)}"
    if d is not None and d.value:
        text = f"{what}: {d.value} (derived, {d.upload.source})"
        if d.keyed:
            text += f"; keyed {d.keyed}" + (
                f", used because: {d.keyed_reason}" if d.keyed_wins else ", not used (no reason)"
            )
        return text
    if column:
        return f"{what}: {column} (keyed)"
    return f"{what}: due since {long_date(due)}, not recorded"


def outcome_lines(episodes: Sequence[Episode], today: date | None = None) -> dict[int, list[str]]:
    """episode pk -> one line per child and outcome (6 and 12 months), for the caseload."""
    today = today or date.today()
    pks = [e.pk for e in episodes]
    derived: dict[tuple[int, str], DerivedOutcome] = {
        (o.child_id, o.field): o
        for o in DerivedOutcome.objects.filter(
            child__episode__pk__in=pks, field__in=list(SHOWN)
        ).select_related("upload", "upload__uploaded_by")
    }
    out: dict[int, list[str]] = {}
    for ep in episodes:
        idx = index_date(ep)
        if idx is None:
            out[ep.pk] = ["No offer yet"]
            continue
        children = list(ep.children.all())
        lines = []
        for child in children:
            prefix = f"{child.child_id}: " if len(children) > 1 else ""
            for field in SHOWN:
                due = add_months(idx, MONTHS[field])
                d = derived.get((child.pk, field))
                lines.append(prefix + _one(field, due, today, getattr(child, field), d))
        out[ep.pk] = lines
    return out


def as_html(lines: Sequence[str]) -> Markup:
    """The lines, escaped, one to a line in a table cell."""
    return Markup("<br>").join(escape(line) for line in lines)
