"""Demo casework for council 805: a few dozen synthetic families in every state of the journey.

Families come from ``fgc.synth`` (the same generator as the hub's demo returns) and are cut
at today's date, so recent ones are still open at the step their dates have reached. They
are stored with the spreadsheet importer, given demo names (encrypted like real ones) and
allocated to the demo coordinator. Running it again on a seeded database does nothing.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import IO, Any

import polars as pl

from fgc.casework.states import STATE_LABELS, STEP_BY_KEY, add_months, state_of
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


def state_of_rows(rows: list[dict[str, Any]]) -> str:
    """The journey state an episode's (cut) rows would have once stored."""
    first = rows[0]

    def day(name: str) -> date | None:
        value = first.get(name)
        return date.fromisoformat(value) if value else None

    episode = SimpleNamespace(
        closure_date=day("closure_date"),
        exception=first.get("exception"),
        offer_date=day("offer_date"),
        offer_response=first.get("offer_response"),
        referral_date=day("referral_date"),
        allocation_date=day("allocation_date"),
        conference_date=day("conference_date"),
        plan_agreed=first.get("plan_agreed"),
    )
    children = [SimpleNamespace(looked_after_12m=r.get("looked_after_12m")) for r in rows]
    return state_of(episode, children, bool(first.get("review_date")))


def demo_frame(code: str, count: int, today: date) -> pl.DataFrame:
    """``count`` synthetic episodes cut at ``today``, taken in turn from each journey state so
    the demo caseload has live families at every step, not only closed ones."""
    from fgc.synth import generate

    frame = generate([code], YEARS, seed=SEED)
    frame = frame.filter(
        pl.col("offer_date").is_null() | (pl.col("offer_date") <= today.isoformat())
    )
    by_state: dict[str, list[list[dict[str, Any]]]] = {key: [] for key in STATE_LABELS}
    for (_eid,), group in frame.group_by(["episode_id"], maintain_order=True):
        rows = cut_at(group.to_dicts(), today)
        by_state[state_of_rows(rows)].append(rows)
    chosen: list[list[dict[str, Any]]] = []
    turn = 0
    while len(chosen) < count and any(len(b) > turn for b in by_state.values()):
        for bucket in by_state.values():
            if turn < len(bucket) and len(chosen) < count:
                chosen.append(bucket[turn])
        turn += 1
    rows_out = [row for rows in chosen for row in rows]
    out = pl.DataFrame(rows_out, schema=frame.schema)
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
    frame = demo_frame(code, count, today)
    mapped = importer.Mapped(frame)
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
    derived = seed_statutory(council, frame, today)
    if stdout:
        stdout.write(
            f"Casework demo: {result.episodes_created} families ({result.children} children) "
            f"for council {code}; outcomes derived from SSDA903 for {derived} children.\n"
        )
    return result.episodes_created


# Outcome fields the demo leaves to the SSDA903 upload (three families in four).
_FROM_903 = (
    "looked_after_6m",
    "looked_after_12m",
    "proceedings_issued_12m",
    "living_arrangement_12m",
)


def seed_statutory(council: Any, frame: pl.DataFrame, today: date) -> int:
    """Upload synthetic SSDA903 and CIN census files for the demo families, as the council's
    data officer would: most children's outcomes are then derived (with their source), a few
    stay as keyed, and one keyed value disagrees, so the caseload shows all three."""
    from fgc.accounts.models import User
    from fgc.casework.models import Child
    from fgc.casework.statutory_upload import UploadedFile, collection_year, upload_statutory
    from fgc.synth.statutory import statutory_files

    files = statutory_files(frame.drop(ROW_COLUMN, strict=False), seed=SEED, as_at=today)
    if files.episodes.height == 0:
        return 0
    children = list(Child.objects.filter(episode__council=council).order_by("episode_id", "pk"))
    for i, child in enumerate(children):
        if i % 4:
            for name in _FROM_903:
                setattr(child, name, None)
    flipped = next((c for i, c in enumerate(children) if i % 4 == 0 and c.looked_after_12m), None)
    if flipped is not None:
        flipped.looked_after_12m = "N" if flipped.looked_after_12m == "Y" else "Y"
    Child.objects.bulk_update(children, list(_FROM_903))
    year = collection_year(today)
    officer = User.objects.filter(username=f"officer-{council.old_la_code}").first()
    census = files.census.get(council.old_la_code)
    result = upload_statutory(
        officer,
        council,
        ssda903=[UploadedFile(f"ssda903-episodes-{year}.csv", files.episodes.write_csv().encode())],
        header=[UploadedFile(f"ssda903-header-{year}.csv", files.header.write_csv().encode())],
        cin=[UploadedFile(f"cin-census-{year}.xml", census)] if census else [],
        as_at=today,
    )
    return result.derived
