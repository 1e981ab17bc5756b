"""Forms generated from the standard: labels, hints, code lists and when a field is needed.

A form first checks each value's own shape (a real date, a number in range, a listed code),
then runs the engine's rules (``validate_record``) over the whole episode as it would be saved
and puts each finding on the field it is about, quoting the rule code: the form and a
submitted return can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from fgc.casework.frame import as_text, child_record, family_record
from fgc.casework.models import Child, Episode, LocalFieldDefinition, NetworkMember, Side
from fgc.casework.states import CHILD_IDENTITY, Step
from fgc.casework.values import parse_date
from fgc.casework.wording import DATE_EXAMPLE, finding_message, form_hint
from fgc.engine.conditions import evaluate_row
from fgc.engine.rules import validate_record
from fgc.standard import Field, Standard, load_standard

RADIO_LIMIT = 9  # longer code lists are a select


def tag(field: forms.Field, kind: str) -> forms.Field:
    """Mark a field with the GOV.UK component that renders it (see _form.html)."""
    vars(field)["fgc_kind"] = kind
    return field


DATE_PARTS = ("day", "month", "year")


class DatePartsWidget(forms.Widget):
    """The GOV.UK date input's three boxes, posted as ``<name>-day``, ``-month``, ``-year``."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {p: str(data.get(f"{name}-{p}", "")).strip()[:10] for p in DATE_PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{p}" in data for p in DATE_PARTS)


def date_parts_in_error(value: Any) -> list[str]:
    """Which boxes of a typed date to highlight: the empty ones, or all if none is empty."""
    if not isinstance(value, dict) or not any(value.get(p) for p in DATE_PARTS):
        return list(DATE_PARTS)
    missing = [p for p in DATE_PARTS if not value.get(p)]
    return missing or list(DATE_PARTS)


class GovDateField(forms.Field):
    """A date typed in the GOV.UK date input (day, month, year), with its error messages."""

    widget = DatePartsWidget

    def parts_in_error(self, value: Any) -> list[str]:
        return date_parts_in_error(value)

    def name_text(self) -> str:
        return str(self.label).removesuffix(" (optional)")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not isinstance(value, dict):  # a whole date as text, as the importer sees it
            return self._parse(str(value or "").strip())
        parts = {p: str(value.get(p) or "").strip() for p in DATE_PARTS}
        if not any(parts.values()):
            return None
        missing = [p for p in DATE_PARTS if not parts[p]]
        if missing:
            raise forms.ValidationError(
                f"{self.name_text()} must include a {' and '.join(missing)}"
            )
        if not all(parts[p].isdigit() for p in DATE_PARTS):
            raise forms.ValidationError(f"{self.name_text()} must be a real date")
        if len(parts["year"]) != 4:
            raise forms.ValidationError(f"{self.name_text()}: the year must include 4 numbers")
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(f"{self.name_text()} must be a real date") from None

    def _parse(self, text: str) -> date | None:
        if not text:
            return None
        try:
            return parse_date(text[:40])
        except ValueError:
            raise forms.ValidationError(f"{self.name_text()} must be a real date") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError:
                return dict.fromkeys(DATE_PARTS, "")
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value or dict.fromkeys(DATE_PARTS, "")


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


def value_text(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return ";".join(value) or None
    return as_text(value)


def initial_value(f: Field | None, text: str | None) -> Any:
    if text is None:
        return None
    if f is not None and f.type == "codes":
        return text.split(";")
    if f is not None and f.type == "date":
        try:
            return parse_date(text)
        except ValueError:
            return text
    return text


class EngineCheckedForm(forms.Form):
    """Base: build the episode's rows as they would be saved, run the rules, map findings."""

    std: Standard
    queries: list[dict[str, Any]]

    def proposed_rows(self) -> list[dict[str, Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def engine_check(self) -> None:
        self.queries = []
        rows = self.proposed_rows()
        if not rows:
            return
        seen: set[tuple[str, str]] = set()
        for finding in validate_record(rows, standard=self.std):
            name = self.field_for_finding(finding)
            if name is None or name not in self.fields:
                continue
            key = (name, finding["code"])
            if key in seen:
                continue
            seen.add(key)
            f = self.std.field(finding["field"])
            text = finding_message(f, finding, getattr(self.fields[name], "fgc_kind", "text"))
            if finding["severity"] == "error":
                if not self.has_error(name):
                    self.add_error(name, text)
            else:
                self.queries.append({"field": name, "code": finding["code"], "text": text})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:  # the form's own checks first, then the standard's rules
            self.engine_check()
        return cleaned

    def error_list(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's items, in field order."""
        return error_items(self)


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


class ChildForm(EngineCheckedForm):
    """A child's identity and characteristics (and name, kept in casework only)."""

    def __init__(
        self,
        data: Any = None,
        *,
        episode: Episode,
        child: Child | None = None,
        family: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data)
        self.std = load_standard()
        self.episode = episode
        self.child = child
        self.family = family if family is not None else family_record(episode)
        current = child_record(child) if child else {}
        row = {**self.family, **current}
        self.fields["name"] = forms.CharField(
            required=False,
            max_length=200,
            label="Child's name (optional)",
            help_text="Kept in casework only, encrypted; never in any return or export.",
        )
        tag(self.fields["name"], "text")
        self.initial["name"] = child.name if child else ""
        for name in CHILD_IDENTITY:
            f = self.std.field(name)
            required = f.required is not None and evaluate_row(self.std, f.required, row)
            if name in ("date_of_birth", "expected_due_date"):
                required = name == "date_of_birth" and not (child and child.is_unborn)
            self.fields[name] = standard_field(self.std, f, required_now=required)
            self.initial[name] = initial_value(f, current.get(name))
        dob = self.fields["date_of_birth"]
        dob.help_text = dob.help_text.replace(
            DATE_EXAMPLE, f"Leave blank for an unborn child. {DATE_EXAMPLE}"
        )

    def child_values(self) -> dict[str, Any]:
        return {n: self.cleaned_data.get(n) for n in CHILD_IDENTITY}

    def _others(self) -> list[Child]:
        if self.episode.pk is None:
            return []
        return [c for c in self.episode.children.all() if not self.child or c.pk != self.child.pk]

    def proposed_rows(self) -> list[dict[str, Any]]:
        mine = {**self.family, **{n: value_text(v) for n, v in self.child_values().items()}}
        return [mine] + [{**self.family, **child_record(c)} for c in self._others()]

    def field_for_finding(self, finding: dict[str, Any]) -> str | None:
        if finding["child_index"] == 0 and finding["field"] in CHILD_IDENTITY:
            return str(finding["field"])
        return None


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
