"""A person in the family network."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.casework.forms.components import tag
from fgc.casework.models import NetworkMember, Side


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "contact", "relationship", "side", "invited", "attended"]
        labels = {
            "name": "Name",
            "contact": "Contact details (optional)",
            "relationship": "Relationship to the child or children",
            "side": "Side of the family",
            "invited": "Invited to the meeting",
            "attended": "Attended the meeting",
        }
        help_texts = {
            "name": "Kept in casework only, encrypted; never in any return or export.",
            "contact": "Phone, email or address. Kept in casework only, encrypted.",
        }
        error_messages = {
            "name": {"required": "Enter the person's name"},
            "relationship": {"required": "Enter their relationship, for example aunt"},
            "side": {"required": "Select which side of the family they are from"},
        }
        widgets = {"name": forms.TextInput, "contact": forms.TextInput, "side": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = {
            "name": "text",
            "contact": "text",
            "relationship": "text",
            "side": "radios",
            "invited": "checkbox",
            "attended": "checkbox",
        }
        for name, kind in kinds.items():
            tag(self.fields[name], kind)
        self.fields["side"].choices = Side.choices  # type: ignore[attr-defined]
