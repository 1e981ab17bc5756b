"""Model columns for the standard's fields, derived from the declarations (never re-typed).

An episode holds the family-level fields, a child the child-level ones. A few fields are held
elsewhere and named here: the council and the episode reference become ``la_code`` and
``episode_id``; the first ``Review`` gives ``review_date`` and ``plan_progress``.
"""

from __future__ import annotations

from django.db import models

from fgc.standard import Field, Standard, load_standard

# Standard fields that are not plain columns on Episode / Child (see the module docstring).
HELD_ELSEWHERE = frozenset({"la_code", "episode_id", "child_id", "review_date", "plan_progress"})


def _code_length(std: Standard, f: Field, *, many: bool) -> int:
    cl = std.codelist_for(f)
    codes = cl.values if cl else ("",)
    if many:
        return sum(len(c) + 1 for c in codes)
    return max(len(c) for c in codes)


def model_field(std: Standard, f: Field) -> models.Field:
    """The Django column for a standard field: always optional (blank = not recorded)."""
    if f.type == "date":
        return models.DateField(f.label, null=True, blank=True)
    if f.type == "integer":
        return models.SmallIntegerField(f.label, null=True, blank=True)
    if f.type == "yn":
        length = 1
    elif f.type in ("code", "codes"):
        length = _code_length(std, f, many=f.type == "codes")
    else:
        length = f.max_length or 100
    return models.CharField(f.label, max_length=length, null=True, blank=True)


def column_fields(level: str, std: Standard | None = None) -> tuple[Field, ...]:
    """The standard fields stored as columns at this level ("family" or "child")."""
    std = std or load_standard()
    return tuple(f for f in std.fields if f.level == level and f.name not in HELD_ELSEWHERE)


def add_standard_columns(model: type[models.Model], level: str) -> None:
    """Add one column per standard field of ``level`` to ``model`` (at import time)."""
    std = load_standard()
    for f in column_fields(level, std):
        model_field(std, f).contribute_to_class(model, f.name)
