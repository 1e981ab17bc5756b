"""The sensitivity form: the impact estimate with figures a person chooses (a GET form)."""

from __future__ import annotations

from typing import Any

from django import forms

from fgc.engine.impact import Scenario

# field → (label, hint, lowest, highest, error, scale to the engine's unit)
FIELDS: dict[str, tuple[str, str, float, float, str, float]] = {
    "relative_risk": (
        "Relative risk of being looked after at 12 months",
        "The trial found 0.81: children in families referred for an FGC were 0.81 times as "
        "likely to be looked after. 1 means no effect.",
        0.01,
        2.0,
        "Enter a relative risk between 0.01 and 2, like 0.81",
        1.0,
    ),
    "saving_per_child": (
        "Net saving per child referred, in pounds",
        "The trial's cost analysis: about £960 in the first year.",
        -100_000.0,
        100_000.0,
        "Enter a saving in pounds between -100,000 and 100,000, like 960",
        1.0,
    ),
    "uptake_share": (
        "Families not yet offered an FGC who would be referred, as a percentage",
        "100 means every family.",
        0.0,
        100.0,
        "Enter a percentage between 0 and 100, like 100",
        0.01,
    ),
    "baseline_rate": (
        "Children looked after at 12 months without an FGC, as a percentage",
        "Leave blank to use the council's own rate among children not offered an FGC (or the "
        "trial's 44.8% where too few are known).",
        0.0,
        100.0,
        "Enter a percentage between 0 and 100, like 44.8",
        0.01,
    ),
}


class SensitivityForm(forms.Form):
    relative_risk = forms.CharField(required=False, max_length=20)
    saving_per_child = forms.CharField(required=False, max_length=20)
    uptake_share = forms.CharField(required=False, max_length=20)
    baseline_rate = forms.CharField(required=False, max_length=20)

    def _number(self, name: str) -> float | None:
        raw = str(self.cleaned_data.get(name) or "").strip()
        _label, _hint, lo, hi, error, _scale = FIELDS[name]
        if not raw:
            return None
        text = raw.replace(",", "").replace("£", "").replace("%", "").strip()
        try:
            value = float(text)
        except ValueError:
            raise forms.ValidationError(error) from None
        if not (lo <= value <= hi):  # also refuses nan and inf
            raise forms.ValidationError(error)
        return value

    def clean_relative_risk(self) -> float | None:
        return self._number("relative_risk")

    def clean_saving_per_child(self) -> float | None:
        return self._number("saving_per_child")

    def clean_uptake_share(self) -> float | None:
        return self._number("uptake_share")

    def clean_baseline_rate(self) -> float | None:
        return self._number("baseline_rate")

    def scenario(self) -> Scenario:
        """The chosen values in the engine's units (shares as fractions)."""
        values: dict[str, Any] = {}
        for name, (*_, scale) in FIELDS.items():
            v = self.cleaned_data.get(name)
            values[name] = None if v is None else v * scale
        return Scenario(**values)

    def chosen(self) -> bool:
        return any(self.cleaned_data.get(n) is not None for n in FIELDS)


def sensitivity_form(query: Any) -> SensitivityForm:
    """Bound when the query carries any of the form's fields, unbound otherwise."""
    if any(name in query for name in FIELDS):
        return SensitivityForm(query)
    return SensitivityForm()
