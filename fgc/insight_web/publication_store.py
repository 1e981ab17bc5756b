"""A release (``fgc.engine.disclosure.Publication``) saved to and read back from a folder.

The insight cache keeps each release on disk beside the measures, so a restarted or second
worker process reads it instead of suppressing and attacking the tables again. Plain files
only (CSV text, parquet, JSON), never pickle: the folder is data, not code.

Layout: ``manifest.json`` (period, EES problems, checker result, decisions, table specs),
``files/<table>.csv`` and ``.meta.csv`` (the release files, byte for byte),
``suppressed/<table>.parquet`` (published text values) and ``spec/<table>.parquet``
(the council-level input frames).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from fgc.engine.disclosure import (
    CheckResult,
    Decision,
    Disclosure,
    Publication,
    SuppressionResult,
    TableSpec,
)

MANIFEST = "manifest.json"
# 2: table specs carry medians (and their regional / England rows).
# 3: and public denominators with rates per 10,000 of them.
FORMAT = 3


def save_publication(pub: Publication, directory: Path) -> None:
    """Write ``pub`` into ``directory`` (which must exist and be empty)."""
    sup = pub.suppression
    for sub in ("files", "suppressed", "spec"):
        (directory / sub).mkdir()
    for name, (data, meta) in pub.files.items():
        (directory / "files" / f"{name}.csv").write_bytes(data.encode("utf-8"))
        (directory / "files" / f"{name}.meta.csv").write_bytes(meta.encode("utf-8"))
    for name, table in sup.tables.items():
        table.write_parquet(directory / "suppressed" / f"{name}.parquet")
    for name, spec in sup.specs.items():
        spec.frame.write_parquet(directory / "spec" / f"{name}.parquet")
        if spec.area_medians is not None:
            spec.area_medians.write_parquet(directory / "spec" / f"{name}.area_medians.parquet")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "period": pub.period,
        "files": list(pub.files),
        "tables": list(sup.tables),
        "problems": pub.problems,
        "specs": [
            {
                "name": s.name,
                "filters": list(s.filters),
                "counts": list(s.counts),
                "rates": [list(r) for r in s.rates],
                "labels": [list(x) for x in s.labels],
                "medians": [list(m) for m in s.medians],
                "area_medians": s.area_medians is not None,
                "public": list(s.public),
                "per_10k": [list(r) for r in s.per_10k],
            }
            for s in sup.specs.values()
        ],
        "decisions": [d.__dict__ for d in sup.decisions],
        "check": {
            "cells": sup.check.cells,
            "hidden": sup.check.hidden,
            "equations": sup.check.equations,
            "disclosures": [
                {
                    "indicator": d.cell[0],
                    "area": d.cell[1],
                    "filters": [list(fv) for fv in d.cell[2]],
                    "value": d.value,
                    "method": d.method,
                }
                for d in sup.check.disclosures
            ],
        },
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1), "utf-8")


def load_publication(directory: Path) -> Publication | None:
    """The release saved in ``directory``; None when there is none (or an older layout)."""
    path = directory / MANIFEST
    if not path.exists():
        return None
    manifest = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        return None
    files = {
        name: (
            (directory / "files" / f"{name}.csv").read_bytes().decode("utf-8"),
            (directory / "files" / f"{name}.meta.csv").read_bytes().decode("utf-8"),
        )
        for name in manifest["files"]
    }
    specs = {
        s["name"]: TableSpec(
            s["name"],
            pl.read_parquet(directory / "spec" / f"{s['name']}.parquet"),
            tuple(s["filters"]),
            tuple(s["counts"]),
            tuple((r[0], r[1], r[2], r[3]) for r in s["rates"]),
            tuple((x[0], x[1]) for x in s["labels"]),
            tuple((m[0], m[1], m[2], m[3]) for m in s["medians"]),
            pl.read_parquet(directory / "spec" / f"{s['name']}.area_medians.parquet")
            if s["area_medians"]
            else None,
            tuple(s["public"]),
            tuple((r[0], r[1], r[2], r[3]) for r in s["per_10k"]),
        )
        for s in manifest["specs"]
    }
    tables = {
        name: pl.read_parquet(directory / "suppressed" / f"{name}.parquet")
        for name in manifest["tables"]
    }
    c = manifest["check"]
    check = CheckResult(
        [
            Disclosure(
                (d["indicator"], d["area"], tuple((f, v) for f, v in d["filters"])),
                d["value"],
                d["method"],
            )
            for d in c["disclosures"]
        ],
        c["cells"],
        c["hidden"],
        c["equations"],
    )
    decisions = [Decision(**d) for d in manifest["decisions"]]
    return Publication(
        manifest["period"],
        files,
        SuppressionResult(tables, specs, decisions, check),
        list(manifest["problems"]),
    )
