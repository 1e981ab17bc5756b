"""What offering an FGC to every family not yet offered one could achieve, per area.

For each council, the children in pre-proceedings **not offered** an FGC in the period
(financial year of the index date) are the families the question is about::

    referred            = not offered × uptake share
    looked after, now   = referred × baseline rate
    fewer looked after  = referred × baseline rate × (1 − relative risk)
    saving              = referred × net saving per child referred

The baseline rate is the council's own rate of being looked after at 12 months among
children not offered an FGC (all periods whose outcome was due), when at least
``baseline_min_children`` such children are known; otherwise the trial's usual-care rate.
The relative risk and the saving are the trial's (``assumptions.toml``). Regions and England
count the children of all their councils; their baseline rate is weighted by the councils
whose count is published (0, or above the disclosure threshold), since a hidden council's 1
to 5 children would move it by a step that tells how many (the trial's rate when every
council with children is hidden). ``suppression.shown_estimate`` then scales an area's
figures to its rounded count before anything is shown.

Uncertainty is carried through by simulation: the relative risk, the saving and every
council's baseline are drawn (``draws`` times, seeded, so the same inputs always give the
same interval) from the distributions in the assumptions file — a council's own baseline
from its Jeffreys beta posterior — and the 2.5th and 97.5th percentiles of the sums are the
95% interval. The central figures are the formulas at the central values.

``sensitivity`` recomputes one area with values a user chose: a chosen relative risk or
saving keeps its uncertainty around the new value; a chosen baseline rate or uptake share is
taken as fixed. It is arithmetic on the cached ``impact_inputs`` and is cheap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from fgc.engine.disclosure import DisclosureConfig
from fgc.engine.impact.assumptions import Assumption, Assumptions, load_assumptions
from fgc.engine.impact.compare import LA, LEVELS, NATIONAL, REGION, pre_proceedings
from fgc.engine.linkage.schema import GROUP_NOT_OFFERED
from fgc.engine.periods import Period
from fgc.standard import ENGLAND_CODE

Vector = npt.NDArray[np.float64]
OWN, TRIAL, CHOSEN = "council", "trial", "chosen"
BASELINE_SOURCES = {
    OWN: "the council's own rate among children not offered an FGC",
    TRIAL: "the trial's usual-care rate (too few of the council's own children were known)",
    CHOSEN: "the rate you chose",
}

INPUT_SCHEMA: dict[str, pl.DataType] = {
    "la_code": pl.Utf8(),
    "region_code": pl.Utf8(),
    "period": pl.Utf8(),
    "not_offered": pl.Int64(),  # children not offered an FGC, index date in the period
    "baseline_children": pl.Int64(),  # not offered, 12-month outcome due (any period)
    "baseline_events": pl.Int64(),  # ... and looked after at 12 months
}


def financial_year(d: date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return Period(start).year_label


def impact_inputs(linked: pl.DataFrame, period: str | None = None) -> pl.DataFrame:
    """Per council: children not offered in ``period`` (default: the latest year with any)
    and the council's baseline counts, in ``INPUT_SCHEMA``."""
    frame = pre_proceedings(linked).filter(pl.col("group") == GROUP_NOT_OFFERED)
    dated = frame.filter(pl.col("index_date").is_not_null())
    if period is None:
        if dated.height == 0:
            return pl.DataFrame(schema=INPUT_SCHEMA)
        period = financial_year(dated.get_column("index_date").max())  # type: ignore[arg-type]
    p = Period.parse(period)
    due = pl.col("looked_after_12m").is_not_null()
    out = frame.group_by("la_code", "region_code").agg(
        pl.col("index_date").is_between(p.start, p.end).fill_null(False).sum().alias("not_offered"),
        due.sum().alias("baseline_children"),
        pl.col("looked_after_12m").fill_null(False).sum().alias("baseline_events"),
    )
    return (
        out.with_columns(pl.lit(p.year_label).alias("period"))
        .select(pl.col(c).cast(t) for c, t in INPUT_SCHEMA.items())
        .sort("la_code")
    )


@dataclass(frozen=True)
class Scenario:
    """Values a user chose; None keeps the assumption (or the council's own baseline)."""

    relative_risk: float | None = None
    saving_per_child: float | None = None
    uptake_share: float | None = None
    baseline_rate: float | None = None


@dataclass(frozen=True)
class Figure:
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ImpactEstimate:
    geographic_level: str
    area_code: str
    period: str
    not_offered: int
    referred: float
    baseline_rate: float  # the children-weighted baseline over the area's councils
    baseline_source: str  # OWN, TRIAL, CHOSEN, or "mixed" over several councils
    looked_after_now: Figure  # expected looked after at 12 months without FGCs
    fewer_looked_after: Figure
    saving: Figure
    relative_risk: Assumption
    saving_per_child: Assumption
    uptake_share: float


def _rng(seed: int, stream: str) -> np.random.Generator:
    # One stream per council (and one shared) so an area's draws never depend on which
    # other councils are in the data: a council's interval is the same on every page.
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def _draws(a: Assumption, n: int, rng: np.random.Generator) -> Vector:
    if a.distribution == "fixed" or a.spread == 0:
        return np.full(n, a.value)
    z = rng.standard_normal(n)
    x = a.centre + a.spread * z
    if a.distribution == "lognormal":
        return np.exp(x)
    if a.distribution == "logitnormal":
        return 1 / (1 + np.exp(-x))
    return x


@dataclass(frozen=True)
class _Council:
    la_code: str
    not_offered: int
    rate: float
    source: str
    draws: Vector


def _councils(inputs: pl.DataFrame, a: Assumptions, s: Scenario) -> list[_Council]:
    out = []
    for r in inputs.sort("la_code").iter_rows(named=True):
        rng = _rng(a.seed, f"baseline-{r['la_code']}")
        k, n = int(r["baseline_events"]), int(r["baseline_children"])
        if s.baseline_rate is not None:
            c = _Council(
                r["la_code"],
                r["not_offered"],
                s.baseline_rate,
                CHOSEN,
                np.full(a.draws, s.baseline_rate),
            )
        elif n >= a.baseline_min_children:
            draws = rng.beta(k + 0.5, n - k + 0.5, a.draws)
            c = _Council(r["la_code"], r["not_offered"], k / n, OWN, draws)
        else:
            b = a.baseline_rate
            c = _Council(r["la_code"], r["not_offered"], b.value, TRIAL, _draws(b, a.draws, rng))
        out.append(c)
    return out


def _figure(central: float, draws: Vector) -> Figure:
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return Figure(float(central), float(lo), float(hi))


def _scenario_assumptions(a: Assumptions, s: Scenario) -> tuple[Assumption, Assumption, float]:
    rr = a.relative_risk if s.relative_risk is None else a.relative_risk.centred_on(s.relative_risk)
    saving = a.saving_per_child
    if s.saving_per_child is not None:
        saving = saving.centred_on(s.saving_per_child)
    uptake = a.uptake_share.value if s.uptake_share is None else s.uptake_share
    return rr, saving, uptake


@dataclass(frozen=True)
class _Fallback:
    """The rate an area takes when none of its councils' counts is published."""

    rate: float
    source: str
    draws: Vector


def _weighted(
    level: str, councils: list[_Council], threshold: int, fallback: _Fallback
) -> tuple[float, Vector, set[str]]:
    """The area's baseline rate, its draws and sources, weighted by children not offered.

    A region or England weights only the councils whose count is published (0, or above
    ``threshold``): a hidden council's 1 to ``threshold`` children would otherwise move the
    area's rate by a step that tells how many there are."""
    rated = councils
    if level != LA:
        rated = [c for c in councils if not 1 <= c.not_offered <= threshold]
    w = np.array([c.not_offered for c in rated], dtype=float)
    if w.sum() > 0:
        rates = np.array([c.rate for c in rated], dtype=float)
        draws = (w @ np.vstack([c.draws for c in rated])) / w.sum()
        return float(w @ rates / w.sum()), draws, {c.source for c in rated if c.not_offered}
    if any(c.not_offered for c in councils):  # every council with children is hidden
        return fallback.rate, fallback.draws, {fallback.source}
    rate = float(np.mean([c.rate for c in councils])) if councils else 0.0
    return rate, np.full(len(fallback.draws), rate), set()


def _estimate(
    level: str,
    code: str,
    period: str,
    councils: list[_Council],
    rr: Assumption,
    saving: Assumption,
    uptake: float,
    rr_draws: Vector,
    saving_draws: Vector,
    threshold: int,
    fallback: _Fallback,
) -> ImpactEstimate:
    n = sum(c.not_offered for c in councils)
    referred = float(n) * uptake
    rate, rate_draws, sources = _weighted(level, councils, threshold, fallback)
    now, now_draws = referred * rate, referred * rate_draws
    source = sources.pop() if len(sources) == 1 else ("mixed" if sources else OWN)
    return ImpactEstimate(
        level,
        code,
        period,
        n,
        referred,
        rate,
        source,
        _figure(now, now_draws),
        _figure(now * (1 - rr.value), now_draws * (1 - rr_draws)),
        _figure(referred * saving.value, referred * saving_draws),
        rr,
        saving,
        uptake,
    )


def estimate(
    inputs: pl.DataFrame,
    scenario: Scenario | None = None,
    assumptions: Assumptions | None = None,
    *,
    levels: tuple[str, ...] = LEVELS,
    threshold: int = DisclosureConfig().threshold,
) -> list[ImpactEstimate]:
    """The estimate for every council, region and England in ``inputs``; ``threshold`` is
    the disclosure threshold a council's count of children not offered is hidden under."""
    a = assumptions or load_assumptions()
    s = scenario or Scenario()
    check_scenario(s)
    rr, saving, uptake = _scenario_assumptions(a, s)
    shared = _rng(a.seed, "shared")
    rr_draws = _draws(rr, a.draws, shared)
    saving_draws = _draws(saving, a.draws, shared)
    if s.baseline_rate is not None:
        fallback = _Fallback(s.baseline_rate, CHOSEN, np.full(a.draws, s.baseline_rate))
    else:
        b = a.baseline_rate
        fallback = _Fallback(b.value, TRIAL, _draws(b, a.draws, _rng(a.seed, "baseline-area")))
    councils = _councils(inputs, a, s)
    by_code = {c.la_code: c for c in councils}
    period = str(inputs.get_column("period")[0]) if inputs.height else ""
    region_of = dict(zip(inputs["la_code"], inputs["region_code"], strict=True))
    areas: list[tuple[str, str, list[_Council]]] = []
    if LA in levels:
        areas += [(LA, c.la_code, [c]) for c in councils]
    if REGION in levels:
        for reg in sorted(set(region_of.values())):
            areas.append((REGION, reg, [by_code[la] for la, r in region_of.items() if r == reg]))
    if NATIONAL in levels:
        areas.append((NATIONAL, ENGLAND_CODE, councils))
    return [
        _estimate(
            lv, code, period, cs, rr, saving, uptake, rr_draws, saving_draws, threshold, fallback
        )
        for lv, code, cs in areas
    ]


def sensitivity(
    inputs: pl.DataFrame,
    area_code: str,
    scenario: Scenario,
    assumptions: Assumptions | None = None,
) -> ImpactEstimate:
    """One area's estimate with a user's values (cheap: no data are read)."""
    if area_code == ENGLAND_CODE:
        level, rows = NATIONAL, inputs
    elif area_code in set(inputs.get_column("la_code").to_list()):
        level, rows = LA, inputs.filter(pl.col("la_code") == area_code)
    else:
        level, rows = REGION, inputs.filter(pl.col("region_code") == area_code)
    found = estimate(rows, scenario, assumptions, levels=(level,))
    if not found:
        return estimate(rows.clear(), scenario, assumptions, levels=(NATIONAL,))[0]
    return found[0]


class ScenarioError(ValueError):
    """A chosen value outside what the estimate can use; the message names it."""


# (field, lowest, highest, what a person is told)
SCENARIO_LIMITS: dict[str, tuple[float, float, str]] = {
    "relative_risk": (0.01, 2.0, "a relative risk from 0.01 to 2"),
    "saving_per_child": (-100_000.0, 100_000.0, "a saving from -£100,000 to £100,000"),
    "uptake_share": (0.0, 1.0, "a share from 0% to 100%"),
    "baseline_rate": (0.0, 1.0, "a rate from 0% to 100%"),
}


def check_scenario(s: Scenario) -> None:
    for name, (lo, hi, what) in SCENARIO_LIMITS.items():
        v = getattr(s, name)
        if v is not None and not (np.isfinite(v) and lo <= v <= hi):
            raise ScenarioError(f"{name.replace('_', ' ').capitalize()} must be {what}")
