"""The data dictionary, built from the standard's declarations (never written by hand).

`fgc standard` renders it as Markdown (docs/data-dictionary.md), JSON (for case-management
system vendors: includes a JSON Schema for one row) or XLSX (via fgc.formats; this module
only builds the tables, so the standard layer stays free of file formats).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from fgc.standard.la import current_authorities, local_authorities
from fgc.standard.model import Condition, Field, Standard

LA_CODELIST = "la"  # the council code list is the LA table, summarised rather than listed

_TYPE_TEXT = {
    "text": "text",
    "code": "one code",
    "codes": "codes separated by ;",
    "yn": "Y or N",
    "date": "date (YYYY-MM-DD)",
    "integer": "whole number",
}


def describe_condition(std: Standard, name: str) -> str:
    """A condition in words, for people: "Response to offer is ACCEPTED or DECLINED"."""
    return _describe(std, std.conditions[name])


def _describe(std: Standard, c: Condition) -> str:
    label = std.field(c.field).label if c.field else ""
    if c.op == "always":
        return "every row"
    if c.op == "present":
        return f"{label} is recorded"
    if c.op == "absent":
        return f"{label} is blank"
    if c.op == "eq":
        return f"{label} is {c.value}"
    if c.op == "not_eq":
        return f"{label} is not {c.value}"
    if c.op == "in":
        return f"{label} is {' or '.join(c.values)}"
    parts = [_describe(std, std.conditions[sub]) for sub in c.of]
    if c.op == "all":
        return " and ".join(parts)
    if c.op == "any":
        return " or ".join(parts)
    if c.op == "not":
        return f"not ({' and '.join(parts)})"
    raise ValueError(f"Unknown condition op {c.op!r} in condition {c.name!r}")


def _required(f: Field) -> str:
    return f.required_text or "no"


def _rules(f: Field) -> str:
    """Length, pattern and range limits in words."""
    rules = []
    if f.max_length:
        rules.append(f"at most {f.max_length} characters")
    if f.pattern_text:
        rules.append(f.pattern_text)
    if f.min is not None and f.max is not None:
        rules.append(f"{f.min} to {f.max}")
    elif f.min is not None:
        rules.append(f"at least {f.min}")
    elif f.max is not None:
        rules.append(f"at most {f.max}")
    return "; ".join(rules)


def _groups(std: Standard) -> dict[str, list[Field]]:
    groups: dict[str, list[Field]] = {}
    for f in std.fields:
        groups.setdefault(f.group, []).append(f)
    return groups


def la_summary() -> dict[str, Any]:
    """Counts of the councils in the LA table, overall and by region."""
    current = current_authorities()
    by_region = Counter((la.region_code, la.region_name) for la in current)
    return {
        "current": len(current),
        "legacy": len(local_authorities()) - len(current),
        "regions": [
            {"region_code": code, "region_name": name, "councils": n}
            for (code, name), n in sorted(by_region.items())
        ],
    }


# ------------------------------------------------------------------------------------ JSON


def _field_schema(std: Standard, f: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": f.label, "description": f.help}
    codelist = std.codelist_for(f)
    if f.type == "date":
        schema.update(type="string", format="date", pattern=r"^\d{4}-\d{2}-\d{2}$")
    elif f.type == "integer":
        schema["type"] = "integer"
        if f.min is not None:
            schema["minimum"] = f.min
        if f.max is not None:
            schema["maximum"] = f.max
    elif f.type in ("code", "yn") and codelist:
        schema.update(type="string", enum=list(codelist.values))
    elif f.type == "codes" and codelist:
        one = "|".join(re.escape(v) for v in codelist.values)
        schema.update(type="string", pattern=f"^({one})(;({one}))*$")
    else:
        schema["type"] = "string"
        if f.max_length:
            schema["maxLength"] = f.max_length
        if f.pattern:
            schema["pattern"] = f.pattern
    if f.required and f.required != "always":
        schema["x-required-when"] = describe_condition(std, f.required)
    return schema


def row_schema(std: Standard) -> dict[str, Any]:
    """JSON Schema (2020-12) for one child-level row; blank optional fields are omitted."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{std.title} {std.version}: one child in one FGC episode",
        "type": "object",
        "properties": {f.name: _field_schema(std, f) for f in std.fields},
        "required": [f.name for f in std.fields if f.required == "always"],
        "additionalProperties": True,
    }


def dictionary_data(std: Standard) -> dict[str, Any]:
    """Everything in the data dictionary as JSON-ready data."""
    return {
        "standard": {
            "version": std.version,
            "title": std.title,
            "status": std.status,
            "published": std.published,
        },
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "type": f.type,
                "group": f.group,
                "level": f.level,
                "national": f.national,
                "required": f.required,
                "required_text": _required(f),
                "required_when": describe_condition(std, f.required) if f.required else None,
                "codelist": f.codelist,
                "max_length": f.max_length,
                "pattern": f.pattern,
                "pattern_text": f.pattern_text,
                "min": f.min,
                "max": f.max,
                "pseudonymise": f.pseudonymise,
                "national_transform": f.national_transform,
                "help": f.help,
            }
            for f in std.fields
        ],
        "codelists": {
            name: {
                "title": cl.title,
                "source": cl.source,
                "codes": [{"code": c.code, "label": c.label, "group": c.group} for c in cl.codes],
            }
            for name, cl in std.codelists.items()
        },
        "conditions": {
            name: {
                "op": c.op,
                "field": c.field,
                "value": c.value,
                "values": list(c.values),
                "of": list(c.of),
                "description": describe_condition(std, name),
            }
            for name, c in std.conditions.items()
        },
        "local_authorities": la_summary(),
        "row_schema": row_schema(std),
    }


def render_json(std: Standard) -> str:
    return json.dumps(dictionary_data(std), indent=2, ensure_ascii=False) + "\n"


# -------------------------------------------------------------------------------- Markdown


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _anchor(name: str) -> str:
    return f"codelist-{name.replace('_', '-')}"


def render_markdown(std: Standard) -> str:
    """docs/data-dictionary.md: generated by `fgc standard --format md`; do not edit by hand."""
    out = [
        f"# FGC data dictionary: standard {std.version}",
        "",
        "<!-- Generated by `fgc standard --format md --output docs/data-dictionary.md` from",
        f"     fgc/standard/data/fgc-standard-{std.version}.toml. Do not edit by hand. -->",
        "",
        f"{std.title}, version {std.version} ({std.status}, published {std.published}).",
        f"{len(std.fields)} fields, {len(std.codelists)} code lists, "
        f"{len(std.conditions)} conditions.",
        "",
        "Column headers in an upload may be the field name or the label, in any case, with "
        "spaces, underscores or hyphens. Values are text; dates are YYYY-MM-DD. "
        "*National* fields may be carried by a national return; *level* says whether the "
        "value is the same for every child of an episode (family) or per child.",
        "",
        "## Fields",
        "",
    ]
    for group, fields in _groups(std).items():
        out += [f"### {group}", ""]
        rows: list[list[object]] = []
        for f in fields:
            codes = f"[{f.codelist}](#{_anchor(f.codelist)})" if f.codelist else ""
            rows.append(
                [
                    f"`{f.name}`",
                    f.label,
                    _TYPE_TEXT[f.type],
                    _required(f),
                    codes,
                    "yes" if f.national else "no",
                    f.level,
                    " ".join(x for x in (f.help, _rules(f) and f"Limits: {_rules(f)}.") if x),
                ]
            )
        out += _table(
            ["Field", "Label", "Type", "Required", "Code list", "National", "Level", "Notes"],
            rows,
        )
    out += ["## Code lists", ""]
    for name, cl in std.codelists.items():
        out += [f'<a id="{_anchor(name)}"></a>', "", f"### {cl.title} (`{name}`)", ""]
        source = (
            "DfE list: use exactly as published." if cl.source == "DfE" else "FGC standard list."
        )
        out += [source, ""]
        if name == LA_CODELIST:
            out += [
                f"{len(cl.codes)} current councils by DfE 3-digit code; see "
                "[Local authorities](#local-authorities) and the LAs sheet of "
                "`fgc standard --format xlsx`.",
                "",
            ]
            continue
        grouped = any(c.group for c in cl.codes)
        headers = ["Code", "Label", *(["Group"] if grouped else [])]
        out += _table(
            headers,
            [[f"`{c.code}`", c.label, *([c.group or ""] if grouped else [])] for c in cl.codes],
        )
    out += ["## Conditions", "", "When a field is required, in words.", ""]
    used_by: dict[str, list[str]] = {}
    for f in std.fields:
        if f.required:
            used_by.setdefault(f.required, []).append(f"`{f.name}`")
    out += _table(
        ["Condition", "Meaning", "Required fields"],
        [
            [f"`{name}`", describe_condition(std, name), ", ".join(used_by.get(name, []))]
            for name in std.conditions
        ],
    )
    summary = la_summary()
    out += [
        "## Local authorities",
        "",
        f"{summary['current']} current councils (and {summary['legacy']} legacy codes kept "
        "for history, not valid in new returns), from `fgc/standard/data/la_codes.csv`.",
        "",
    ]
    out += _table(
        ["Region code", "Region", "Councils"],
        [[r["region_code"], r["region_name"], r["councils"]] for r in summary["regions"]],
    )
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------------------------ XLSX


def dictionary_tables(std: Standard) -> dict[str, list[dict[str, Any]]]:
    """Rows for the workbook: "Fields", one table per code list (keyed by its name), "LAs"."""
    tables: dict[str, list[dict[str, Any]]] = {
        "Fields": [
            {
                "name": f.name,
                "label": f.label,
                "type": f.type,
                "required": _required(f),
                "required_when": describe_condition(std, f.required) if f.required else "",
                "codelist": f.codelist or "",
                "national": "yes" if f.national else "no",
                "level": f.level,
                "group": f.group,
                "rules": _rules(f),
                "pseudonymised": "yes" if f.pseudonymise else "no",
                "national_transform": f.national_transform or "",
                "help": f.help,
            }
            for f in std.fields
        ]
    }
    for name, cl in std.codelists.items():
        if name == LA_CODELIST:
            continue
        tables[name] = [
            {"code": c.code, "label": c.label, "group": c.group or "", "source": cl.source}
            for c in cl.codes
        ]
    tables["LAs"] = [
        {
            "old_la_code": la.old_la_code,
            "new_la_code": la.new_la_code,
            "la_name": la.name,
            "region_code": la.region_code,
            "region_name": la.region_name,
            "current": "yes" if la.current else "no",
        }
        for la in local_authorities()
    ]
    return tables
