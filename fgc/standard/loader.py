"""Load a version of the standard from its TOML data file."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from fgc.standard.la import la_codelist
from fgc.standard.model import Code, CodeList, Condition, Field, Standard

CURRENT_VERSION = "0.1"


def _data_file(version: str) -> str:
    return f"fgc-standard-{version}.toml"


def available_versions() -> list[str]:
    files = resources.files("fgc.standard").joinpath("data").iterdir()
    names = [p.name for p in files if p.name.startswith("fgc-standard-")]
    return sorted(n.removeprefix("fgc-standard-").removesuffix(".toml") for n in names)


def _codelist(name: str, raw: dict[str, Any]) -> CodeList:
    codes = tuple(Code(c["code"], c["label"], c.get("group")) for c in raw["codes"])
    return CodeList(name=name, title=raw["title"], source=raw["source"], codes=codes)


def _condition(name: str, raw: dict[str, Any]) -> Condition:
    return Condition(
        name=name,
        op=raw["op"],
        field=raw.get("field"),
        value=raw.get("value"),
        values=tuple(raw.get("values", ())),
        of=tuple(raw.get("of", ())),
    )


@cache
def load_standard(version: str = CURRENT_VERSION) -> Standard:
    """Return the standard of the given version (cached; the declarations are immutable)."""
    if version not in available_versions():
        raise ValueError(
            f"Unknown standard version {version!r}; available: {', '.join(available_versions())}"
        )
    text = resources.files("fgc.standard").joinpath("data", _data_file(version)).read_text("utf-8")
    raw = tomllib.loads(text)
    codelists = {name: _codelist(name, body) for name, body in raw["codelists"].items()}
    codelists["la"] = la_codelist()
    conditions = {name: _condition(name, body) for name, body in raw["conditions"].items()}
    fields = tuple(Field(**f) for f in raw["fields"])
    std = Standard(
        version=raw["standard"]["version"],
        title=raw["standard"]["title"],
        status=raw["standard"]["status"],
        published=raw["standard"]["published"],
        fields=fields,
        codelists=codelists,
        conditions=conditions,
    )
    _check_consistency(std)
    return std


def _check_consistency(std: Standard) -> None:
    """Fail loudly at load time if the data file refers to something it does not declare."""
    for f in std.fields:
        if f.codelist and f.codelist not in std.codelists:
            raise ValueError(f"Field {f.name} names unknown code list {f.codelist}")
        if f.type in ("code", "codes", "yn") and not f.codelist:
            raise ValueError(f"Field {f.name} of type {f.type} needs a code list")
        for cond in (f.required, f.outcome_required):
            if cond and cond not in std.conditions:
                raise ValueError(f"Field {f.name} names unknown condition {cond}")
    for c in std.conditions.values():
        if c.field and not std.has_field(c.field):
            raise ValueError(f"Condition {c.name} names unknown field {c.field}")
        for sub in c.of:
            if sub not in std.conditions:
                raise ValueError(f"Condition {c.name} names unknown condition {sub}")
