"""Form fields for the standard's fields and a council's local fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from fgc.casework.forms.components import _kind, tag
from fgc.casework.forms.dates import GovDateField
from fgc.casework.models import LocalFieldDefinition
from fgc.casework.wording import form_hint
from fgc.standard import Field, Standard


def hint_for(f: Field, required_now: bool) -> str:
    return form_hint(f, required_now)


def standard_field(
    std: Standard, f: Field, *, required_now: bool, label: str | None = None
) -> forms.Field:
    """A form field for a standard field. Never ``required`` itself: the engine says what is
    missing, with the rule's code, so form and return agree."""
    text_label = label or f.label
    if not required_now:
        text_label += " (optional)"
    common: dict[str, Any] = {
        "required": False,
        "label": text_label,
        "help_text": hint_for(f, required_now),
    }
    kind = _kind(std, f)
    field: forms.Field
    if kind == "date":
        field = GovDateField(**common)
    elif kind == "integer":
        field = forms.IntegerField(
            min_value=f.min,
            max_value=f.max,
            error_messages={
                "invalid": f"{f.label} must be a whole number",
                "min_value": f"{f.label} must be {f.min} or more",
                "max_value": f"{f.label} must be {f.max} or less",
            },
            **common,
        )
    elif kind in ("radios", "select", "checkboxes"):
        cl = std.codelist_for(f)
        assert cl is not None
        choices = [(c.code, c.label) for c in cl.codes]
        if kind == "checkboxes":
            field = forms.MultipleChoiceField(
                choices=choices,
                error_messages={
                    "invalid_choice": f"Choose one of the listed options for {f.label.lower()}"
                },
                **common,
            )
        else:
            field = forms.ChoiceField(
                choices=[("", "Not recorded"), *choices] if kind == "select" else choices,
                error_messages={
                    "invalid_choice": f"Choose one of the listed options for {f.label.lower()}"
                },
                **common,
            )
    else:
        validators = [RegexValidator(f.pattern)] if f.pattern else []  # the engine's pattern
        field = forms.CharField(max_length=f.max_length, validators=validators, **common)
        field.error_messages["invalid"] = f"{f.label}: {f.pattern_text or 'not allowed'}"
    tag(field, kind)
    return field


def local_field(d: LocalFieldDefinition) -> forms.Field:
    label = d.label if d.required else f"{d.label} (optional)"
    common: dict[str, Any] = {"required": d.required, "label": label, "help_text": d.help}
    field: forms.Field
    kind = {
        "text": "text",
        "number": "number",
        "date": "date",
        "yes_no": "radios",
        "choice": "select",
    }[d.type]
    if d.type == "number":
        field = forms.DecimalField(**common)
        kind = "integer"
    elif d.type == "date":
        field = GovDateField(**common)
    elif d.type == "yes_no":
        field = forms.ChoiceField(choices=[("Y", "Yes"), ("N", "No")], **common)
    elif d.type == "choice":
        field = forms.ChoiceField(
            choices=[("", "Not recorded")] + [(c, c) for c in d.choices], **common
        )
    else:
        field = forms.CharField(max_length=500, **common)
    field.error_messages["required"] = f"Enter {d.label.lower()}"
    tag(field, kind)
    return field
