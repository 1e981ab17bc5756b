"""Defining a council's local field."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.casework.forms.components import tag
from fgc.casework.forms.error_summary import error_items


class LocalFieldForm(forms.Form):
    label = forms.CharField(
        max_length=100, label="Label", error_messages={"required": "Enter a label"}
    )
    type = forms.ChoiceField(
        choices=[
            ("text", "Text"),
            ("number", "Number"),
            ("date", "Date"),
            ("yes_no", "Yes or no"),
            ("choice", "Choice from a list"),
        ],
        label="Type of answer",
        error_messages={"required": "Select the type of answer"},
    )
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label="Choices (for a choice from a list)",
        help_text="One choice on each line.",
    )
    stage = forms.ChoiceField(
        label="Step of the journey", error_messages={"required": "Select the step"}
    )
    help = forms.CharField(required=False, max_length=300, label="Help text (optional)")
    required = forms.BooleanField(required=False, label="Answer required")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from fgc.casework.states import STEPS

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (s.key, s.title) for s in STEPS if s.key != "review"
        ]
        kinds = {
            "label": "text",
            "type": "radios",
            "choices": "textarea",
            "stage": "select",
            "help": "text",
            "required": "checkbox",
        }
        for name, kind in kinds.items():
            tag(self.fields[name], kind)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [c.strip() for c in (cleaned.get("choices") or "").splitlines() if c.strip()]
        cleaned["choices"] = lines
        if cleaned.get("type") == "choice" and len(lines) < 2:
            self.add_error("choices", "Enter at least two choices, one on each line")
        return cleaned

    def error_list(self) -> list[dict[str, str]]:
        return error_items(self)
