"""The comparison and impact section of the ``fgc insight`` council report."""

from __future__ import annotations

import polars as pl

from fgc.engine.impact.assumptions import load_assumptions
from fgc.engine.impact.compare import LA, NATIONAL, compare
from fgc.engine.impact.definitions import CAVEAT, SCOPE
from fgc.engine.impact.estimate import estimate, impact_inputs
from fgc.engine.impact.suppression import suppress_comparison
from fgc.engine.impact.tables import (
    TextTable,
    assumptions_table,
    comparison_tables,
    impact_table,
    scenario_assumptions,
)
from fgc.engine.insight.report import ExtraSection
from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, get_la


def _tuple(t: TextTable) -> tuple[str, str, list[str], list[list[str]]]:
    return (t.key, t.caption, t.header, t.rows)


def report_sections(linked: pl.DataFrame, la_code: str) -> tuple[ExtraSection, ...]:
    """Comparison and impact for ``la_code`` from a linked frame (England too when the frame
    holds other councils). Small groups are suppressed, as on the pages."""
    la = get_la(la_code)
    several = linked.get_column("la_code").n_unique() > 1
    levels = (LA, NATIONAL) if several else (LA,)
    shown = suppress_comparison(compare(linked, levels=levels))
    inputs = impact_inputs(linked)
    by_area = {e.area_code: e for e in estimate(inputs, levels=levels)}
    rows = [(la.name, la.old_la_code)] + ([(ENGLAND_NAME, ENGLAND_CODE)] if several else [])
    found = [(name, by_area[code]) for name, code in rows if code in by_area]
    period = str(inputs.get_column("period")[0]) if inputs.height else ""
    tables = [_tuple(t) for t in comparison_tables(shown, la.old_la_code, la.name)]
    if several:
        tables += [_tuple(t) for t in comparison_tables(shown, ENGLAND_CODE, ENGLAND_NAME)]
    impact: list[tuple[str, str, list[str], list[list[str]]]] = []
    if found:
        impact = [
            _tuple(impact_table(found, period)),
            _tuple(assumptions_table(scenario_assumptions(found[0][1], load_assumptions()))),
        ]
    return (
        ExtraSection(
            "Comparing groups",
            (
                f"{SCOPE}. Each group against children not offered an FGC, unadjusted and "
                "adjusted for age band, sex, ethnic group, disability and an earlier child "
                "protection plan, beside the trial's randomised figures. Groups of 1 to 5 "
                "children are not shown (c).",
            ),
            CAVEAT,
            tuple(tables),
        ),
        ExtraSection(
            "Estimated impact if every family were offered an FGC",
            (
                "Fewer children looked after at 12 months and the net saving if every family "
                "in pre-proceedings not yet offered an FGC were referred for one, from the "
                "trial's effect, with 95% intervals from a seeded simulation.",
            ),
            "An estimate, not a forecast: it assumes the trial's effect holds here.",
            tuple(impact),
        ),
    )
