"""Between a form's values and the text a record holds."""

from __future__ import annotations

from typing import Any

from fgc.casework.frame import as_text
from fgc.casework.values import parse_date
from fgc.standard import Field


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
