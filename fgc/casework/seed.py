"""Demo casework for council 805: a few dozen synthetic families in every state of the journey.

Families come from ``fgc.synth`` (the same generator as the hub's demo returns) and are cut
at today's date, so recent ones are still open at the step their dates have reached. They
are stored with the spreadsheet importer, given demo names (encrypted like real ones) and
allocated to the demo coordinator. Running it again on a seeded database does nothing.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

import polars as pl

from fgc.casework.states import STEP_BY_KEY, add_months
from fgc.formats.result import ROW_COLUMN

SEED = 805
YEARS = ["2025-26", "2026-27"]
FIRST_NAMES = (
    "Alex",
    "Sam",
    "Jordan",
    "Riley",
    "Casey",
    "Morgan",
    "Jamie",
    "Charlie",
    "Robin",
    "Taylor",
)
FAMILY_NAMES = (
    "Smith",
    "Patel",
    "Jones",
    "Khan",
    "Brown",
    "Wilson",
    "Ahmed",
    "Taylor",
    "Evans",
    "Walker",
)

# (date that marks the step, the steps it starts): a step dated after today has not happened.
_CUTS = (
    (
        "offer_date",
        ("offer", "response", "referral", "allocation", "meeting", "plan", "closure", "outcomes"),
    ),
    (
        "response_date",
        ("response", "referral", "allocation", "meeting", "plan", "closure", "outcomes"),
    ),
    ("referral_date", ("referral", "allocation", "meeting", "plan", "closure", "outcomes")),
    ("allocation_date", ("allocation", "meeting", "plan", "closure", "outcomes")),
    ("conference_date", ("meeting", "plan", "closure", "outcomes")),
    ("review_date", ("closure", "outcomes")),
    ("closure_date", ("closure", "outcomes")),
)


def _fields(steps: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for key in steps:
        s = STEP_BY_KEY[key]
        out.update(s.family, s.child)
    return out


def cut_at(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """One episode's rows as they would stand on ``today`` (later steps blanked)."""
    first = rows[0]
    blank: set[str] = set()
    for field, steps in _CUTS:
        value = first.get(field)
        if value and date.fromisoformat(value) > today:
            blank |= _fields(steps)
            if field == "review_date":
                blank |= {"review_date", "plan_progress"}
            break
    anchor_text = first.get("lbp_date") if first.get("stage") == "PLO" else first.get("offer_date")
    anchor = date.fromisoformat(anchor_text) if anchor_text else None
    if anchor is None or add_months(anchor, 6) > today:
        blank.add("looked_after_6m")
    if anchor is None or add_months(anchor, 12) > today:
        blank |= {"looked_after_12m", "living_arrangement_12m", "proceedings_issued_12m"}
    out = []
    for row in rows:
        row = {k: (None if k in blank else v) for k, v in row.items()}
        cad = row.get("care_application_date")
        if cad and date.fromisoformat(cad) > today:
            row["care_application_date"] = None
        out.append(row)
    return out


def demo_frame(code: str, count: int, today: date) -> pl.DataFrame:
    from fgc.synth import generate

    frame = generate([code], YEARS, seed=SEED)
    frame = frame.filter(
        pl.col("offer_date").is_null() | (pl.col("offer_date") <= today.isoformat())
    )
    ids = frame.get_column("episode_id").unique(maintain_order=True).to_list()
    step = max(1, len(ids) // count)
    chosen = set(ids[::step][:count])
    rows: list[dict[str, Any]] = []
    for (_eid,), group in frame.filter(pl.col("episode_id").is_in(list(chosen))).group_by(
        ["episode_id"], maintain_order=True
    ):
        rows.extend(cut_at(group.to_dicts(), today))
    out = pl.DataFrame(rows, schema=frame.schema)
    return out.with_columns(pl.int_range(2, out.height + 2).cast(pl.Int64).alias(ROW_COLUMN))


def seed_demo(
    stdout: IO[str] | None = None, *, code: str = "805", count: int = 36, today: date | None = None
) -> int:
    """Create the demo families; returns how many episodes were created (0 if already seeded)."""
    from fgc.accounts.models import Council, User
    from fgc.casework import importer
    from fgc.casework.models import Child, Episode, NetworkMember, Side

    today = today or date.today()
    council = Council.objects.get(old_la_code=code)
    if Episode.objects.filter(council=council).exists():
        if stdout:
            stdout.write(f"Casework demo: council {code} already has episodes; left as it is.\n")
        return 0
    mapped = importer.Mapped(demo_frame(code, count, today))
    result = importer.import_frame(None, council, mapped)
    coordinator = (
        User.objects.filter(role="coordinator", councils=council).order_by("username").first()
    )
    for i, ep in enumerate(Episode.objects.filter(council=council).order_by("pk")):
        family = FAMILY_NAMES[i % len(FAMILY_NAMES)]
        for j, child in enumerate(Child.objects.filter(episode=ep)):
            child.name = f"{FIRST_NAMES[(i + j) % len(FIRST_NAMES)]} {family}"
            child.save(update_fields=["name"])
        if coordinator is not None and ep.allocation_date and i % 3 != 2:
            ep.coordinator = coordinator
            ep.save(update_fields=["coordinator"])
        if ep.conference_date:
            NetworkMember.objects.create(
                episode=ep,
                name=f"Pat {family}",
                relationship="Grandparent",
                side=Side.MATERNAL,
                invited=True,
                attended=True,
                contact="07700 900000",
            )
    if stdout:
        stdout.write(
            f"Casework demo: {result.episodes_created} families ({result.children} children) "
            f"for council {code}.\n"
        )
    return result.episodes_created
