"""Dates typed in the GOV.UK date input: its widget, its field and which boxes are in error."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from fgc.casework.values import parse_date

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
