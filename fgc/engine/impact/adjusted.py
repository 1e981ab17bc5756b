"""Adjusted comparison of two groups by regression and marginal standardisation.

Binary outcomes: a **logistic regression** (statsmodels) of the outcome on the group and the
covariates; each child's risk is predicted twice, as if in the group and as if in the
reference group, and averaged over every child in the two groups (marginal
standardisation). The adjusted risk difference and risk ratio are the differences and ratios
of those averages, with 95% intervals by the **delta method** from the model's covariance.
Days looked after: an ordinary least-squares regression with robust (HC1) standard errors,
standardised the same way (so the difference is the group coefficient).

Covariates are categorical (a missing value is its own level, "Not known"). A level held by
fewer than ``MIN_LEVEL_CHILDREN`` children, or (binary outcomes) in which every child had the
same outcome, is merged with the covariate's most common level, because the model cannot
estimate it; columns that add nothing (a single level, or a combination of other columns)
are left out.

Fallback, never a crash: when a model cannot be fitted — too few children in a group or with
and without the outcome, fewer than ``EVENTS_PER_TERM`` children with (and without) the
outcome per model term, every child in one group with the same outcome (separation), or the
fit does not converge — no adjusted figure is given and ``note`` says why in plain words; the
unadjusted figures stand alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from fgc.engine.derive import NOT_KNOWN
from fgc.engine.impact.definitions import COVARIATE_LABELS, Kind
from fgc.engine.impact.intervals import NONE, Estimate
from fgc.engine.insight.equity import Z

MIN_GROUP_CHILDREN = 10
MIN_OUTCOME_CHILDREN = 10  # with, and without, a binary outcome
EVENTS_PER_TERM = 5
MIN_LEVEL_CHILDREN = 10
MAX_COEFFICIENT = 20.0  # |log odds| beyond this means the fit ran off to separation
TINY = 1e-9
MAX_LOG_SPREAD = 20.0  # a ratio interval wider than e^±20 says nothing

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Adjusted:
    """Standardised values in the group and the reference, their difference and ratio."""

    group_value: float | None
    reference_value: float | None
    difference: Estimate
    ratio: Estimate
    terms: tuple[str, ...]  # the covariates the model kept
    note: str  # why there is no adjusted figure ("" when fitted)

    @property
    def fitted(self) -> bool:
        return self.difference.known


def _not_fitted(note: str) -> Adjusted:
    return Adjusted(None, None, NONE, NONE, (), note)


def _levels(frame: pl.DataFrame, column: str) -> npt.NDArray[np.str_]:
    s = frame.get_column(column)
    if s.dtype == pl.Boolean:
        s = s.replace_strict({True: "Yes", False: "No"}, return_dtype=pl.Utf8)
    return np.asarray(s.cast(pl.Utf8).fill_null(NOT_KNOWN).to_list(), dtype=str)


def _commonest(levels: npt.NDArray[np.str_]) -> tuple[str, npt.NDArray[np.str_], Matrix]:
    names, counts = np.unique(levels, return_counts=True)
    # Ties go to the last name in sorted order, so the choice never depends on row order.
    top = str(names[len(counts) - 1 - int(np.argmax(counts[::-1]))])
    return top, names, counts.astype(float)


def _merge_levels(levels: npt.NDArray[np.str_], y: Matrix, kind: Kind) -> npt.NDArray[np.str_]:
    """Merge sparse (or, for binary outcomes, single-outcome) levels into the commonest."""
    while True:
        top, names, counts = _commonest(levels)
        merge = [
            n for n, c in zip(names, counts, strict=True) if n != top and c < MIN_LEVEL_CHILDREN
        ]
        if not merge and kind == "binary":
            for n in names:
                if n != top:
                    ys = y[levels == n]
                    if ys.min() == ys.max():
                        merge.append(n)
        if not merge:
            return levels
        levels = np.where(np.isin(levels, merge), top, levels)


def _dummies(levels: npt.NDArray[np.str_]) -> Matrix:
    top, names, _ = _commonest(levels)
    others = np.array([n for n in names if n != top], dtype=str)
    return (levels[:, None] == others[None, :]).astype(float)


def _full_rank(x: Matrix) -> bool:
    return bool(np.linalg.matrix_rank(x) == x.shape[1])


def design(
    frame: pl.DataFrame, treated: Matrix, y: Matrix, covariates: Sequence[str], kind: Kind
) -> tuple[Matrix, tuple[str, ...]]:
    """[intercept, treated, dummies...] with dependent columns left out; kept covariates."""
    base = np.column_stack([np.ones(len(y)), treated])
    blocks = [(c, _dummies(_merge_levels(_levels(frame, c), y, kind))) for c in covariates]
    blocks = [(c, b) for c, b in blocks if b.shape[1]]
    x = np.column_stack([base, *(b for _, b in blocks)])
    if _full_rank(x):
        return x, tuple(c for c, _ in blocks)
    # Some columns repeat others (unborn children are all of unknown sex, say): keep each
    # column only if it adds something to those before it.
    x, kept = base, []
    for c, b in blocks:
        for i in range(b.shape[1]):
            trial = np.column_stack([x, b[:, i]])
            if _full_rank(trial):
                x = trial
                if c not in kept:
                    kept.append(c)
    return x, tuple(kept)


def _fit_logit(y: Matrix, x: Matrix) -> tuple[Matrix, Matrix] | str:
    # The model modules only: ``statsmodels.api`` would import all of SciPy's statistics.
    from statsmodels.discrete.discrete_model import Logit

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = Logit(y, x).fit(method="newton", maxiter=100, disp=0)
        except (np.linalg.LinAlgError, ValueError, ArithmeticError) as exc:
            return f"the model could not be fitted ({type(exc).__name__})"
    names = {w.category.__name__ for w in caught}
    if "PerfectSeparationWarning" in names or "PerfectSeparationError" in names:
        return "the outcome is perfectly predicted by the group and covariates (separation)"
    params = np.asarray(res.params, dtype=float)
    cov = np.asarray(res.cov_params(), dtype=float)
    if not res.mle_retvals.get("converged", False) or "ConvergenceWarning" in names:
        return "the model did not converge"
    if not (np.isfinite(params).all() and np.isfinite(cov).all()):
        return "the model's standard errors could not be computed"
    if np.abs(params).max() > MAX_COEFFICIENT:
        return "the outcome is almost perfectly predicted by the group and covariates (separation)"
    return params, cov


def _fit_ols(y: Matrix, x: Matrix) -> tuple[Matrix, Matrix] | str:
    from statsmodels.regression.linear_model import OLS

    try:
        res = OLS(y, x).fit(cov_type="HC1")
    except (np.linalg.LinAlgError, ValueError, ArithmeticError) as exc:
        return f"the model could not be fitted ({type(exc).__name__})"
    params = np.asarray(res.params, dtype=float)
    cov = np.asarray(res.cov_params(), dtype=float)
    if not (np.isfinite(params).all() and np.isfinite(cov).all()):
        return "the model's standard errors could not be computed"
    return params, cov


def _standardise(
    x: Matrix, params: Matrix, cov: Matrix, kind: Kind
) -> tuple[float, float, Estimate, Estimate]:
    x1, x0 = x.copy(), x.copy()
    x1[:, 1], x0[:, 1] = 1.0, 0.0
    if kind == "binary":
        p1 = 1 / (1 + np.exp(-(x1 @ params)))
        p0 = 1 / (1 + np.exp(-(x0 @ params)))
        g1 = ((p1 * (1 - p1))[:, None] * x1).mean(axis=0)
        g0 = ((p0 * (1 - p0))[:, None] * x0).mean(axis=0)
    else:
        p1, p0 = x1 @ params, x0 @ params
        g1, g0 = x1.mean(axis=0), x0.mean(axis=0)
    r1, r0 = float(p1.mean()), float(p0.mean())
    gd = g1 - g0
    se_d = math.sqrt(max(float(gd @ cov @ gd), 0.0))
    d = r1 - r0
    difference = Estimate(d, d - Z * se_d, d + Z * se_d)
    ratio = NONE
    # A ratio needs two clearly positive values: a linear model can predict (near) zero or
    # negative days for a group in which no child was looked after.
    if r1 > TINY and r0 > TINY:
        gr = g1 / r1 - g0 / r0
        se_r = math.sqrt(max(float(gr @ cov @ gr), 0.0))
        rr = r1 / r0
        if Z * se_r < MAX_LOG_SPREAD:
            ratio = Estimate(rr, rr * math.exp(-Z * se_r), rr * math.exp(Z * se_r))
    return r1, r0, difference, ratio


def adjusted_comparison(
    frame: pl.DataFrame,
    outcome: str,
    kind: Kind,
    treated: str,
    covariates: Sequence[str],
    *,
    group_label: str = "the group",
    reference_label: str = "the reference group",
) -> Adjusted:
    """Compare ``treated`` (a Boolean column) rows with the rest of ``frame`` on ``outcome``.

    ``frame`` holds the two groups' children whose outcome is known (no nulls in it).
    """
    t = frame.get_column(treated).cast(pl.Float64).to_numpy().astype(float)
    y = frame.get_column(outcome).cast(pl.Float64).to_numpy().astype(float)
    n1, n0 = int(t.sum()), int(len(t) - t.sum())
    for n, label in ((n1, group_label), (n0, reference_label)):
        if n < MIN_GROUP_CHILDREN:
            return _not_fitted(
                f"too few children in {label} for a model ({n}; at least "
                f"{MIN_GROUP_CHILDREN} needed)"
            )
    if kind == "binary":
        events = int(y.sum())
        smallest = min(events, len(y) - events)
        if smallest < MIN_OUTCOME_CHILDREN:
            return _not_fitted(
                f"too few children with (or without) the outcome for a model ({smallest}; at "
                f"least {MIN_OUTCOME_CHILDREN} needed)"
            )
        for mask, label in ((t == 1, group_label), (t == 0, reference_label)):
            if y[mask].min() == y[mask].max():
                return _not_fitted(
                    f"every child in {label} had the same outcome, so the model cannot be "
                    "fitted (separation)"
                )
    x, kept = design(frame, t, y, covariates, kind)
    terms = x.shape[1] - 1
    if kind == "binary" and smallest < EVENTS_PER_TERM * terms:
        return _not_fitted(
            f"too few children for {terms} model terms ({smallest} with or without the outcome;"
            f" at least {EVENTS_PER_TERM} per term needed)"
        )
    if kind == "days" and len(y) < EVENTS_PER_TERM * (terms + 1):
        return _not_fitted(
            f"too few children for {terms} model terms ({len(y)}; at least "
            f"{EVENTS_PER_TERM} per term needed)"
        )
    fit = _fit_logit(y, x) if kind == "binary" else _fit_ols(y, x)
    if isinstance(fit, str):
        return _not_fitted(fit)
    r1, r0, difference, ratio = _standardise(x, *fit, kind)
    dropped = [COVARIATE_LABELS.get(c, c) for c in covariates if c not in kept]
    note = (
        f"not adjusted for {', '.join(dropped)}: it does not vary among these children once "
        "small groups are merged"
        if dropped
        else ""
    )
    return Adjusted(r1, r0, difference, ratio, kept, note)
