"""Forms for the hub's pages. Errors are rendered with the GOV.UK error summary."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.hub.models import Decision, Kind
from fgc.hub.services import HubError, check_period, max_upload_bytes, size_message


class UploadForm(forms.Form):
    council = forms.ChoiceField(error_messages={"required": "Select your council"})
    period = forms.CharField(
        max_length=12,
        error_messages={"required": "Enter the period, for example 2025-26 or 2025-26-Q2"},
    )
    kind = forms.ChoiceField(
        choices=Kind.choices,
        initial=Kind.CHILD_LEVEL,
        error_messages={"required": "Select the kind of return"},
    )
    file = forms.FileField(
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        }
    )

    def __init__(self, *args: Any, councils: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {str(c.pk): c for c in councils}
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ChoiceField)
        council_field.choices = [(str(c.pk), c.name) for c in councils]
        if len(self.councils) == 1:
            self.fields["council"].initial = next(iter(self.councils))

    def clean_period(self) -> str:
        try:
            return check_period(self.cleaned_data["period"])
        except HubError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > max_upload_bytes():
            raise forms.ValidationError(size_message())
        return f

    def council_obj(self) -> Any:
        return self.councils[self.cleaned_data["council"]]


class ExplanationForm(forms.Form):
    text = forms.CharField(
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter an explanation"},
    )


class QueryForm(forms.Form):
    text = forms.CharField(
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the query for the council"},
    )


class ResponseForm(forms.Form):
    text = forms.CharField(
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter your response"},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept or return"},
    )
    reason = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Decision.Outcome.RETURNED and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for returning the submission")
        return data


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """The form's errors as govukErrorSummary items (each links to its field)."""
    items = []
    for name, errors in form.errors.items():
        href = f"#{name}" if name != "__all__" else "#"
        for e in errors:
            items.append({"text": str(e), "href": href})
    return items
