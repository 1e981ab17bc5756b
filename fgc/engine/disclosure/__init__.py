"""Disclosure control and open-data publication (DfE children's social care practice).

from fgc.engine.disclosure import TableSpec, publish, DisclosureConfig
"""

from fgc.engine.disclosure.cells import TableSpec
from fgc.engine.disclosure.checker import CheckResult, Disclosure, check_tables
from fgc.engine.disclosure.ees import Publication, check_ees, publish
from fgc.engine.disclosure.suppress import (
    Decision,
    DisclosureConfig,
    SuppressionResult,
    round_half_away,
    suppress,
)

__all__ = [
    "CheckResult",
    "Decision",
    "Disclosure",
    "DisclosureConfig",
    "Publication",
    "SuppressionResult",
    "TableSpec",
    "check_ees",
    "check_tables",
    "publish",
    "round_half_away",
    "suppress",
]
