"""What the import's mapping page offers: target fields, sample values, unconverted codes."""

from __future__ import annotations

from typing import Any

from fgc.casework import importer
from fgc.casework.models import LocalFieldDefinition
from fgc.standard import load_standard


def _targets(local_defs: list[LocalFieldDefinition]) -> list[tuple[str, str]]:
    std = load_standard()
    items = [("", "Ignore this column")]
    items += [(f.name, f"{f.label} ({f.name})") for f in std.fields]
    items += [(d.column, f"{d.label} (local field)") for d in local_defs]
    return items


def _samples(read: Any) -> list[str]:
    """A few distinct values of each column, so a person can tell what it holds."""
    out = []
    for c in read.data_columns:
        values = read.frame.get_column(c).drop_nulls().unique(maintain_order=True).head(3)
        out.append(", ".join(str(v)[:30] for v in values.to_list()))
    return out


def _unmapped_values(mapped: importer.Mapped) -> list[dict[str, Any]]:
    """Values of code fields that did not convert: offer the code list for each."""
    std = load_standard()
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for p in mapped.problems:
        field = _field_for_problem(mapped, p)
        if field is None or (field, p.value) in seen:
            continue
        f = std.field(field)
        cl = std.codelist_for(f)
        if cl is None or f.codelist == "la":
            continue
        seen.add((field, p.value))
        out.append(
            {
                "field": field,
                "label": f.label,
                "raw": p.value,
                "index": len(out),
                "choices": [(c.code, c.label) for c in cl.codes],
            }
        )
    return out


def _field_for_problem(mapped: importer.Mapped, p: importer.Problem) -> str | None:
    target = mapped.columns.get(p.column)
    return target if target and not target.startswith(importer.LOCAL_PREFIX) else None


def _suggested_value_rows(suggested: dict[str, Any]) -> list[dict[str, Any]]:
    """Every distinct value of each coded column with its suggested code preselected."""
    std = load_standard()
    out: list[dict[str, Any]] = []
    for field, values in suggested["value_confidence"].items():
        f = std.field(field)
        cl = std.codelist_for(f)
        if cl is None:
            continue
        for raw, c in values.items():
            out.append(
                {
                    "field": field,
                    "label": f.label,
                    "raw": raw,
                    "index": len(out),
                    "selected": c["code"],
                    "choices": [(code.code, code.label) for code in cl.codes],
                }
            )
    return out
