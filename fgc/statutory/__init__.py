"""The statutory returns councils already send the DfE, read for linking (never Django).

Public API::

    read_episodes(sources, *, as_at=None) -> pl.DataFrame    # SSDA903 episodes, typed
    read_header(sources) -> pl.DataFrame                     # SSDA903 header, typed
    StatutoryError              # a FormatError naming the file, row and column
    PLACE_LIVING, CARE_ORDERS, layout(name)
"""

from fgc.statutory.layout import CARE_ORDERS, PLACE_LIVING, Layout, codes, layout
from fgc.statutory.ssda903 import StatutoryError, read_episodes, read_header

__all__ = [
    "CARE_ORDERS",
    "PLACE_LIVING",
    "Layout",
    "StatutoryError",
    "codes",
    "layout",
    "read_episodes",
    "read_header",
]
