"""Forms for managing a release (national analysts only)."""

from __future__ import annotations

from django import forms

from fgc.engine.periods import Period, PeriodError
from fgc.statistics.models import Release

RESERVED_SLUGS = frozenset({"api", "new"})  # paths under /statistics/
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class ReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ["title", "slug", "period", "summary", "methodology", "data_guidance"]
        error_messages = {
            "title": {"required": "Enter the release title"},
            "slug": {
                "required": "Enter the web address name, for example fgc-2025-26",
                "invalid": "The web address name may use only letters, numbers and hyphens",
                "unique": "Another release already uses this web address name",
            },
            "period": {"required": "Enter the year, for example 2025-26"},
            "summary": {"required": "Enter a summary of the release"},
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is used by the service; choose another name")
        return slug

    def clean_period(self) -> str:
        text = self.cleaned_data["period"].strip()
        try:
            return Period.parse(text).year_label
        except PeriodError:
            raise forms.ValidationError("Enter the year as 2025-26") from None


class StageForm(forms.Form):
    publish_at = forms.DateTimeField(
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": "Enter the publication date and time, for example 2026-12-10 09:30",
            "invalid": "Enter the publication date and time as 2026-12-10 09:30",
        },
    )
    revision_note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class FootnoteForm(forms.Form):
    table = forms.CharField(
        max_length=100, error_messages={"required": "Enter the table the footnote is for"}
    )
    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the footnote"},
    )


class AccessForm(forms.Form):
    username = forms.CharField(
        max_length=150, error_messages={"required": "Enter the username to give access to"}
    )


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The form's errors as govukErrorSummary items (each links to its field)."""
    return [
        {"text": str(e), "href": f"#{name}" if name != "__all__" else "#"}
        for name, errors in form.errors.items()
        for e in errors
    ]
