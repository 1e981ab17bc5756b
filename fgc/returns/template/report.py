"""Validating a filled template: a ``ValidationReport`` the CLI and the hub print like any other."""

from __future__ import annotations

from pathlib import Path

from fgc.engine.validate import ValidationReport
from fgc.returns.template.read import read_template
from fgc.returns.template_checks import CHECKS_BY_CODE
from fgc.standard import Standard, load_standard


class TemplateReport(ValidationReport):
    """A ``ValidationReport`` for a template: the AGG checks' messages in the summary."""

    def _summary_message(self, code: str, messages: list[str]) -> str:
        return CHECKS_BY_CODE[code].message


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
