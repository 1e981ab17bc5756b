"""Headline figures as they may be shown beyond the council they describe.

The rules live in the core (``fgc.engine.insight.published``) so that the pages, the
one-page report and ``fgc insight`` apply exactly the same disclosure control; the pages
read them through this module and cache them per accepted data (``services.published``).
"""

from fgc.engine.insight.published import (
    COLUMNS,
    LA,
    PublishedFor,
    hidden_counts,
    published_provider,
    published_values,
    release_for,
)

__all__ = [
    "COLUMNS",
    "LA",
    "PublishedFor",
    "hidden_counts",
    "published_provider",
    "published_values",
    "release_for",
]
