"""95% intervals for rates, means and the differences and ratios between two groups.

Rates use the **Wilson score interval** (as the insight measures do above 30 children).
A difference of two rates uses **Newcombe's hybrid score interval** (his method 10), built
from the two Wilson intervals, which keeps to [−1, 1] and behaves near 0% and 100%. A ratio
of two rates uses the **Katz log interval**, undefined when either group has no events.
Means use the normal interval ``mean ± 1.96 × sd / √n`` (as the insight ``mean`` measures);
a difference of means the Welch standard error; a ratio of means the delta method on the
log scale.

Every function returns an ``Estimate``; ``None`` parts mean "cannot be computed here" (no
children, no events), never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fgc.engine.insight.equity import Z, wilson_interval


@dataclass(frozen=True)
class Estimate:
    value: float | None
    lower: float | None = None
    upper: float | None = None

    @property
    def known(self) -> bool:
        return self.value is not None


NONE = Estimate(None)


def rate(events: int, children: int) -> Estimate:
    """Proportion with its Wilson interval, as fractions in [0, 1]."""
    if children <= 0:
        return NONE
    lo, hi = wilson_interval(events, children)
    return Estimate(events / children, lo, hi)


def rate_difference(a: int, n1: int, b: int, n2: int) -> Estimate:
    """p1 − p2 with Newcombe's hybrid score interval (fractions)."""
    if n1 <= 0 or n2 <= 0:
        return NONE
    p1, p2 = a / n1, b / n2
    l1, u1 = wilson_interval(a, n1)
    l2, u2 = wilson_interval(b, n2)
    d = p1 - p2
    return Estimate(
        d,
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def rate_ratio(a: int, n1: int, b: int, n2: int) -> Estimate:
    """p1 / p2 with the Katz log interval; undefined when either group has no events."""
    if n1 <= 0 or n2 <= 0 or a <= 0 or b <= 0:
        return NONE
    rr = (a / n1) / (b / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
    return Estimate(rr, rr * math.exp(-Z * se), rr * math.exp(Z * se))


@dataclass(frozen=True)
class Sample:
    """Summary of a numeric outcome in one group: count, mean, standard deviation (n − 1)."""

    n: int
    mean: float
    sd: float

    @classmethod
    def of(cls, values: list[float]) -> Sample:
        n = len(values)
        if n == 0:
            return cls(0, math.nan, math.nan)
        m = math.fsum(values) / n
        var = math.fsum((v - m) ** 2 for v in values) / (n - 1) if n > 1 else math.nan
        return cls(n, m, math.sqrt(var))


def mean(s: Sample) -> Estimate:
    """Mean with the normal interval (the interval needs two or more values)."""
    if s.n == 0:
        return NONE
    if s.n < 2:
        return Estimate(s.mean)
    half = Z * s.sd / math.sqrt(s.n)
    return Estimate(s.mean, s.mean - half, s.mean + half)


def mean_difference(s1: Sample, s2: Sample) -> Estimate:
    """mean1 − mean2 with the Welch (unequal variances) standard error."""
    if s1.n < 2 or s2.n < 2:
        return NONE
    d = s1.mean - s2.mean
    se = math.sqrt(s1.sd**2 / s1.n + s2.sd**2 / s2.n)
    return Estimate(d, d - Z * se, d + Z * se)


def mean_ratio(s1: Sample, s2: Sample) -> Estimate:
    """mean1 / mean2, interval by the delta method on log(mean); undefined at a zero mean."""
    if s1.n < 2 or s2.n < 2 or s1.mean <= 0 or s2.mean <= 0:
        return NONE
    r = s1.mean / s2.mean
    se = math.sqrt(s1.sd**2 / (s1.n * s1.mean**2) + s2.sd**2 / (s2.n * s2.mean**2))
    return Estimate(r, r * math.exp(-Z * se), r * math.exp(Z * se))
