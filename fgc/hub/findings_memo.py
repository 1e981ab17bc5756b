"""A version's findings as one viewer kind sees them, read once per findings file per process.

Every report page read the findings parquet, pseudonymised it for national users and sorted
and paged it again: about 4 ms of an 11 ms request, for a file that never changes once
written. Entries are keyed by the file's path, inode, size and modification time (a
re-validation writes a new file and renames it into place, so the next request reads it
afresh), by the viewer kind (national users get pseudonymised ids and month-only dates,
council users their own values; never one for the other), the council and the pseudonym key.

Access is checked before this (``services.get_version``) and the page records its audit
event on every request; only the file reading and reshaping are shared.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.conf import settings

from fgc.hub import presenters, storage
from fgc.hub.models import SubmissionVersion
from fgc.hub.services import is_national
from fgc.hub.validation import empty_findings

# At most this many findings frames, and this many rows across them (a million-row upload
# gives ~70,000 findings; a frame of findings is ~150 bytes a row).
MAX_ENTRIES = 64
MAX_ROWS = 1_000_000
# Pages (filter, sort, page number) kept per frame.
MAX_PAGES = 16


@dataclass
class _Entry:
    frame: pl.DataFrame
    pages: OrderedDict[tuple[str, ...], presenters.ReportPage] = field(default_factory=OrderedDict)


_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()


def _key(version: SubmissionVersion, user: Any, la_code: str) -> tuple[Any, ...] | None:
    try:
        path = storage.absolute(version.findings_path)
        st = path.stat()
    except (OSError, ValueError):
        return None  # let the plain read raise as it always did
    national = is_national(user)
    secret = str(settings.FGC_PSEUDONYM_KEY) if national else ""
    return (str(path), st.st_ino, st.st_size, st.st_mtime_ns, national, la_code, secret)


def _entry(version: SubmissionVersion, user: Any, la_code: str) -> _Entry | None:
    from fgc.hub.validation import load_findings

    if not version.findings_path:
        return None
    key = _key(version, user, la_code)
    if key is None:
        return None
    with _lock:
        hit = _entries.get(key)
        if hit is not None:
            _entries.move_to_end(key)
            return hit
    frame = presenters.for_viewer(load_findings(version), user, la_code)
    made = _Entry(frame)
    with _lock:
        _entries[key] = made
        rows = sum(e.frame.height for e in _entries.values())
        while len(_entries) > 1 and (len(_entries) > MAX_ENTRIES or rows > MAX_ROWS):
            _, dropped = _entries.popitem(last=False)
            rows -= dropped.frame.height
    return made


def viewer_findings(version: SubmissionVersion, user: Any, la_code: str) -> pl.DataFrame:
    """``presenters.for_viewer(load_findings(version), user, la_code)``, shared."""
    from fgc.hub.validation import load_findings

    entry = _entry(version, user, la_code)
    if entry is None:
        if not version.findings_path:
            return empty_findings()
        return presenters.for_viewer(load_findings(version), user, la_code)
    return entry.frame


_PARAMS = ("severity", "code", "field", "sort", "page")


def report_page(
    version: SubmissionVersion, user: Any, la_code: str, params: Any
) -> presenters.ReportPage:
    """``presenters.report_page`` over the viewer's findings, shared per filter and page."""
    entry = _entry(version, user, la_code)
    if entry is None:
        return presenters.report_page(viewer_findings(version, user, la_code), params)
    wanted = tuple(str(params.get(k, "") or "") for k in _PARAMS)
    with _lock:
        page = entry.pages.get(wanted)
        if page is not None:
            entry.pages.move_to_end(wanted)
            return page
    page = presenters.report_page(entry.frame, params)
    with _lock:
        entry.pages[wanted] = page
        while len(entry.pages) > MAX_PAGES:
            entry.pages.popitem(last=False)
    return page


def clear() -> None:
    with _lock:
        _entries.clear()
