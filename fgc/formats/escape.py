"""Formula-injection defence for every text cell we write to CSV or XLSX.

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheet programs
strip before looking) can be run as a formula when a CSV is opened in Excel. We never write
such text as it is: it gets a leading apostrophe, the OWASP-recommended neutraliser.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """Return ``value`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
