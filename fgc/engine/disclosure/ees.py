"""Open data in the DfE "Explore education statistics" (EES) layout, and its checks.

Each table becomes a tidy CSV (one row per time period × geography × filter values) and a
``.meta.csv`` describing its filters and indicators. Geography columns follow EES: every row
has ``country_code``/``country_name``; regional rows add ``region_code``/``region_name``;
council rows add ``new_la_code``/``old_la_code``/``la_name`` (and their region). Geography
columns that do not apply to a row's level are left empty, as EES expects; filters and
indicators are never empty (symbols: ``c`` suppressed, ``z`` not applicable, ``x`` not
available, ``low`` rounds to zero).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from fgc.engine.disclosure.cells import LA, NATIONAL, REGION, TOTAL, TableSpec
from fgc.engine.disclosure.checker import CheckResult
from fgc.engine.disclosure.suppress import DisclosureConfig, SuppressionResult, suppress
from fgc.engine.periods import Period
from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, local_authorities, regions

TIME_COLUMNS = ("time_period", "time_identifier")
GEO_COLUMNS = (
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)
META_COLUMNS = (
    "col_name",
    "col_type",
    "label",
    "indicator_grouping",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
)
SYMBOLS = ("c", "z", "x", "low")
LEVELS = (NATIONAL, REGION, LA)
_LEVEL_NEEDS = {
    REGION: ("region_code", "region_name"),
    LA: ("region_code", "region_name", "new_la_code", "old_la_code", "la_name"),
}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Publication:
    period: str
    files: dict[str, tuple[str, str]]  # table name → (data CSV text, meta CSV text)
    suppression: SuppressionResult
    problems: list[str] = field(default_factory=list)  # EES convention problems

    @property
    def check(self) -> CheckResult:
        return self.suppression.check

    @property
    def ok(self) -> bool:
        return self.check.ok and not self.problems

    def write(self, directory: str | Path) -> list[Path]:
        """Write the release: the data and .meta.csv files, and nothing else.

        The suppression log is never part of a release: it says, for each hidden cell, why
        (e.g. "count of 1 is between 1 and 5"), which reveals the value. Write it with
        ``write_internal_log`` to a place only the producer's team can read.
        """
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        written = []
        for name, (data, meta) in self.files.items():
            for suffix, text in ((".csv", data), (".meta.csv", meta)):
                p = d / f"{name}{suffix}"
                p.write_text(text, "utf-8", newline="")
                written.append(p)
        return written

    def write_internal_log(self, path: str | Path) -> Path:
        """The suppression decisions, for the producer's own audit: never published."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        self.suppression.log_frame().write_csv(p)
        return p


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def ees_frame(published: pl.DataFrame, spec: TableSpec, period: Period) -> pl.DataFrame:
    """Add the EES time and geography columns to a published (suppressed) table."""
    by_code = {la.old_la_code: la for la in local_authorities()}
    region_names = regions()
    rows = []
    indicators = indicator_columns(spec)
    for r in published.iter_rows(named=True):
        level = r["geographic_level"]
        rc = r["region_code"] or ""
        la = by_code.get(r["la_code"] or "")
        rows.append(
            [
                period.time_period,
                period.time_identifier,
                level,
                ENGLAND_CODE,
                ENGLAND_NAME,
                rc if level != NATIONAL else "",
                region_names.get(rc, "") if level != NATIONAL else "",
                la.new_la_code if la else "",
                la.old_la_code if la else "",
                la.name if la else "",
                *(str(r[f]) for f in spec.filters),
                *(str(r[i]) for i in indicators),
            ]
        )
    cols = [*TIME_COLUMNS, *GEO_COLUMNS, *spec.filters, *indicators]
    return pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.Utf8), orient="row")


def indicator_columns(spec: TableSpec) -> list[str]:
    """The indicator columns of a table's file, in order."""
    return [
        *spec.counts,
        *(r[0] for r in spec.rates),
        *(m[0] for m in spec.medians),
        *spec.public,
        *(r[0] for r in spec.per_10k),
    ]


def meta_rows(spec: TableSpec) -> list[list[str]]:
    rows = [[f, "Filter", spec.label(f), "", "", "", "", ""] for f in spec.filters]
    rows += [[c, "Indicator", spec.label(c), "", "", "0", "", ""] for c in spec.counts]
    rows += [[name, "Indicator", label, "", "%", "1", "", ""] for name, _n, _d, label in spec.rates]
    # medians: days (no EES unit), 1 decimal place like the rates
    rows += [[m[0], "Indicator", m[3], "", "", "1", "", ""] for m in spec.medians]
    rows += [[c, "Indicator", spec.label(c), "", "", "0", "", ""] for c in spec.public]
    # per 10,000 is not an EES unit: the label says it
    rows += [[r[0], "Indicator", r[3], "", "", "1", "", ""] for r in spec.per_10k]
    return rows


def publish(
    specs: Sequence[TableSpec], period: str, config: DisclosureConfig | None = None
) -> Publication:
    """Suppress, attack and lay out a release; nothing is written until ``.write(dir)``."""
    per = Period.parse(period)
    result = suppress(specs, config)
    files: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for s in specs:
        data = ees_frame(result.tables[s.name], s, per)
        data_text = _csv(data.columns, data.rows())
        meta_text = _csv(META_COLUMNS, meta_rows(s))
        files[s.name] = (data_text, meta_text)
        problems += [f"{s.name}: {p}" for p in check_ees_text(data_text, meta_text)]
    return Publication(per.label, files, result, problems)


def check_ees(csv_path: str | Path, meta_path: str | Path) -> list[str]:
    """EES file conventions for one data file and its metadata; [] when it passes."""
    return check_ees_text(
        Path(csv_path).read_text("utf-8-sig"), Path(meta_path).read_text("utf-8-sig")
    )


def check_ees_text(data_text: str, meta_text: str) -> list[str]:
    problems: list[str] = []
    data = list(csv.reader(io.StringIO(data_text)))
    meta = list(csv.reader(io.StringIO(meta_text)))
    if not data or not meta:
        return ["data or metadata file is empty"]
    header, body = data[0], data[1:]
    if tuple(meta[0]) != META_COLUMNS:
        problems.append(f"metadata header must be {','.join(META_COLUMNS)}")
        return problems
    col = {c: i for i, c in enumerate(header)}
    for c in ("time_period", "time_identifier", "geographic_level", "country_code", "country_name"):
        if c not in col:
            problems.append(f"mandatory column {c} is missing")
    if problems:
        return problems
    described = {r[0]: r for r in meta[1:] if r}
    for name, r in described.items():
        if name not in col:
            problems.append(f"metadata describes {name} but the data file has no such column")
        if r[1] not in ("Filter", "Indicator"):
            problems.append(f"metadata col_type for {name} must be Filter or Indicator")
    for c in header:
        if c not in TIME_COLUMNS and c not in GEO_COLUMNS and c not in described:
            problems.append(f"column {c} is not described in the metadata")
    filters = [n for n, r in described.items() if r[1] == "Filter" and n in col]
    indicators = [n for n, r in described.items() if r[1] == "Indicator" and n in col]
    seen: set[tuple[str, ...]] = set()
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(f"row {line}: {len(row)} cells, header has {len(header)}")
            continue
        get = dict(zip(header, row, strict=True))
        if not re.fullmatch(r"\d{6}", get["time_period"]) or (
            get["time_identifier"].startswith("Financial year")
            and int(get["time_period"][4:]) != (int(get["time_period"][:4]) + 1) % 100
        ):
            problems.append(f"row {line}: time_period {get['time_period']!r} is not like 202526")
        level = get["geographic_level"]
        if level not in LEVELS:
            problems.append(f"row {line}: geographic_level {level!r} is not one of {LEVELS}")
        for c in ("time_period", "time_identifier", "country_code", "country_name"):
            if not get[c]:
                problems.append(f"row {line}: {c} is blank")
        for c in _LEVEL_NEEDS.get(level, ()):
            if not get.get(c):
                problems.append(f"row {line}: {c} is blank on a {level} row")
        for c in (*filters, *indicators):
            if get[c].strip() == "":
                problems.append(f"row {line}: {c} is blank (use a symbol: {', '.join(SYMBOLS)})")
        for c in indicators:
            v = get[c].strip()
            if v and v not in SYMBOLS and not _NUMBER.match(v):
                problems.append(f"row {line}: {c} value {v!r} is neither a number nor a symbol")
        key = tuple(get.get(c, "") for c in (*TIME_COLUMNS, *GEO_COLUMNS, *filters))
        if key in seen:
            problems.append(f"row {line}: duplicate of an earlier row")
        seen.add(key)
    for f in filters:
        if body and not any(len(r) == len(header) and r[col[f]] == TOTAL for r in body):
            problems.append(f"filter {f} has no {TOTAL!r} value")
    return problems
