"""Import a council's spreadsheet: map its columns and values to the standard, preview the
result with the validation report, then store it in one transaction.

A mapping is JSON-friendly and remembered per council (``SavedMapping``)::

    {
      "columns": {"Family ref": "episode_id", "Ethnic origin": "ethnicity",
                  "Notes": "", "Risk level": "local_risk_level"},
      "values": {"ethnicity": {"White - British": "WBRI"}}
    }

A column mapped to "" is ignored; ``local_<key>`` names one of the council's local fields.
Headers that already name a standard field (by name or label) need no entry; codes may be
written as the code or its label in any case; Yes/No become Y/N; dates may be dd/mm/yyyy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import transaction

from fgc.casework import implicit
from fgc.casework.frame import as_text
from fgc.casework.models import Child, Episode, LocalFieldDefinition, LocalFieldValue
from fgc.casework.standard_fields import column_fields
from fgc.casework.values import parse_date, to_code
from fgc.engine.validate import ValidationReport, validate
from fgc.formats import read_table_bytes
from fgc.formats.headers import match_header
from fgc.formats.result import ROW_COLUMN, ReadResult
from fgc.standard import Standard, load_standard

LOCAL_PREFIX = "local_"


class ImportError_(ValueError):
    """The file cannot be imported as it is; the message says where and why."""


@dataclass
class Problem:
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"row {self.row}, column '{self.column}': '{self.value}' is not {self.expected}"


@dataclass
class Mapped:
    """The file as the standard's text frame, with what could not be converted."""

    frame: pl.DataFrame  # standard columns (text) + local_<key> columns + ROW_COLUMN
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> target
    report: ValidationReport | None = None
    generated_ids: dict[int, str] = field(default_factory=dict)  # row -> unborn child's new id


def read_upload(data: bytes, filename: str) -> ReadResult:
    # A column with no header is named by its letter ("F"), so a mapping can refer to it.
    return read_table_bytes(data, filename, letter_headerless=True)


def headers(read: ReadResult) -> list[str]:
    """The file's headers as written (renamed ones restored to their original text)."""
    original = {v: k for k, v in read.renamed.items()}
    return [original.get(c, c) for c in read.data_columns]


def suggest(
    read: ReadResult, saved: Mapping[str, Any] | None, local_keys: list[str]
) -> dict[str, str]:
    """A target for every header: the saved mapping, else the standard's name or label."""
    std = load_standard()
    saved_cols = dict((saved or {}).get("columns", {}))
    out = {}
    for h in headers(read):
        if h in saved_cols:
            out[h] = saved_cols[h]
            continue
        target = match_header(h, std)
        if target is None:
            key = _local_match(h, local_keys)
            target = f"{LOCAL_PREFIX}{key}" if key else ""
        out[h] = target
    return out


def _local_match(header: str, keys: list[str]) -> str | None:
    from fgc.casework.services import local_key

    k = local_key(header)
    return k if k in keys else None


def _convert(std: Standard, name: str, text: str, value_map: Mapping[str, str]) -> str:
    """One cell in the standard's form; ValueError with what was expected."""
    mapped = value_map.get(text, value_map.get(text.casefold(), text))
    f = std.field(name)
    if f.type == "date":
        return parse_date(mapped).isoformat()
    if f.type in ("code", "codes", "yn"):
        if f.codelist == "la":
            return mapped.strip()
        return to_code(std, f, mapped)
    if f.type == "integer":
        number = float(mapped)
        if number != int(number):
            raise ValueError(mapped)
        return str(int(number))
    return mapped.strip()


def _expected(std: Standard, name: str) -> str:
    f = std.field(name)
    if f.type == "date":
        return "a date (dd/mm/yyyy or yyyy-mm-dd)"
    if f.type == "yn":
        return "Yes/No (Y/N)"
    if f.type in ("code", "codes"):
        return f"a code or label from the '{std.codelist_for(f).title}' list"  # type: ignore[union-attr]
    if f.type == "integer":
        return "a whole number"
    return "valid text"


def apply_mapping(
    read: ReadResult,
    mapping: Mapping[str, Any],
    *,
    la_code: str,
    local_defs: list[LocalFieldDefinition] = (),  # type: ignore[assignment]
) -> Mapped:
    """Rename, convert and check the file's columns; blank rows are dropped."""
    from fgc.casework.services import parse_local_value

    std = load_standard()
    columns: dict[str, str] = dict(mapping.get("columns", {}))
    values: dict[str, dict[str, str]] = {
        k: {**v, **{str(a).casefold(): b for a, b in v.items()}}
        for k, v in dict(mapping.get("values", {})).items()
    }
    by_key = {d.key: d for d in local_defs}
    original = {v: k for k, v in read.renamed.items()}
    frame = read.frame
    targets: dict[str, str] = {}  # frame column -> target
    ignored = []
    for col in read.data_columns:
        header = original.get(col, col)
        target = columns.get(header, col if std.has_field(col) else "")
        if target.startswith(LOCAL_PREFIX) and target[len(LOCAL_PREFIX) :] not in by_key:
            raise ImportError_(
                f"Column '{header}' is mapped to {target}, "
                "which is not one of the council's local fields"
            )
        if target and not target.startswith(LOCAL_PREFIX) and not std.has_field(target):
            raise ImportError_(
                f"Column '{header}' is mapped to '{target}', which is not a field of the standard"
            )
        if not target:
            ignored.append(header)
            continue
        if target in targets.values():
            raise ImportError_(f"Two columns are mapped to {target}; map only one")
        targets[col] = target
    if "episode_id" not in targets.values() or "child_id" not in targets.values():
        raise ImportError_(
            "Map a column to the episode reference (episode_id) and one to the child "
            "identifier (child_id): each row needs both"
        )
    problems: list[Problem] = []
    rows_out: list[dict[str, Any]] = []
    row_numbers = frame.get_column(ROW_COLUMN).to_list()
    unborn_seen: dict[str, int] = {}
    generated_ids: dict[int, str] = {}
    for i, record in enumerate(frame.iter_rows(named=True)):
        out: dict[str, Any] = {}
        for col, target in targets.items():
            raw = record.get(col)
            text = "" if raw is None else str(raw).strip()
            if not text:
                out[target] = None
                continue
            header = original.get(col, col)
            try:
                if target.startswith(LOCAL_PREFIX):
                    out[target] = (
                        parse_local_value(by_key[target[len(LOCAL_PREFIX) :]], text) or None
                    )
                else:
                    out[target] = _convert(std, target, text, values.get(target, {}))
            except ValueError:
                expected = (
                    f"a valid {by_key[target[len(LOCAL_PREFIX) :]].get_type_display().lower()}"
                    if target.startswith(LOCAL_PREFIX)
                    else _expected(std, target)
                )
                problems.append(Problem(row_numbers[i], header, text, expected))
                out[target] = None
        if all(v is None for v in out.values()):
            continue  # a blank row (or one with only ignored columns, such as notes)
        if out.get("child_id") is None and implicit.is_unborn(out):
            out["child_id"] = implicit.unborn_id(la_code, out, unborn_seen)
            generated_ids[row_numbers[i]] = out["child_id"]
        for key in ("episode_id", "child_id"):
            f = std.field(key)
            value = out.get(key)
            if (
                value is None
                or len(value) > (f.max_length or 20)
                or not re.match(f.pattern or "", value)
            ):
                problems.append(
                    Problem(
                        row_numbers[i],
                        _header_for(targets, original, key),
                        value or "",
                        f"an identifier ({f.pattern_text}, at most {f.max_length})",
                    )
                )
        out.setdefault("la_code", None)
        if out["la_code"] is None:
            out["la_code"] = la_code
        elif out["la_code"] != la_code:
            problems.append(
                Problem(row_numbers[i], "la_code", out["la_code"], f"this council ({la_code})")
            )
        out[ROW_COLUMN] = row_numbers[i]
        rows_out.append(out)
    local_cols = sorted({t for t in targets.values() if t.startswith(LOCAL_PREFIX)})
    schema: dict[str, Any] = dict.fromkeys((*std.field_names, *local_cols), pl.Utf8)
    schema[ROW_COLUMN] = pl.Int64
    result = pl.DataFrame(rows_out, schema=schema) if rows_out else pl.DataFrame(schema=schema)
    return Mapped(
        result,
        problems,
        ignored,
        {original.get(c, c): t for c, t in targets.items()},
        generated_ids=generated_ids,
    )


def _header_for(targets: Mapping[str, str], original: Mapping[str, str], target: str) -> str:
    for col, t in targets.items():
        if t == target:
            return original.get(col, col)
    return target


def preview(mapped: Mapped) -> Mapped:
    """Attach the engine's validation report to the mapped frame."""
    mapped.report = validate(mapped.frame.select(*load_standard().field_names, ROW_COLUMN))
    return mapped


@dataclass
class ImportResult:
    episodes_created: int = 0
    episodes_updated: int = 0
    children: int = 0


def import_frame(
    actor: Any,
    council: Any,
    mapped: Mapped,
    local_defs: list[LocalFieldDefinition] = (),  # type: ignore[assignment]
) -> ImportResult:
    """Store the mapped rows in one transaction: episodes by reference, children by id.

    Refuses (and stores nothing) if any value could not be converted. Findings of the rules
    (a missing field, dates out of order) do not stop an import: they appear on the
    data-quality page, linked to the record to fix.
    """
    from fgc.casework.services import audit

    if mapped.problems:
        first = mapped.problems[0]
        more = f" (and {len(mapped.problems) - 1} more)" if len(mapped.problems) > 1 else ""
        raise ImportError_(f"Nothing was imported: {first}{more}")
    if mapped.frame.is_empty():
        raise ImportError_("Nothing was imported: the file has no rows with data")
    family_fields = [f.name for f in column_fields("family")]
    child_fields = [f.name for f in column_fields("child")]
    by_key = {d.column: d for d in local_defs}
    result = ImportResult()
    with transaction.atomic():
        for (reference,), rows in mapped.frame.group_by(["episode_id"], maintain_order=True):
            rows_list = rows.to_dicts()
            head = rows_list[0]
            episode, created = Episode.objects.get_or_create(
                council=council,
                reference=str(reference),
                defaults={"created_by": getattr(actor, "user", actor) if _is_user(actor) else None},
            )
            for name in family_fields:
                setattr(episode, name, _typed(name, head.get(name)))
            episode.save()
            if head.get("review_date"):
                episode.reviews.all().delete()
                episode.reviews.create(
                    review_date=parse_date(head["review_date"]),
                    plan_progress=head.get("plan_progress") or "",
                )
            for row in rows_list:
                child, _ = Child.objects.get_or_create(episode=episode, child_id=row["child_id"])
                for name in child_fields:
                    setattr(child, name, _typed(name, row.get(name)))
                child.save()
                result.children += 1
            for column, d in by_key.items():
                if column in head and head[column] is not None:
                    LocalFieldValue.objects.update_or_create(
                        definition=d, episode=episode, defaults={"value": head[column]}
                    )
            if created:
                result.episodes_created += 1
            else:
                result.episodes_updated += 1
        audit(
            actor,
            "casework.import",
            None,
            council,
            episodes_created=result.episodes_created,
            episodes_updated=result.episodes_updated,
            children=result.children,
        )
    return result


def _is_user(actor: Any) -> bool:
    user = getattr(actor, "user", actor)
    return bool(getattr(user, "is_authenticated", False))


def _typed(name: str, text: Any) -> Any:
    """Stored type of a standard column from its text (dates and integers)."""
    if text is None:
        return None
    f = load_standard().field(name)
    if f.type == "date":
        return parse_date(str(text))
    if f.type == "integer":
        return int(text)
    return as_text(text)
