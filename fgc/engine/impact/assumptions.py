"""The impact estimate's assumptions, read from ``data/assumptions.toml``.

Each assumption has a central value, a 95% interval, a distribution for the simulation,
and its source; the pages and the ``fgc insight`` report show them as they are read here.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from fgc.engine.insight.equity import Z

Distribution = Literal["lognormal", "normal", "logitnormal", "fixed"]
KEYS: tuple[str, ...] = ("relative_risk", "saving_per_child", "baseline_rate", "uptake_share")
DISTRIBUTIONS: tuple[str, ...] = ("lognormal", "normal", "logitnormal", "fixed")


class AssumptionError(ValueError):
    """The assumptions file is not as documented; the message says where."""


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class Assumption:
    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    distribution: Distribution
    source: str
    note: str

    @property
    def centre(self) -> float:
        """The value on the scale the distribution is symmetric on."""
        return self._to(self.value)

    @property
    def spread(self) -> float:
        """The standard deviation of the draws, on that scale, from the 95% interval."""
        if self.distribution == "fixed":
            return 0.0
        return (self._to(self.high) - self._to(self.low)) / (2 * Z)

    def _to(self, v: float) -> float:
        if self.distribution == "lognormal":
            return math.log(v)
        if self.distribution == "logitnormal":
            return _logit(v)
        return v

    def _from(self, v: float) -> float:
        if self.distribution == "lognormal":
            return math.exp(v)
        if self.distribution == "logitnormal":
            return _expit(v)
        return v

    def centred_on(self, value: float) -> Assumption:
        """The same uncertainty (width on its own scale) around a value a user chose."""
        if self.distribution == "fixed":
            return replace(self, value=value, low=value, high=value)
        lo = self._from(self._to(value) - (self.centre - self._to(self.low)))
        hi = self._from(self._to(value) + (self._to(self.high) - self.centre))
        return replace(self, value=value, low=lo, high=hi)


@dataclass(frozen=True)
class Assumptions:
    relative_risk: Assumption
    saving_per_child: Assumption
    baseline_rate: Assumption
    uptake_share: Assumption
    draws: int
    seed: int
    baseline_min_children: int

    def items(self) -> tuple[Assumption, ...]:
        return (self.relative_risk, self.saving_per_child, self.baseline_rate, self.uptake_share)


def _number(raw: dict[str, Any], key: str, field: str) -> float:
    v = raw.get(field)
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise AssumptionError(f"assumptions.toml [{key}] {field} must be a number")
    return float(v)


def parse(raw: dict[str, Any]) -> Assumptions:
    """Assumptions from the parsed TOML, checked (``AssumptionError`` on anything amiss)."""
    items: dict[str, Assumption] = {}
    for key in KEYS:
        section = raw.get(key)
        if not isinstance(section, dict):
            raise AssumptionError(f"assumptions.toml has no [{key}] section")
        value, low, high = (_number(section, key, f) for f in ("value", "low", "high"))
        dist = section.get("distribution")
        if dist not in DISTRIBUTIONS:
            raise AssumptionError(
                f"assumptions.toml [{key}] distribution must be one of {', '.join(DISTRIBUTIONS)}"
            )
        if not low <= value <= high:
            raise AssumptionError(f"assumptions.toml [{key}] needs low <= value <= high")
        if dist == "lognormal" and low <= 0:
            raise AssumptionError(f"assumptions.toml [{key}] low must be above 0 (lognormal)")
        if dist == "logitnormal" and not 0 < low <= high < 1:
            raise AssumptionError(f"assumptions.toml [{key}] low and high must be in (0, 1)")
        for text in ("label", "source"):
            if not str(section.get(text, "")).strip():
                raise AssumptionError(f"assumptions.toml [{key}] needs a {text}")
        items[key] = Assumption(
            key,
            str(section["label"]),
            value,
            low,
            high,
            str(section.get("unit", "")),
            dist,
            str(section["source"]),
            str(section.get("note", "")),
        )
    settings = raw.get("settings", {})
    draws = int(settings.get("draws", 10000))
    if not 100 <= draws <= 1_000_000:
        raise AssumptionError("assumptions.toml [settings] draws must be 100 to 1,000,000")
    return Assumptions(
        **items,
        draws=draws,
        seed=int(settings.get("seed", 0)),
        baseline_min_children=int(settings.get("baseline_min_children", 20)),
    )


@cache
def load_assumptions() -> Assumptions:
    """The shipped assumptions (``fgc/engine/impact/data/assumptions.toml``)."""
    text = resources.files("fgc.engine.impact").joinpath("data/assumptions.toml").read_text("utf-8")
    return parse(tomllib.loads(text))
