"""A council's SSDA903 and CIN census files -> every FGC child's outcomes, with their source.

The files are read and checked first (``fgc.statutory`` / ``fgc.returns.cin``); any problem
raises a ``FormatError`` naming the file, row and column, and nothing is changed. Only then,
in one transaction, each child's outcomes are derived (``fgc.engine.linkage``) for that
child's own episode (index date: letter before proceedings, else offer date) and stored as
``DerivedOutcome`` rows naming the upload. The child's own columns, which every return
reads, take the derived value, except where a value keyed by hand differs and its author
recorded why; the keyed value is kept beside the derived one either way.

The uploaded files live only in a temporary folder inside the council's own data folder
while they are read, and are deleted straight after; raw child ids never leave the council.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction

from fgc.casework.models import Child, DerivedOutcome, StatutoryUpload
from fgc.casework.services import actor_user, audit
from fgc.engine.linkage.fill import FILLED, LIVING_TO_STANDARD
from fgc.engine.linkage.outcomes import YN_OUTCOMES, derive_outcomes, link
from fgc.engine.linkage.recorded import RECORDED_LIVING
from fgc.formats.errors import FormatError

# Every derived outcome, in the order pages show them; FILLED are also the child's columns.
DERIVED_FIELDS: tuple[str, ...] = (
    "looked_after_6m",
    "looked_after_12m",
    "entered_care_12m",
    "days_looked_after_12m",
    "proceedings_issued_12m",
    "living_arrangement_12m",
)
FIELD_LABELS: dict[str, str] = {
    "looked_after_6m": "Looked after at 6 months",
    "looked_after_12m": "Looked after at 12 months",
    "entered_care_12m": "Entered care within 12 months",
    "days_looked_after_12m": "Days looked after in 12 months",
    "proceedings_issued_12m": "Proceedings issued within 12 months",
    "living_arrangement_12m": "Living arrangement at 12 months",
}
KINDS = ("ssda903", "ssda903_header", "cin")


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


def collection_year(d: date) -> str:
    """The DfE collection year (1 April to 31 March) a date falls in, e.g. "2025-26"."""
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def years_label(episodes: pl.DataFrame) -> str:
    """ "SSDA903 2025-26" (or "… 2024-25 to 2025-26"): the years the files' latest dates are in."""
    latest = episodes.group_by("source").agg(
        pl.max_horizontal(pl.col("DECOM").max(), pl.col("DEC").max()).alias("last")
    )
    years = sorted({collection_year(d) for d in latest["last"].to_list() if d is not None})
    if not years:
        return "SSDA903"
    return "SSDA903 " + (years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}")


def _yn(value: Any) -> str:
    return "" if value is None else ("Y" if value else "N")


def _column_value(field: str, derived: str) -> str | None:
    """What the child's column holds for a derived value (None: the standard cannot say)."""
    if not derived:
        return None
    if field == "living_arrangement_12m":
        return LIVING_TO_STANDARD.get(derived)
    return derived


def agrees(field: str, keyed: str, derived: str) -> bool:
    """A keyed value says the same as the derived one (a living arrangement by its group)."""
    if not derived:
        return False
    if field == "living_arrangement_12m":
        return RECORDED_LIVING.get(keyed) == derived or (
            derived == "NOT_LOOKED_AFTER" and keyed in ("WITH_PARENTS", "WITH_ONE_PARENT")
        )
    return keyed == derived


def _council_dir(council: Any) -> Path:
    base = Path(settings.FGC_DATA_DIR) / "casework" / str(council.old_la_code) / "statutory"
    base.mkdir(parents=True, exist_ok=True)
    return base


def _write(folder: Path, files: Sequence[UploadedFile]) -> list[Path]:
    paths = []
    for i, f in enumerate(files):
        # Our own name on disk (never the uploader's path); the reader names the original.
        sub = folder / str(i)
        sub.mkdir(parents=True)
        p = sub / (Path(f.name).name or f"file-{i}")
        p.write_bytes(f.data)
        paths.append(p)
    return paths


def _children(council: Any) -> list[Child]:
    return list(
        Child.objects.filter(episode__council=council)
        .select_related("episode")
        .order_by("episode_id", "pk")
    )


def _index_frame(children: list[Child]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "row": str(c.pk),
                "child_id": c.child_id,
                "index_date": c.episode.lbp_date or c.episode.offer_date,
                "care_application_date": getattr(c, "care_application_date", None),
            }
            for c in children
        ],
        schema={
            "row": pl.Utf8,
            "child_id": pl.Utf8,
            "index_date": pl.Date,
            "care_application_date": pl.Date,
        },
    )


def derive_for_children(
    children: list[Child], episodes: pl.DataFrame, as_at: date
) -> dict[int, dict[str, str]]:
    """child pk -> derived field -> value ("" while not yet due), for children with an index
    date. Each child row is anchored on its own episode, so a child with two FGC episodes
    gets the outcomes of each."""
    index = _index_frame(children).filter(pl.col("index_date").is_not_null())
    if index.height == 0:
        return {}
    keyed = (
        episodes.join(index.select("row", "child_id"), left_on="CHILD", right_on="child_id")
        .with_columns(pl.col("row").alias("CHILD"))
        .drop("row")
    )
    out = derive_outcomes(index.lazy(), keyed, as_at, key="row").collect()
    result: dict[int, dict[str, str]] = {}
    for r in out.iter_rows(named=True):
        values = {f: _yn(r[f]) for f in YN_OUTCOMES}
        days = r["days_looked_after_12m"]
        values["days_looked_after_12m"] = "" if days is None else str(int(days))
        values["living_arrangement_12m"] = r["living_arrangement_12m"] or ""
        result[int(r["row"])] = values
    return result


def _decide(
    field: str, cur: str, derived: str, prev: DerivedOutcome | None
) -> tuple[str | None, str, str]:
    """(the child's column value, the keyed value kept beside it, its reason)."""
    prev_col = _column_value(field, prev.value) if prev else None
    hand = ""
    if prev and prev.keyed and cur in (prev.keyed, prev_col or ""):
        hand = prev.keyed  # still the hand value seen last time (derived may have replaced it)
    elif cur and (prev is None or cur != (prev_col or "")):
        hand = cur  # keyed since the last upload, or before the first
    reason = prev.keyed_reason if prev and hand and prev.keyed == hand else ""
    if hand and agrees(field, hand, derived):
        return hand, "", ""  # the same outcome: keep the keyed detail, nothing to check
    if hand and reason:
        return hand, hand, reason
    if derived and _column_value(field, derived) is not None:
        return _column_value(field, derived), hand, ""
    return (hand or None), hand, reason


@dataclass(frozen=True)
class UploadResult:
    upload: StatutoryUpload
    derived: int  # children with outcomes derived (an index date)
    disagreements: int  # keyed values that differ from the derived ones


def upload_statutory(
    actor: Any,
    council: Any,
    *,
    ssda903: Sequence[UploadedFile],
    header: Sequence[UploadedFile] = (),
    cin: Sequence[UploadedFile] = (),
    as_at: date | None = None,
) -> UploadResult:
    """Read the council's files and fill every FGC child's outcomes (one transaction).

    Raises ``FormatError`` (a ``StatutoryError`` for SSDA903 files) before anything changes.
    """
    from fgc.returns.cin.reader import read_census_children
    from fgc.statutory import read_episodes, read_header

    when = as_at or date.today()
    if when > date.today():
        raise FormatError(f"The as-at date {when:%d/%m/%Y} is in the future.")
    if not ssda903:
        raise FormatError("Select your SSDA903 episodes file (one or more years).")
    with tempfile.TemporaryDirectory(dir=_council_dir(council)) as tmp:
        folder = Path(tmp)
        paths = _write(folder / "episodes", ssda903)
        episodes = read_episodes(paths, as_at=when)
        # Each file's own years (the merged history keeps one copy of a repeated episode).
        years = years_label(pl.concat([read_episodes([p], as_at=when) for p in paths]))
        head = read_header(_write(folder / "header", header), as_at=when) if header else None
        census = [c for p in _write(folder / "cin", cin) for c in read_census_children(p)]
    children = _children(council)
    from fgc.casework.frame import episodes_to_frame
    from fgc.casework.models import Episode

    report = link(
        episodes_to_frame(Episode.objects.filter(council=council)),
        episodes,
        as_at=when,
        cin=census if cin else None,
        header=head,
    ).report
    derived = derive_for_children(children, episodes, when)
    user = actor_user(actor)
    with transaction.atomic():
        upload = StatutoryUpload.objects.create(
            council=council,
            uploaded_by=user if getattr(user, "pk", None) else None,
            as_at=when,
            years=years,
            files=[
                {"name": Path(f.name).name, "kind": kind}
                for kind, group in (("ssda903", ssda903), ("ssda903_header", header), ("cin", cin))
                for f in group
            ],
            report=report.text(),
            children_filled=len(derived),
        )
        by_child = {c.pk: c for c in children}
        previous = {
            (o.child_id, o.field): o
            for o in DerivedOutcome.objects.filter(child__pk__in=list(derived))
        }
        rows, changed, disagreements = [], [], 0
        for pk, values in derived.items():
            child = by_child[pk]
            touched = False
            for field in DERIVED_FIELDS:
                prev = previous.get((pk, field))
                value = values[field]
                if field in FILLED:
                    cur = getattr(child, field) or ""
                    column, keyed, reason = _decide(field, cur, value, prev)
                    if (column or None) != (cur or None):
                        setattr(child, field, column)
                        touched = True
                else:
                    keyed, reason = "", ""
                disagreements += bool(keyed and value)
                rows.append(
                    DerivedOutcome(
                        child=child,
                        field=field,
                        value=value,
                        upload=upload,
                        keyed=keyed,
                        keyed_reason=reason,
                        keyed_by=prev.keyed_by if prev and reason else None,
                    )
                )
            if touched:
                changed.append(child)
        DerivedOutcome.objects.filter(child__pk__in=list(derived)).delete()
        DerivedOutcome.objects.bulk_create(rows)
        if changed:
            Child.objects.bulk_update(changed, list(FILLED))
        audit(
            actor,
            "casework.statutory_upload",
            council=council,
            upload=upload.pk,
            files=len(upload.files),
            children=len(derived),
            children_changed=len(changed),
            disagreements=disagreements,
        )
    return UploadResult(upload, len(derived), disagreements)


def keep_keyed(actor: Any, outcome: DerivedOutcome, reason: str) -> None:
    """Record why the keyed value is right: the child's column keeps it from now on."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the keyed value is right")
    if not outcome.keyed:
        raise ValueError("There is no keyed value to keep")
    with transaction.atomic():
        outcome.keyed_reason = reason[:300]
        user = actor_user(actor)
        outcome.keyed_by = user if getattr(user, "pk", None) else None
        outcome.save(update_fields=["keyed_reason", "keyed_by"])
        child = outcome.child
        if outcome.field in FILLED:
            setattr(child, outcome.field, outcome.keyed)
            child.save(update_fields=[outcome.field])
        audit(actor, "casework.outcome_keyed_reason", target=child, field=outcome.field)
