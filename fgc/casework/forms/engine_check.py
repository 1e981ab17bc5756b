"""The base of the casework forms: the engine's rules run over the record as it would be saved."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.casework.forms.error_summary import error_items
from fgc.casework.wording import finding_message
from fgc.engine.rules import validate_record
from fgc.standard import Standard


class EngineCheckedForm(forms.Form):
    """Base: build the episode's rows as they would be saved, run the rules, map findings."""

    std: Standard
    queries: list[dict[str, Any]]

    def proposed_rows(self) -> list[dict[str, Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def engine_check(self) -> None:
        self.queries = []
        rows = self.proposed_rows()
        if not rows:
            return
        seen: set[tuple[str, str]] = set()
        for finding in validate_record(rows, standard=self.std):
            name = self.field_for_finding(finding)
            if name is None or name not in self.fields:
                continue
            key = (name, finding["code"])
            if key in seen:
                continue
            seen.add(key)
            f = self.std.field(finding["field"])
            text = finding_message(f, finding, getattr(self.fields[name], "fgc_kind", "text"))
            if finding["severity"] == "error":
                if not self.has_error(name):
                    self.add_error(name, text)
            else:
                self.queries.append({"field": name, "code": finding["code"], "text": text})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:  # the form's own checks first, then the standard's rules
            self.engine_check()
        return cleaned

    def error_list(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's items, in field order."""
        return error_items(self)
