"""A child's identity and characteristics."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.casework.forms.components import tag
from fgc.casework.forms.engine_check import EngineCheckedForm
from fgc.casework.forms.field_values import initial_value, value_text
from fgc.casework.forms.fields import standard_field
from fgc.casework.frame import child_record, family_record
from fgc.casework.models import Child, Episode
from fgc.casework.states import CHILD_IDENTITY
from fgc.casework.wording import DATE_EXAMPLE
from fgc.engine.conditions import evaluate_row
from fgc.standard import load_standard


class ChildForm(EngineCheckedForm):
    """A child's identity and characteristics (and name, kept in casework only)."""

    def __init__(
        self,
        data: Any = None,
        *,
        episode: Episode,
        child: Child | None = None,
        family: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data)
        self.std = load_standard()
        self.episode = episode
        self.child = child
        self.family = family if family is not None else family_record(episode)
        current = child_record(child) if child else {}
        row = {**self.family, **current}
        self.fields["name"] = forms.CharField(
            required=False,
            max_length=200,
            label="Child's name (optional)",
            help_text="Kept in casework only, encrypted; never in any return or export.",
        )
        tag(self.fields["name"], "text")
        self.initial["name"] = child.name if child else ""
        for name in CHILD_IDENTITY:
            f = self.std.field(name)
            required = f.required is not None and evaluate_row(self.std, f.required, row)
            if name in ("date_of_birth", "expected_due_date"):
                required = name == "date_of_birth" and not (child and child.is_unborn)
            self.fields[name] = standard_field(self.std, f, required_now=required)
            self.initial[name] = initial_value(f, current.get(name))
        dob = self.fields["date_of_birth"]
        dob.help_text = dob.help_text.replace(
            DATE_EXAMPLE, f"Leave blank for an unborn child. {DATE_EXAMPLE}"
        )

    def child_values(self) -> dict[str, Any]:
        return {n: self.cleaned_data.get(n) for n in CHILD_IDENTITY}

    def _others(self) -> list[Child]:
        if self.episode.pk is None:
            return []
        return [c for c in self.episode.children.all() if not self.child or c.pk != self.child.pk]

    def proposed_rows(self) -> list[dict[str, Any]]:
        mine = {**self.family, **{n: value_text(v) for n, v in self.child_values().items()}}
        return [mine] + [{**self.family, **child_record(c)} for c in self._others()]

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:
        if finding["child_index"] == 0 and finding["field"] in CHILD_IDENTITY:
            return str(finding["field"])
        return None
