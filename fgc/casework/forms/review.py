"""A review of the family's plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from fgc.casework.forms.error_summary import error_items
from fgc.casework.forms.fields import standard_field
from fgc.standard import load_standard


class ReviewForm(forms.Form):
    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        std = load_standard()
        self.fields["review_date"] = standard_field(
            std, std.field("review_date"), required_now=True
        )
        self.fields["plan_progress"] = standard_field(
            std, std.field("plan_progress"), required_now=True
        )
        self.fields["review_date"].required = True
        self.fields["review_date"].error_messages["required"] = "Enter the review date"
        self.fields["plan_progress"].required = True
        self.fields["plan_progress"].error_messages["required"] = "Select how the plan is going"

    def clean_review_date(self) -> date:
        value = self.cleaned_data["review_date"]
        if value and value > date.today():
            raise forms.ValidationError("Review date must be today or in the past")
        return value

    def error_list(self) -> list[dict[str, str]]:
        return error_items(self)
