"""Which GOV.UK component renders a form field (see _form.html)."""

from __future__ import annotations

from django import forms

from fgc.standard import Field, Standard

RADIO_LIMIT = 9  # longer code lists are a select


def tag(field: forms.Field, kind: str) -> forms.Field:
    """Mark a field with the GOV.UK component that renders it (see _form.html)."""
    vars(field)["fgc_kind"] = kind
    return field


def _kind(std: Standard, f: Field) -> str:
    if f.type == "date":
        return "date"
    if f.type == "integer":
        return "integer"
    if f.type == "codes":
        return "checkboxes"
    if f.type in ("code", "yn"):
        cl = std.codelist_for(f)
        return "radios" if cl and len(cl.codes) <= RADIO_LIMIT else "select"
    return "text"
