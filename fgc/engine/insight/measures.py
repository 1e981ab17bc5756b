"""Insight measures declared as data.

A measure names a numerator and a denominator as *flag columns* (booleans added by
``fgc.engine.insight.flags``) or, for timeliness and feedback, a *value column*. The compute
step (``fgc.engine.insight.compute``) turns every declaration into rows of the same tidy
shape, so pages, charts, benchmarking and publication all read one table.

kinds
    ``count``   numerator = rows with the flag; value = numerator
    ``rate``    value = 100 × numerator / denominator (%), Wilson 95% interval
    ``share``   like ``rate`` but one row per category of ``by`` (distribution within the
                denominator, e.g. decline reasons)
    ``median``  value = median of ``value_col`` over rows with the denominator flag;
                lower/upper = lower and upper quartile; denominator = number of values
    ``mean``    value = mean of ``value_col``; lower/upper = normal 95% interval
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Polarity = Literal["high_good", "low_good", "neutral"]
Group = Literal["funnel", "timeliness", "compliance", "equity", "outcomes", "plans_voice"]
Kind = Literal["count", "rate", "share", "median", "mean"]
Level = Literal["family", "child"]

GROUPS: tuple[Group, ...] = (
    "funnel",
    "timeliness",
    "compliance",
    "equity",
    "outcomes",
    "plans_voice",
)

UNITS: dict[Kind, str] = {
    "count": "number",
    "rate": "%",
    "share": "%",
    "median": "days",
    "mean": "score",
}


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    group: Group
    kind: Kind
    level: Level
    numerator: str | None  # flag column (count, rate, share)
    denominator: str | None  # flag column restricting the rows counted / averaged
    polarity: Polarity = "neutral"
    by: str | None = None  # category column for ``share``
    value_col: str | None = None  # for ``median`` and ``mean``
    equity: bool = False  # also broken down by the equity topics
    description: str = ""

    @property
    def unit(self) -> str:
        if self.kind == "median" and self.value_col and "feedback" in self.value_col:
            return "score"
        return UNITS[self.kind]


def _registry() -> tuple[Measure, ...]:
    # Imported here so each group module can declare its own measures beside its flags.
    from fgc.engine.insight import compliance, funnel, outcomes, plans_voice, timeliness

    return (
        *funnel.MEASURES,
        *timeliness.MEASURES,
        *compliance.MEASURES,
        *outcomes.MEASURES,
        *plans_voice.MEASURES,
    )


_CACHE: dict[str, Measure] = {}


def all_measures() -> tuple[Measure, ...]:
    """Every declared measure, in page order."""
    if not _CACHE:
        for m in _registry():
            if m.name in _CACHE:
                raise ValueError(f"Measure {m.name!r} is declared twice")
            _CACHE[m.name] = m
    return tuple(_CACHE.values())


def get_measure(name: str) -> Measure:
    all_measures()
    try:
        return _CACHE[name]
    except KeyError:
        raise KeyError(f"Unknown measure {name!r}") from None


def measures_in(group: Group) -> tuple[Measure, ...]:
    """Measures of a group. ``equity`` holds the funnel measures that are broken down."""
    if group == "equity":
        return tuple(m for m in all_measures() if m.equity)
    return tuple(m for m in all_measures() if m.group == group)
