"""What a council page needs (``Context``) and the councils it is compared with."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from fgc.engine.insight import TOTAL, InsightResult, benchmark
from fgc.engine.insight import get_measure as _get_measure
from fgc.engine.insight.published import COLUMNS as PUBLISHED_COLUMNS
from fgc.insight_web.presenters.formatting import fmt, is_missing
from fgc.insight_web.presenters.labels import SYMBOLS_KEY, SYMBOLS_NOTE
from fgc.insight_web.presenters.memo import _benches, _memo_get, _memo_put, _published_map
from fgc.standard import get_la, local_authorities, statistical_neighbours

_EMPTY_PUBLISHED: dict[str, Any] = {
    **dict.fromkeys(PUBLISHED_COLUMNS, pl.Utf8),
    "pvalue": pl.Float64,
}


@dataclass
class Context:
    """What a council page needs: the result, published values per period, who is looking."""

    result: InsightResult
    published: dict[str, pl.DataFrame]  # period → published values
    la_code: str
    period: str
    own: bool
    comparator: str = "neighbours"
    codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.la = get_la(self.la_code)
        self.pub = {p: _published_map(f) for p, f in self.published.items()}
        # The council's own headline values, every period, in one pass over the tables.
        self.own_values: dict[tuple[str, str], float | None] = {}
        for g, t in self.result.tables.items():
            if g == "equity":
                continue
            rows = t.filter(
                (pl.col("la_code") == self.la.old_la_code) & (pl.col("breakdown_topic") == TOTAL)
            )
            for per, m, v in rows.select("period", "measure", "value").iter_rows():
                self.own_values[(per, m)] = v
        self._bench: dict[str, dict[str, Any]] | None = None

    def bench(self) -> dict[str, dict[str, Any]]:
        """``benchmark`` rows by measure (rank, band, labels), computed once per page."""
        if self._bench is None:
            key = (
                id(self.result),
                self.la.old_la_code,
                self.period,
                self.comparator,
                self.codes,
                self.own,
                tuple(id(f) for f in self.published.values()),
            )
            hit = _memo_get(_benches, key)
            if hit is not None and hit[0] is self.result:
                self._bench = hit[1]
                return hit[1]  # type: ignore[no-any-return]
            self._bench = self._compute_bench()
            _memo_put(_benches, key, (self.result, self._bench))
        return self._bench

    def _compute_bench(self) -> dict[str, dict[str, Any]]:
        comp: str | list[str] = "neighbours"
        if self.comparator == "custom" and self.codes:
            comp = list(self.codes)
        elif self.comparator == "all_with_data":
            comp = "all_with_data"
        # Comparators and the rank's other councils are published values; the council's own
        # figure is unsuppressed only for its own staff.
        frame = benchmark(
            self.result,
            self.la.old_la_code,
            period=self.period,
            comparator=comp,
            published=self.published_for,
            own=self.own,
        )
        return {r["measure"]: r for r in frame.iter_rows(named=True)}

    def published_for(self, period: str) -> pl.DataFrame:
        frame = self.published.get(period)
        if frame is None:  # a period with no published values: nothing may be shown
            return pl.DataFrame(schema=_EMPTY_PUBLISHED)
        return frame

    def shown(self, measure: str, period: str | None = None) -> str:
        """The council's figure: unsuppressed for its own staff, published otherwise."""
        per = period or self.period
        if self.own:
            return fmt(self.own_values.get((per, measure)), _get_measure(measure).kind)
        return self.pub.get(per, {}).get((self.la.old_la_code, measure), ("x", None))[0]

    def area(self, code: str, measure: str, period: str | None = None) -> str:
        per = period or self.period
        return self.pub.get(per, {}).get((code, measure), ("x", None))[0]

    def area_value(self, code: str, measure: str, period: str | None = None) -> float | None:
        per = period or self.period
        return self.pub.get(per, {}).get((code, measure), ("x", None))[1]

    def mean_of(self, codes: Sequence[str], measure: str) -> tuple[float | None, int]:
        vals = [
            v
            for c in codes
            if c != self.la.old_la_code
            and (v := self.area_value(c, measure)) is not None
            and not math.isnan(v)
        ]
        return (sum(vals) / len(vals) if vals else None, len(vals))

    @property
    def symbols_note(self) -> str:
        """What the symbols mean, and which figures are published, for this viewer."""
        if self.own:
            return SYMBOLS_NOTE
        return f"All figures on this page are published (suppressed and rounded). {SYMBOLS_KEY}"

    def has_figures(self, period: str | None = None) -> bool:
        """Whether the page has any figure of this council's for the period (else: say so)."""
        per = period or self.period
        if self.own:
            return any(p == per and not is_missing(v) for (p, _), v in self.own_values.items())
        return any(
            code == self.la.old_la_code and text != "x"
            for (code, _), (text, _v) in self.pub.get(per, {}).items()
        )

    def value_for_chart(self, measure: str, period: str | None = None) -> float | None:
        text = self.shown(measure, period)
        try:
            return float(text)
        except ValueError:
            return None


def neighbour_codes(la_code: str) -> list[str]:
    return [n.neighbour_code for n in statistical_neighbours().get(la_code, ())]


def comparator_codes(ctx: Context) -> tuple[str, list[str]]:
    if ctx.comparator == "all_with_data":
        return "All councils with data", [la.old_la_code for la in local_authorities()]
    if ctx.comparator == "custom":
        return "Your selected councils", list(ctx.codes)
    return "", []
