"""Reading a frozen release table as a dataset: its columns, filtering it, comparing versions.

Values stay the text of the published file ("c" for suppressed, "x" for not available), so
the API can never show more than the CSV does. The location and time columns are EES
standard columns; the filters and indicators come from the table's .meta.csv.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fgc.engine.periods import Period, PeriodError

# Query parameter -> the EES column it filters (besides the table's own filter columns).
STANDARD_FILTERS = {
    "time_period": "time_period",
    "geographic_level": "geographic_level",
    "region_code": "region_code",
    "la_code": "old_la_code",
}


class QueryError(ValueError):
    """A query the dataset cannot answer: a message and the values that would be allowed."""

    def __init__(self, message: str, allowed: Mapping[str, Sequence[str]]) -> None:
        super().__init__(message)
        self.allowed = {k: list(v) for k, v in allowed.items()}


@dataclass(frozen=True)
class Dataset:
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    filters: tuple[dict[str, str], ...]  # meta rows whose col_type is Filter
    indicators: tuple[dict[str, str], ...]  # meta rows whose col_type is Indicator

    @property
    def indicator_names(self) -> tuple[str, ...]:
        return tuple(i["col_name"] for i in self.indicators)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """Everything that is not an indicator: what identifies a row."""
        values = set(self.indicator_names)
        return tuple(c for c in self.columns if c not in values)

    def parameters(self) -> dict[str, str]:
        """Query parameter -> column, for this table."""
        params = {p: c for p, c in STANDARD_FILTERS.items() if c in self.columns}
        params.update({f["col_name"]: f["col_name"] for f in self.filters})
        return params

    def allowed(self) -> dict[str, list[str]]:
        """Every query parameter with the values it may take (as in the file)."""
        return {p: sorted({r[c] for r in self.rows if r[c]}) for p, c in self.parameters().items()}


def load(csv_text: str, meta_text: str) -> Dataset:
    reader = csv.DictReader(io.StringIO(csv_text))
    rows = tuple(dict(r) for r in reader)
    meta = list(csv.DictReader(io.StringIO(meta_text)))
    return Dataset(
        tuple(reader.fieldnames or ()),
        rows,
        tuple(m for m in meta if m.get("col_type") == "Filter"),
        tuple(m for m in meta if m.get("col_type") == "Indicator"),
    )


def _time_period(value: str) -> str:
    """ "2025-26" and "202526" both mean the EES time period "202526"."""
    try:
        return Period.parse(value).time_period
    except PeriodError:
        return value


def query(ds: Dataset, params: Mapping[str, Sequence[str]]) -> list[dict[str, str]]:
    """The rows matching every parameter (a parameter given twice matches either value).

    Raises ``QueryError`` naming the unknown parameter or value and listing what is allowed.
    """
    columns = ds.parameters()
    allowed = ds.allowed()
    unknown = sorted(set(params) - set(columns))
    if unknown:
        raise QueryError(
            f"Unknown filter {', '.join(unknown)}: this dataset is filtered by "
            f"{', '.join(columns)}",
            allowed,
        )
    wanted: dict[str, set[str]] = {}
    for name, values in params.items():
        chosen = {_time_period(v) if name == "time_period" else v for v in values}
        bad = sorted(chosen - set(allowed[name]))
        if bad:
            raise QueryError(
                f"{name}={bad[0]!s} is not in this dataset; {name} may be "
                f"{', '.join(allowed[name])}",
                {name: allowed[name]},
            )
        wanted[columns[name]] = chosen
    return [r for r in ds.rows if all(r[c] in v for c, v in wanted.items())]


def changes(old: Dataset, new: Dataset) -> dict[str, Any]:
    """Rows added, removed and changed (by key columns) from ``old`` to ``new``."""
    keys = tuple(c for c in new.key_columns if c in old.key_columns)

    def index(ds: Dataset) -> dict[tuple[str, ...], dict[str, str]]:
        return {tuple(r.get(k, "") for k in keys): r for r in ds.rows}

    before, after = index(old), index(new)
    values = [c for c in new.indicator_names if c in old.indicator_names]
    changed: list[dict[str, Any]] = []
    for key in after.keys() & before.keys():
        diff = {
            c: {"from": before[key][c], "to": after[key][c]}
            for c in values
            if before[key][c] != after[key][c]
        }
        if diff:
            changed.append({"key": dict(zip(keys, key, strict=True)), "values": diff})
    changed.sort(key=lambda c: tuple(c["key"].values()))  # stable order for clients
    return {
        "added": [after[k] for k in sorted(after.keys() - before.keys())],
        "removed": [before[k] for k in sorted(before.keys() - after.keys())],
        "changed": changed,
        "columns_added": [c for c in new.columns if c not in old.columns],
        "columns_removed": [c for c in old.columns if c not in new.columns],
    }
