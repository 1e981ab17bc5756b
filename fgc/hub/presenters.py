"""Turn stored findings into what a page or download shows, for this user.

National users see child and episode ids pseudonymised and dates only as the first of the
month, in every view and download; council users see their own data as they sent it.
"""

from __future__ import annotations

import dataclasses
import io
import math
from dataclasses import dataclass
from typing import Any

import polars as pl
import xlsxwriter

from fgc.engine.pseudonymise import month_expr, pseudonymise_series
from fgc.formats.escape import escape_formula
from fgc.hub.models import SubmissionVersion
from fgc.hub.services import is_national
from fgc.standard import load_standard

PAGE_SIZE = 50
SORTS = {
    "row": [("row", False)],
    "-row": [("row", True)],
    "code": [("code", False), ("row", False)],
    "-code": [("code", True), ("row", False)],
    "field": [("field", False), ("row", False)],
    "severity": [("severity", False), ("code", False), ("row", False)],
}
COLUMNS = (
    ("row", "Row"),
    ("code", "Rule"),
    ("severity", "Severity"),
    ("field", "Field"),
    ("value", "Value"),
    ("episode_id", "Episode"),
    ("child_id", "Child"),
    ("message", "Message"),
)


def _protected_fields() -> tuple[set[str], set[str]]:
    std = load_standard()
    ids = {f.name for f in std.fields if f.pseudonymise}
    months = {f.name for f in std.fields if f.national_transform == "month"}
    return ids, months


def for_viewer(findings: pl.DataFrame, user: Any, la_code: str) -> pl.DataFrame:
    """The findings as this user may see them."""
    if not is_national(user) or findings.height == 0:
        return findings
    from django.conf import settings

    key = settings.FGC_PSEUDONYM_KEY
    ids, months = _protected_fields()
    la = pl.Series("la", [la_code] * findings.height)
    out = findings.with_columns(
        *(
            pseudonymise_series(findings.get_column(c), la, key).alias(c)
            for c in ("episode_id", "child_id")
            if c in findings.columns
        )
    )
    value = out.get_column("value")
    field = out.get_column("field").fill_null("")
    pseudo_values = pseudonymise_series(value, la, key)
    month_values = out.select(month_expr("value")).get_column("value")
    masked = (
        pl.DataFrame({"v": value, "p": pseudo_values, "m": month_values, "f": field})
        .select(
            pl.when(pl.col("f").is_in(list(ids)))
            .then(pl.col("p"))
            .when(pl.col("f").is_in(list(months)))
            .then(pl.col("m"))  # an unparseable "date" is shown as blank, never in full
            .otherwise(pl.col("v"))
        )
        .to_series()
    )
    return out.with_columns(masked.alias("value"))


@dataclass(frozen=True)
class ReportPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    sort: str
    filters: dict[str, str]
    codes: list[str]
    fields: list[str]
    # Column name → the standard's label, so pages name fields as people know them.
    field_labels: dict[str, str] = dataclasses.field(default_factory=dict)


def field_labels() -> dict[str, str]:
    """Every field of the standard by its column name, with its human label."""
    return {f.name: f.label for f in load_standard().fields}


def filter_findings(findings: pl.DataFrame, params: Any) -> tuple[pl.DataFrame, dict[str, str]]:
    filters = {k: str(params.get(k, "") or "").strip() for k in ("severity", "code", "field")}
    out = findings
    for key, value in filters.items():
        if value:
            out = out.filter(pl.col(key) == value)
    return out, filters


def report_page(findings: pl.DataFrame, params: Any) -> ReportPage:
    """Filter (severity, code, field), sort (``sort=``) and paginate (``page=``)."""
    codes = sorted(findings.get_column("code").unique().to_list()) if findings.height else []
    fields = (
        sorted(findings.get_column("field").drop_nulls().unique().to_list())
        if findings.height
        else []
    )
    filtered, filters = filter_findings(findings, params)
    sort = str(params.get("sort", "row"))
    if sort not in SORTS:
        sort = "row"
    keys = SORTS[sort]
    if filtered.height:
        filtered = filtered.sort(
            [k for k, _ in keys], descending=[d for _, d in keys], nulls_last=True
        )
    total = filtered.height
    pages = max(1, math.ceil(total / PAGE_SIZE))
    try:
        page = min(max(1, int(params.get("page", 1))), pages)
    except (TypeError, ValueError):
        page = 1
    rows = filtered.slice((page - 1) * PAGE_SIZE, PAGE_SIZE).to_dicts()
    return ReportPage(rows, total, page, pages, sort, filters, codes, fields, field_labels())


def findings_xlsx(findings: pl.DataFrame, version: SubmissionVersion) -> bytes:
    """The findings as an Excel workbook; every text cell formula-escaped."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Findings")
    for col, (_, label) in enumerate(COLUMNS):
        sheet.write_string(0, col, label, bold)
    for r, row in enumerate(findings.iter_rows(named=True), start=1):
        for col, (name, _) in enumerate(COLUMNS):
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, escape_formula(str(value)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(findings.height, 1), len(COLUMNS) - 1)
    about = book.add_worksheet("About")
    facts = [
        ("Council", version.submission.council.old_la_code),
        ("Period", version.submission.period),
        ("Version", str(version.number)),
        ("Standard", version.standard_version),
        ("Rows", str(version.rows or 0)),
        ("Errors", str(version.error_count or 0)),
        ("Queries", str(version.query_count or 0)),
    ]
    for r, (k, v) in enumerate(facts):
        about.write_string(r, 0, k, bold)
        about.write_string(r, 1, escape_formula(v))
    book.close()
    return buf.getvalue()


def frame_csv(frame: pl.DataFrame) -> bytes:
    """A frame as CSV with every text cell formula-escaped."""
    escaped = frame.with_columns(
        pl.col(c).map_elements(escape_formula, return_dtype=pl.Utf8)
        for c, t in frame.schema.items()
        if t == pl.Utf8
    )
    return escaped.write_csv().encode("utf-8")


def frame_xlsx(frame: pl.DataFrame, sheet_name: str) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(sheet_name[:31])
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, escape_formula(str(value)))
    book.close()
    return buf.getvalue()


def mask_report_json(body: dict[str, Any], la_code: str) -> dict[str, Any]:
    """The ``fgc validate --format json`` report with ids pseudonymised and dates to month."""
    from django.conf import settings

    key = settings.FGC_PSEUDONYM_KEY
    ids, months = _protected_fields()
    from fgc.engine.pseudonymise import pseudonymise

    def mask_date(value: Any) -> Any:
        text = str(value)
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return text[:8] + "01"
        return None

    def mask(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        out = dict(item)
        for name in ("child_id", "episode_id"):
            if out.get(name):
                out[name] = pseudonymise(str(out[name]), key, la_code=la_code)
        if out.get("value") is not None:
            if out.get("field") in ids:
                out["value"] = pseudonymise(str(out["value"]), key, la_code=la_code)
            elif out.get("field") in months:
                out["value"] = mask_date(out["value"])
        return out

    masked = dict(body)
    for section in ("errors", "queries", "findings"):
        if isinstance(masked.get(section), list):
            masked[section] = [mask(i) for i in masked[section]]
    return masked
