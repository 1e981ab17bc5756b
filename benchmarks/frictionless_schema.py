"""The FGC standard as a frictionless table schema, shared by the benchmarks that compare."""

from __future__ import annotations

import time
from pathlib import Path


def frictionless_schema() -> dict[str, object]:
    """Same types, code lists, ranges, patterns and required fields as the standard."""
    from fgc.standard import load_standard

    std = load_standard()
    fields: list[dict[str, object]] = []
    for f in std.fields:
        spec: dict[str, object] = {"name": f.name, "type": "string"}
        constraints: dict[str, object] = {}
        if f.type == "date":
            spec["type"] = "date"
        elif f.type == "integer":
            spec["type"] = "integer"
            if f.min is not None:
                constraints["minimum"] = f.min
            if f.max is not None:
                constraints["maximum"] = f.max
        elif f.type in ("code", "yn") and f.codelist:
            constraints["enum"] = list(std.codelists[f.codelist].values)
        if f.required == "always":
            constraints["required"] = True
        if f.pattern:
            constraints["pattern"] = f.pattern.strip("^$")
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {"fields": fields}


def time_frictionless(sample: Path) -> float:
    """Seconds frictionless takes to validate ``sample`` against the schema (nan without it)."""
    try:
        import frictionless
    except ImportError:
        return float("nan")
    schema = frictionless.Schema.from_descriptor(frictionless_schema())
    # frictionless refuses absolute paths as "not safe": give it the folder as basepath.
    resource_ = frictionless.Resource(path=sample.name, basepath=str(sample.parent), schema=schema)
    t = time.perf_counter()
    report = frictionless.validate(resource_, limit_errors=10**9)
    if any(e.type == "resource-error" for e in report.tasks[0].errors):
        raise SystemExit(f"frictionless could not read the sample: {report.flatten(['message'])}")
    return time.perf_counter() - t
