"""The FGC data standard as data: fields, code lists, conditions, councils, neighbours.

Public API::

    from fgc.standard import load_standard, get_la, current_authorities
"""

from fgc.standard.la import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    LocalAuthority,
    current_authorities,
    get_la,
    local_authorities,
    regions,
)
from fgc.standard.loader import CURRENT_VERSION, available_versions, load_standard
from fgc.standard.model import Code, CodeList, Condition, Field, Standard
from fgc.standard.neighbours import NEIGHBOURS_VERSION, Neighbour, statistical_neighbours

__all__ = [
    "CURRENT_VERSION",
    "ENGLAND_CODE",
    "ENGLAND_NAME",
    "NEIGHBOURS_VERSION",
    "Code",
    "CodeList",
    "Condition",
    "Field",
    "LocalAuthority",
    "Neighbour",
    "Standard",
    "available_versions",
    "current_authorities",
    "get_la",
    "load_standard",
    "local_authorities",
    "regions",
    "statistical_neighbours",
]
