"""Match a file's column headers to the standard's field names and labels."""

from __future__ import annotations

import re
from functools import cache

from fgc.standard import Standard

# Case, spaces, underscores, hyphens (and apostrophes/full stops) do not change what a header
# means: "Episode ID", "episode_id" and "EPISODE-ID" are the same column.
_IGNORED = re.compile(r"[\s_\-'’.]+")


def normalise_header(header: str) -> str:
    return _IGNORED.sub("", header).casefold()


def header_lookup(standard: Standard) -> dict[str, str]:
    """Normalised field name or label -> field name, for every field of the standard."""
    return _lookup(tuple((f.name, f.label) for f in standard.fields))


@cache
def _lookup(names_and_labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, label in names_and_labels:
        for key in (normalise_header(name), normalise_header(label)):
            other = lookup.setdefault(key, name)
            if other != name:  # two fields that read the same would make imports ambiguous
                raise ValueError(f"Fields {other} and {name} both match the header {key!r}")
    return lookup


def match_header(header: str, standard: Standard) -> str | None:
    """The standard field a header means, or None for a column the standard does not have."""
    return header_lookup(standard).get(normalise_header(header))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names a column, for messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
