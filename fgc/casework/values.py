"""How people write values, and the standard's form of them: dates, yes/no, codes by label.

Shared by the forms and the spreadsheet importer so both accept the same things.
"""

from __future__ import annotations

import re
from datetime import date

from fgc.standard import Field, Standard

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
DATE_HINT = "For example, 27/3/2025"
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def parse_date(text: str) -> date:
    """ISO ``2025-03-27`` or UK ``27/03/2025`` / ``27/3/25``; ValueError for anything else."""
    text = text.strip()
    # Spreadsheets often give "2025-03-27 00:00:00" for a date cell.
    text = re.sub(r"[ T]00:00(:00(\.0+)?)?$", "", text)
    m = _ISO.match(text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _UK.match(text)
    if m:
        year = int(m.group(3))
        if year < 100:
            year += 2000
        return date(year, int(m.group(2)), int(m.group(1)))
    raise ValueError(text)


def parse_yn(text: str) -> str:
    t = text.strip().casefold()
    if t in _YES:
        return "Y"
    if t in _NO:
        return "N"
    raise ValueError(text)


def code_lookup(std: Standard, f: Field) -> dict[str, str]:
    """Every way of writing a code that we accept (the code or its label, any case) -> code."""
    cl = std.codelist_for(f)
    if cl is None:
        return {}
    lookup: dict[str, str] = {}
    for c in cl.codes:
        lookup[c.code.casefold()] = c.code
        lookup[c.label.casefold()] = c.code
    return lookup


def to_code(std: Standard, f: Field, text: str) -> str:
    """A code (or ``;``-joined codes) from a code or label; ValueError if it is not one."""
    if f.type == "yn":
        return parse_yn(text)
    lookup = code_lookup(std, f)
    parts = [p.strip() for p in re.split(r"[;,]", text)] if f.type == "codes" else [text.strip()]
    codes = []
    for p in parts:
        if not p:
            continue
        code = lookup.get(p.casefold())
        if code is None:
            raise ValueError(p)
        codes.append(code)
    if not codes:
        raise ValueError(text)
    return ";".join(codes)
