"""Comparison and impact: what happens to children who had an FGC, beside similar children
who did not, and what offering one to every family in pre-proceedings could achieve.

Frames in, frames out; never imports Django. Reads only the linked-outcomes frame
(``fgc.engine.linkage.schema.LINKED_SCHEMA``). Public API::

    from fgc.engine.impact import compare, impact_inputs, estimate, sensitivity, Scenario
    comparison = compare(linked)              # groups and contrasts per council/region/England
    shown = suppress_comparison(comparison)   # small groups removed, areas' counts rounded
    inputs = impact_inputs(linked)            # per council: children not offered, baseline
    estimates = estimate(inputs)              # per council, region, England, with intervals
    what_if = sensitivity(inputs, "805", Scenario(relative_risk=0.9))
    published = shown_estimate(what_if)       # None when hidden; areas over rounded counts
"""

from fgc.engine.impact.adjusted import Adjusted, adjusted_comparison
from fgc.engine.impact.assumptions import (
    Assumption,
    AssumptionError,
    Assumptions,
    load_assumptions,
)
from fgc.engine.impact.compare import (
    ADJUSTED,
    LEVELS,
    UNADJUSTED,
    Comparison,
    ImpactError,
    compare,
)
from fgc.engine.impact.definitions import (
    CAVEAT,
    COMPARED,
    COVARIATES,
    GROUP_LABELS,
    OUTCOMES,
    REFERENCE,
    SCOPE,
    Outcome,
)
from fgc.engine.impact.estimate import (
    Figure,
    ImpactEstimate,
    Scenario,
    ScenarioError,
    estimate,
    impact_inputs,
    sensitivity,
)
from fgc.engine.impact.suppression import (
    impact_hidden,
    not_offered_text,
    shown_estimate,
    suppress_comparison,
)

__all__ = [
    "ADJUSTED",
    "CAVEAT",
    "COMPARED",
    "COVARIATES",
    "GROUP_LABELS",
    "LEVELS",
    "OUTCOMES",
    "REFERENCE",
    "SCOPE",
    "UNADJUSTED",
    "Adjusted",
    "Assumption",
    "AssumptionError",
    "Assumptions",
    "Comparison",
    "Figure",
    "ImpactError",
    "ImpactEstimate",
    "Outcome",
    "Scenario",
    "ScenarioError",
    "adjusted_comparison",
    "compare",
    "estimate",
    "impact_hidden",
    "impact_inputs",
    "load_assumptions",
    "not_offered_text",
    "sensitivity",
    "shown_estimate",
    "suppress_comparison",
]
