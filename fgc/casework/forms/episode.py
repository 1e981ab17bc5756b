"""A new episode, with its first child."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from fgc.casework.forms.child import ChildForm
from fgc.casework.forms.components import tag
from fgc.casework.forms.engine_check import EngineCheckedForm
from fgc.casework.forms.field_values import value_text
from fgc.casework.forms.fields import standard_field
from fgc.casework.models import Episode
from fgc.casework.states import CHILD_IDENTITY, Step
from fgc.standard import load_standard


class EpisodeForm(forms.Form):
    """A new episode: its reference, the council (if the user has several) and the family step."""

    def __init__(self, data: Any = None, *, councils: Sequence[Any], step: Step) -> None:
        super().__init__(data)
        self.std = load_standard()
        self.councils = {str(c.pk): c for c in councils}
        if len(councils) > 1:
            self.fields["council"] = forms.ChoiceField(
                choices=[(str(c.pk), c.name) for c in councils],
                label="Council",
                error_messages={"required": "Select the council"},
            )
            tag(self.fields["council"], "select")
        ref = self.std.field("episode_id")
        self.fields["reference"] = standard_field(self.std, ref, required_now=False)
        self.fields[
            "reference"
        ].help_text = (
            "Your service's reference for this family's episode. Leave blank and one is made."
        )
        for name in step.family:
            f = self.std.field(name)
            self.fields[name] = standard_field(self.std, f, required_now=f.required == "always")

    def council(self) -> Any:
        if "council" in self.fields:
            return self.councils[self.cleaned_data["council"]]
        return next(iter(self.councils.values()))


class NewEpisodeForm(EngineCheckedForm):
    """Episode and first child together, checked by the rules as one record."""

    def __init__(self, data: Any = None, *, councils: Sequence[Any], step: Step) -> None:
        super().__init__(data)
        self.std = load_standard()
        self.episode_form = EpisodeForm(data, councils=councils, step=step)
        self.child_form = ChildForm(data, episode=Episode(), family={})
        self.fields.update(self.episode_form.fields)
        self.fields.update(self.child_form.fields)
        self.family_names = [
            n for n in self.episode_form.fields if n not in ("council", "reference")
        ]

    def council(self) -> Any:
        if "council" in self.fields:
            return self.episode_form.councils[self.cleaned_data["council"]]
        return next(iter(self.episode_form.councils.values()))

    def proposed_rows(self) -> list[dict[str, Any]]:
        c = self.cleaned_data
        row = {n: value_text(c.get(n)) for n in [*self.family_names, *CHILD_IDENTITY]}
        row["la_code"] = self.council().old_la_code
        row["episode_id"] = c.get("reference") or "NEW"
        return [row]

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:
        name = str(finding["field"])
        return name if name in (*self.family_names, *CHILD_IDENTITY) else None
