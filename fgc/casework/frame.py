"""The single bridge from casework records to the engine: the standard's child-level frame.

Validation, returns, the data-quality page and the council's exports all start from
``episodes_to_frame``. It reads only the standard's fields (and, for the council's own
exports, its local fields): names and contact details are not fields of the standard, so they
cannot reach any frame built here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import polars as pl

from fgc.casework.standard_fields import column_fields
from fgc.standard import load_standard

# Hidden key columns (the engine ignores "__" columns): which record each row came from.
EPISODE_KEY = "__episode_pk"
CHILD_KEY = "__child_pk"


def as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def first_review(episode: Any) -> Any:
    reviews = sorted(episode.reviews.all(), key=lambda r: (r.review_date, r.pk))
    return reviews[0] if reviews else None


def family_record(episode: Any) -> dict[str, str | None]:
    """The episode's family-level standard fields as text."""
    record = {f.name: as_text(getattr(episode, f.name)) for f in column_fields("family")}
    record["la_code"] = episode.council.old_la_code
    record["episode_id"] = episode.reference
    review = first_review(episode)
    record["review_date"] = as_text(review.review_date) if review else None
    record["plan_progress"] = review.plan_progress if review else None
    return record


def child_record(child: Any) -> dict[str, str | None]:
    record = {f.name: as_text(getattr(child, f.name)) for f in column_fields("child")}
    record["child_id"] = child.child_id
    return record


def episode_rows(episode: Any) -> list[dict[str, str | None]]:
    """One dict per child: the family's fields and the child's (the engine's row shape)."""
    family = family_record(episode)
    return [{**family, **child_record(c)} for c in episode.children.all()]


def prefetch(queryset: Any) -> Any:
    return queryset.select_related("council").prefetch_related(
        "children", "reviews", "local_values__definition"
    )


def local_columns(episode: Any) -> dict[str, str | None]:
    # A key's values may sit on several versions of its definition: the latest version wins.
    values = sorted(episode.local_values.all(), key=lambda v: v.definition.version)
    return {v.definition.column: v.value or None for v in values}


def episodes_to_frame(
    episodes: Iterable[Any], *, local_fields: bool = False, with_keys: bool = False
) -> pl.DataFrame:
    """The standard's child-level text frame (one row per child, standard column order).

    ``local_fields`` adds the council's own fields as ``local_<key>`` columns (council exports
    and reports only: never pass it for a national return). ``with_keys`` adds the hidden
    ``__episode_pk`` / ``__child_pk`` columns so findings can link back to the records.
    """
    std = load_standard()
    if hasattr(episodes, "select_related"):
        episodes = prefetch(episodes)
    rows: list[dict[str, Any]] = []
    extra: set[str] = set()
    for ep in episodes:
        family = family_record(ep)
        local = local_columns(ep) if local_fields else {}
        extra.update(local)
        for child in ep.children.all():
            row: dict[str, Any] = {**family, **child_record(child), **local}
            if with_keys:
                row[EPISODE_KEY] = ep.pk
                row[CHILD_KEY] = child.pk
            rows.append(row)
    schema: dict[str, Any] = dict.fromkeys(std.field_names, pl.Utf8)
    schema.update(dict.fromkeys(sorted(extra), pl.Utf8))
    if with_keys:
        schema[EPISODE_KEY] = pl.Int64
        schema[CHILD_KEY] = pl.Int64
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
