"""The GOV.UK error summary: its items and the control each one links to."""

from __future__ import annotations

import re

from django import forms

from fgc.casework.forms.dates import GovDateField, date_parts_in_error


def error_items(form: forms.Form) -> list[dict[str, str]]:
    """A GOV.UK error summary's items, in field order, each linking to the field's control."""
    items = []
    for name in form.fields:
        for message in form.errors.get(name, []):
            items.append({"text": str(message), "href": f"#{control_id(form, name)}"})
    for message in form.non_field_errors():
        items.append({"text": str(message), "href": "#main-content"})
    return items


def anchor(name: str) -> str:
    """The id of a field's first control, for error summary links."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def control_id(form: forms.Form, name: str) -> str:
    """The id the error summary links to: for a date, the first box in error."""
    if isinstance(form.fields[name], GovDateField):
        return f"{anchor(name)}-{date_parts_in_error(form[name].value())[0]}"
    return anchor(name)
