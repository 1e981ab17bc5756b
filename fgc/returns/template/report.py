"""Validating a filled template: a ``ValidationReport`` the CLI and the hub print like any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from fgc.engine.validate import ValidationReport
from fgc.returns.template.read import read_template
from fgc.returns.template_checks import CHECKS_BY_CODE
from fgc.standard import Standard, load_standard


class TemplateReport(ValidationReport):
    """A ``ValidationReport`` for a template: the AGG checks' messages in the summary."""

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        if self.findings.is_empty():
            return []
        grouped = (
            self.findings.group_by("code", maintain_order=True)
            .agg(
                pl.len().alias("count"),
                pl.col("severity").first(),
                pl.col("row").drop_nulls().unique(maintain_order=True).head(examples).alias("rows"),
                pl.col("field").drop_nulls().unique(maintain_order=True).alias("fields"),
            )
            .sort("code")
        )
        return [
            {
                "code": g["code"],
                "severity": g["severity"],
                "message": CHECKS_BY_CODE[g["code"]].message,
                "count": g["count"],
                "rows": list(g["rows"]),
                "fields": list(g["fields"]),
            }
            for g in grouped.iter_rows(named=True)
        ]


def validate_template(
    source: str | Path | bytes, *, standard: Standard | None = None
) -> TemplateReport:
    """Check a filled template; a report the validate CLI and the hub print like any other."""
    std = standard or load_standard()
    frame, findings = read_template(source, standard=std)
    name = source if isinstance(source, bytes) else Path(source).name
    return TemplateReport(
        standard_version=std.version,
        rows=frame.height,
        findings=findings,
        source=None if isinstance(name, bytes) else name,
    )
