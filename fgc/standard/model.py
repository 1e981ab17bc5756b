"""Typed view of the standard's declarations (fields, code lists, conditions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["text", "code", "codes", "yn", "date", "integer"]
Level = Literal["family", "child"]


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    group: str | None = None


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    source: str  # "DfE" lists are official and must be used exactly; "FGC" are this standard's
    codes: tuple[Code, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def label_for(self, code: str) -> str | None:
        for c in self.codes:
            if c.code == code:
                return c.label
        return None


@dataclass(frozen=True)
class Condition:
    """A declarative predicate over one row; see the [conditions] table of the standard."""

    name: str
    op: str
    field: str | None = None
    value: str | None = None
    values: tuple[str, ...] = ()
    of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: FieldType
    group: str
    help: str
    level: Level
    national: bool
    codelist: str | None = None
    required: str | None = None  # name of a Condition
    required_text: str | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_text: str | None = None
    min: int | None = None
    max: int | None = None
    pseudonymise: bool = False
    national_transform: str | None = None
    meeting_field: bool = False
    outcome_months: int | None = None
    outcome_required: str | None = None  # condition under which a due outcome must be recorded


@dataclass(frozen=True)
class Standard:
    version: str
    title: str
    status: str
    published: str
    fields: tuple[Field, ...]
    codelists: dict[str, CodeList]
    conditions: dict[str, Condition]
    _by_name: dict[str, Field] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    def fields_of_type(self, *types: FieldType) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type in types)

    def codelist_for(self, f: Field) -> CodeList | None:
        return self.codelists.get(f.codelist) if f.codelist else None
