"""Comparison and impact for every council, region and England (issue 10).

    uv run python benchmarks/impact_bench.py [children per council]

Prints the time to import the model code, to compare every group in every area (unadjusted
and adjusted: about 3 outcomes × 4 contrasts logistic/least-squares fits per area), to
build the impact inputs and to estimate every area (10,000 simulation draws), and one
council's sensitivity recalculation (what the page does in a request).
"""

from __future__ import annotations

import sys
import time

from fgc.engine.impact import Scenario, compare, estimate, impact_inputs, sensitivity
from fgc.standard import ENGLAND_CODE, current_authorities
from tests.engine.impact.linked import synthetic


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    print(f"{label:<48} {time.perf_counter() - t:8.2f} s")
    return out


def main() -> None:
    per_la = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    las = tuple(la.old_la_code for la in current_authorities())
    linked = synthetic(1, las=las, per_la=per_la)
    print(f"{linked.height:,} linked children in {len(las)} councils")
    timed(
        "import statsmodels model modules",
        lambda: __import__("statsmodels.discrete.discrete_model"),
    )
    c = timed("compare: every council, region, England", lambda: compare(linked))
    fits = c.contrasts.filter(c.contrasts["method"] == "adjusted")
    fitted = fits["difference"].is_not_null().sum()
    print(f"  adjusted contrasts fitted: {fitted} of {fits.height}")
    inputs = timed("impact inputs", lambda: impact_inputs(linked))
    timed("estimate: every area (10,000 draws)", lambda: estimate(inputs))
    timed("sensitivity: one council", lambda: sensitivity(inputs, "805", Scenario(0.9)))
    timed("sensitivity: England", lambda: sensitivity(inputs, ENGLAND_CODE, Scenario(0.9)))


if __name__ == "__main__":
    main()
