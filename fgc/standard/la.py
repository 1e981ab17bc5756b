"""The local-authority reference table (DfE 3-digit codes, ONS codes, regions)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fgc.standard.model import Code, CodeList

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"


@dataclass(frozen=True)
class LocalAuthority:
    old_la_code: str  # DfE 3-digit code
    new_la_code: str  # ONS code (E06…, E08…, E09…, E10…); blank for some legacy councils
    name: str
    region_code: str
    region_name: str
    cms_vendor: str
    current: bool  # False for legacy codes kept for history (merged or split councils)


@cache
def local_authorities() -> tuple[LocalAuthority, ...]:
    """Every council, current and legacy, in DfE code order."""
    text = resources.files("fgc.standard").joinpath("data", "la_codes.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    las = [
        LocalAuthority(
            old_la_code=r["old_la_code"],
            new_la_code=r["new_la_code"],
            name=r["la_name"],
            region_code=r["region_code"],
            region_name=r["region_name"],
            cms_vendor=r["cms_vendor_reported"],
            current=r["current"] == "Y",
        )
        for r in rows
    ]
    return tuple(sorted(las, key=lambda la: la.old_la_code))


def current_authorities() -> tuple[LocalAuthority, ...]:
    return tuple(la for la in local_authorities() if la.current)


@cache
def _by_code() -> dict[str, LocalAuthority]:
    return {la.old_la_code: la for la in local_authorities()}


def get_la(code: str) -> LocalAuthority:
    """Look a council up by DfE code; KeyError names the code if it is unknown."""
    try:
        return _by_code()[str(code).strip()]
    except KeyError:
        raise KeyError(f"Unknown local authority code {code!r}") from None


def regions() -> dict[str, str]:
    """Region code → name, for current councils."""
    return {la.region_code: la.region_name for la in current_authorities()}


def la_codelist() -> CodeList:
    """Current councils as a code list (legacy codes are not valid in new returns)."""
    codes = tuple(Code(la.old_la_code, la.name, la.region_name) for la in current_authorities())
    return CodeList(name="la", title="Local authority (DfE code)", source="DfE", codes=codes)
