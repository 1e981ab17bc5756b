"""Casework pages. Every record is fetched through ``for_user`` (404 otherwise); every view
and change of a child's record is written to the audit log.

One module per area of the service; the pages are re-exported here for ``urls.py``.
"""

from fgc.casework.views.access import audit
from fgc.casework.views.caseload import home
from fgc.casework.views.children import child
from fgc.casework.views.cin_census import CIN_ACTIONS, returns_cin
from fgc.casework.views.episodes import assign, episode_detail, episode_new, step
from fgc.casework.views.exports import export
from fgc.casework.views.imports import IMPORT_SESSION, import_map, import_preview, import_upload
from fgc.casework.views.local_field_definitions import local_fields
from fgc.casework.views.network import network_member
from fgc.casework.views.outcomes import outcomes
from fgc.casework.views.quality import data_quality
from fgc.casework.views.return_pages import returns
from fgc.casework.views.reviews import review

__all__ = [
    "CIN_ACTIONS",
    "IMPORT_SESSION",
    "assign",
    "audit",
    "child",
    "data_quality",
    "episode_detail",
    "episode_new",
    "export",
    "home",
    "import_map",
    "import_preview",
    "import_upload",
    "local_fields",
    "network_member",
    "outcomes",
    "returns",
    "returns_cin",
    "review",
    "step",
]
