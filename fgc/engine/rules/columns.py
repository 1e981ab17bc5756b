"""Rules about the file's columns rather than its rows."""

from __future__ import annotations

from fgc.engine.rules.model import Rule

UNKNOWN_COLUMN = Rule(
    code="FGC026",
    severity="query",
    fields=(),
    message=(
        "A column's heading is not a field of the standard, so its data is ignored; rename it "
        "to a standard field name or remove it."
    ),
    scope="header",
)

NO_ROWS = Rule(
    code="FGC028",
    severity="error",
    fields=(),
    message=(
        "The file has a header but no rows of data: a return needs one row per child. Check "
        "you saved the right sheet or file."
    ),
    scope="header",
)

COLUMN_RULES = (UNKNOWN_COLUMN, NO_ROWS)
