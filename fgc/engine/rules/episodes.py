"""Rules across the rows of an episode, and about whether a meeting was held."""

from __future__ import annotations

import polars as pl

from fgc.engine.rules.model import Rule, RuleContext, fields_where
from fgc.standard import Field, Standard

EPISODE = "episode_id"
CHILD = "child_id"


def _duplicate_check(ctx: RuleContext, f: Field) -> pl.Expr:
    both = ctx.present(EPISODE) & ctx.present(CHILD)
    return both & (pl.len().over([EPISODE, CHILD]) > 1)


def _duplicate_screen(ctx: RuleContext) -> pl.Expr:
    # Rows whose (episode, child) hash is repeated: every real duplicate, plus (in theory) a
    # hash collision, which the exact window then clears. is_duplicated on one u64 column is
    # several times cheaper than a window partitioned by two text columns. The episode's
    # hash has FGC013's seed, so a plan with both screens hashes the episode once.
    return ctx.present(EPISODE) & ctx.present(CHILD) & duplicate_key(ctx).is_duplicated()


def duplicate_key(ctx: RuleContext) -> pl.Expr:
    """FGC012's screen key: a u64 hash of (episode, child); stream mode keeps it per row."""
    return ctx.text(EPISODE).hash(0) + ctx.text(CHILD).hash(2)


DUPLICATE = Rule(
    code="FGC012",
    severity="error",
    fields=(CHILD,),
    message="The same child appears more than once in the same episode.",
    check=_duplicate_check,
    detail=lambda std, f: (
        "This child has more than one row in this episode; keep one row per child per episode."
    ),
    screen=_duplicate_screen,
)


def _family_check(ctx: RuleContext, f: Field) -> pl.Expr:
    # Compare hashes, not strings: min != max of a u64 over the episode is ~10x cheaper than
    # n_unique of text. A blank hashes to a value too, so blank vs filled counts as differing.
    h = ctx.text(f.name).hash()
    return ctx.present(EPISODE) & (h.min().over(EPISODE) != h.max().over(EPISODE))


def family_fields(std: Standard) -> tuple[str, ...]:
    return tuple(f.name for f in std.fields if f.level == "family" and f.name != EPISODE)


def _family_screen(ctx: RuleContext) -> pl.Expr:
    # One hash of all the family fields per row: an episode whose rows all hash alike agrees
    # on every field, so the per-field windows only run for the few episodes that do not.
    # Each field is hashed with its own seed and the hashes added (wrapping u64): 4x cheaper
    # than hashing a struct of the fields, and a value moved to another field still differs.
    h = family_hash(ctx)
    # Partitioned by a hash of the episode, not its text (cheaper to group by): a collision
    # only joins two episodes, which can add rows to the screen but never drop one.
    episode = ctx.text(EPISODE).hash(0)
    return ctx.present(EPISODE) & (h.min().over(episode) != h.max().over(episode))


def family_hash(ctx: RuleContext) -> pl.Expr:
    """FGC013's screen hash of a row's family fields; stream mode keeps it per row."""
    return pl.sum_horizontal(
        [ctx.text(n).hash(seed) for seed, n in enumerate(family_fields(ctx.std), start=1)]
    )


FAMILY_AGREES = Rule(
    code="FGC013",
    severity="error",
    fields=family_fields,
    message=(
        "A family-level field (the same for every child in the episode) differs between the "
        "children of one episode."
    ),
    check=_family_check,
    detail=lambda std, f: (
        f"{f.label} differs between the children of this episode; it describes the family "
        "and must be the same on every child's row."
    ),
    screen=_family_screen,
)

MEETING_ONLY_IF_HELD = Rule(
    code="FGC014",
    severity="error",
    fields=fields_where(lambda f: f.meeting_field),
    message="A meeting field is filled in but no conference date is recorded.",
    check=lambda ctx, f: ctx.cond("not_held") & ctx.present(f.name),
    detail=lambda std, f: (
        f"{f.label} is filled in but no conference date is recorded; meeting details are "
        "only recorded when a meeting was held."
    ),
)

NOT_HELD_ONLY_IF_NOT = Rule(
    code="FGC015",
    severity="error",
    fields=("not_held_reason",),
    message="A reason the meeting was not held is recorded, but a conference date is too.",
    check=lambda ctx, f: ctx.cond("held") & ctx.present(f.name),
    detail=lambda std, f: (
        f"{f.label} is filled in but a conference date is recorded; leave one of them blank."
    ),
)

EPISODE_RULES = (DUPLICATE, FAMILY_AGREES, MEETING_ONLY_IF_HELD, NOT_HELD_ONLY_IF_NOT)
