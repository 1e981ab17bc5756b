"""One step of the journey for one episode."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from fgc.casework.forms.components import tag
from fgc.casework.forms.engine_check import EngineCheckedForm
from fgc.casework.forms.field_values import initial_value, value_text
from fgc.casework.forms.fields import local_field, standard_field
from fgc.casework.frame import child_record, family_record
from fgc.casework.models import Child, Episode, LocalFieldDefinition
from fgc.casework.states import Step
from fgc.engine.conditions import evaluate_row
from fgc.standard import load_standard


class StepForm(EngineCheckedForm):
    """One step of the journey for one episode: its family fields, then each child's."""

    def __init__(
        self,
        data: Any = None,
        *,
        episode: Episode,
        step: Step,
        local_defs: Iterable[LocalFieldDefinition] = (),
    ) -> None:
        super().__init__(data)
        self.std = load_standard()
        self.episode = episode
        self.step = step
        self.children: list[Child] = list(episode.children.all())
        self.local_defs = [d for d in local_defs if d.stage == step.key]
        family = family_record(episode)
        self.sections: list[tuple[str | None, list[str]]] = []
        names = []
        for name in step.family:
            f = self.std.field(name)
            required = f.required is not None and evaluate_row(self.std, f.required, family)
            self.fields[name] = standard_field(self.std, f, required_now=required)
            self.initial[name] = initial_value(f, family[name])
            names.append(name)
        for name in step.extra:
            self.fields[name] = forms.CharField(
                required=False,
                label="Resources requested (optional)",
                help_text="What the family asked the council for. Kept in casework only.",
                widget=forms.Textarea,
            )
            tag(self.fields[name], "textarea")
            self.initial[name] = getattr(episode, name)
            names.append(name)
        by_version = sorted(episode.local_values.all(), key=lambda v: v.definition.version)
        values = {v.definition.key: v.value for v in by_version}
        for d in self.local_defs:
            key = f"local-{d.key}"
            self.fields[key] = local_field(d)
            self.initial[key] = values.get(d.key) or None
            names.append(key)
        if names:
            self.sections.append((None, names))
        for child in self.children:
            row = {**family, **child_record(child)}
            child_names = []
            for name in step.child:
                f = self.std.field(name)
                required = f.required is not None and evaluate_row(self.std, f.required, row)
                key = f"c{child.pk}-{name}"
                self.fields[key] = standard_field(self.std, f, required_now=required)
                self.initial[key] = initial_value(f, row[name])
                child_names.append(key)
            if child_names:
                self.sections.append((f"Child {child.child_id}", child_names))

    def proposed_rows(self) -> list[dict[str, Any]]:
        c = self.cleaned_data
        family = family_record(self.episode)
        family.update({n: value_text(c.get(n)) for n in self.step.family})
        rows = []
        for child in self.children:
            row = {**family, **child_record(child)}
            row.update({n: value_text(c.get(f"c{child.pk}-{n}")) for n in self.step.child})
            rows.append(row)
        return rows

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:
        name = finding["field"]
        if name in self.step.family:
            return name
        if name in self.step.child:
            index = finding["child_index"]
            if 0 <= index < len(self.children):
                return f"c{self.children[index].pk}-{name}"
        return None
