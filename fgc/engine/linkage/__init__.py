"""Link FGC records to the statutory data councils already send the DfE (SSDA903, CIN)."""

from fgc.engine.linkage.schema import GROUPS, LINKED_SCHEMA, LIVING_ARRANGEMENTS, empty_linked

__all__ = ["GROUPS", "LINKED_SCHEMA", "LIVING_ARRANGEMENTS", "empty_linked"]
