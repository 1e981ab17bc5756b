"""Checking a stored version: read with fgc.formats, validate with fgc.engine, store the report.

Runs in the `fgc_worker` process (job kind ``hub.validate``), or in-process when seeding. The
report lands atomically: the findings and JSON files are renamed into place first, then one
transaction records them on the version. A crash before that transaction leaves the version
"running"; the worker's stale-job reaper then marks it failed — never half-written.
"""

from __future__ import annotations

import inspect
import io
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction

from fgc.hub import storage
from fgc.hub.models import Kind, SubmissionVersion, ValidationStatus
from fgc.hub.status import refresh_status

log = logging.getLogger(__name__)

JOB_KIND = "hub.validate"
ProgressFn = Callable[[int, str], None]

FINDING_COLUMNS = ("row", "episode_id", "child_id", "field", "value", "code", "severity", "message")


def _noop(percent: int, message: str = "") -> None:
    return None


def _set_progress(version_id: int, percent: int, message: str) -> None:
    SubmissionVersion.objects.filter(pk=version_id).update(
        progress=percent, progress_message=message[:300]
    )


def empty_findings() -> pl.DataFrame:
    schema: dict[str, Any] = dict.fromkeys(FINDING_COLUMNS, pl.Utf8)
    schema["row"] = pl.Int64
    return pl.DataFrame(schema=schema)


def _read(version: SubmissionVersion) -> Any:
    from fgc.formats import read_table  # engine modules are imported lazily: worker-only cost

    return read_table(storage.absolute(version.file_path))


def _call_validate(frame: pl.DataFrame, read: Any, progress: ProgressFn) -> Any:
    from fgc.engine.validate import validate

    kwargs: dict[str, Any] = {
        "unknown_columns": getattr(read, "unknown_columns", ()),
        "source": getattr(read, "source", None),
    }
    if "progress" in inspect.signature(validate).parameters:
        kwargs["progress"] = lambda pct, msg="": progress(45 + int(pct * 0.4), msg or "Checking")
    return validate(frame, **kwargs)


def summarise(
    findings: pl.DataFrame, messages: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """One entry per rule: code, severity, message, fields and how many findings.

    ``messages`` gives a rule's declared message where findings carry their own details.
    """
    if findings.height == 0:
        return []
    grouped = (
        findings.group_by("code")
        .agg(
            pl.col("severity").first(),
            pl.col("message").first(),
            pl.col("field").drop_nulls().unique().sort().alias("fields"),
            pl.len().alias("count"),
        )
        .with_columns(
            (pl.col("severity") == "query").cast(pl.Int8).alias("_order")  # errors first
        )
        .sort("_order", "code")
        .drop("_order")
    )
    rules = grouped.to_dicts()
    for rule in rules:
        rule["message"] = (messages or {}).get(rule["code"], rule["message"])
    return rules


def _finish(
    version: SubmissionVersion,
    *,
    findings: pl.DataFrame,
    report_json: dict[str, Any],
    rows: int,
    standard_version: str,
    messages: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    derived: dict[str, pl.DataFrame] | None = None,
) -> None:
    """Store the report; ``derived`` frames (by name) are written beside the upload first."""
    findings = findings.select([c for c in FINDING_COLUMNS if c in findings.columns])
    errors = findings.filter(pl.col("severity") == "error").height
    queries = findings.filter(pl.col("severity") == "query").height
    for name, frame in (derived or {}).items():
        out = io.BytesIO()
        frame.write_parquet(out)
        storage.write_file(storage.derived_path(version.file_path, name), out.getvalue())
    fpath = storage.findings_path(version.file_path)
    buf = io.BytesIO()
    findings.write_parquet(buf)
    storage.write_file(fpath, buf.getvalue())
    storage.write_file(report_json_path(version), json.dumps(report_json).encode("utf-8"))
    rules = summarise(findings, messages)
    with transaction.atomic():
        SubmissionVersion.objects.filter(pk=version.pk).update(
            validation_status=ValidationStatus.ERRORS if errors else ValidationStatus.VALID,
            progress=100,
            progress_message="Checked",
            rows=rows,
            error_count=errors,
            query_count=queries,
            standard_version=standard_version,
            summary={"rules": rules, **(extra or {})},
            findings_path=fpath,
            failure_message="",
        )
        if settings.FGC_SYNTHETIC_EXPLANATIONS:
            explain_synthetic(version, rules)
        refresh_status(version.submission_id)


def explain_synthetic(version: SubmissionVersion, rules: list[dict[str, Any]]) -> int:
    """Explain each query rule that synthetic data is known to raise (the demo only)."""
    from fgc.hub.models import QueryExplanation
    from fgc.synth.explanations import synthetic_explanations

    texts = synthetic_explanations()
    made = [
        QueryExplanation(version=version, rule_code=r["code"], text=texts[r["code"]])
        for r in rules
        if r.get("severity") == "query" and r["code"] in texts
    ]
    QueryExplanation.objects.bulk_create(made)
    return len(made)


def report_json_path(version: SubmissionVersion) -> str:
    return str(storage.findings_path(version.file_path)).replace(
        ".findings.parquet", ".report.json"
    )


AGGREGATE_FILE = "aggregate.parquet"  # the tidy aggregate of an aggregate return
CIN_SUMMARY_FILE = "cin_summary.parquet"  # one row per pre-proceedings block
CIN_DENOMINATORS_FILE = "cin_denominators.parquet"


def public_message(version: SubmissionVersion, exc: Exception) -> str:
    # Messages name the file they read: show "the uploaded file", never the stored name
    # (and not the council's own file name, which national users must not see).
    return str(exc).replace(Path(version.file_path).name, "the uploaded file")


def _check_aggregate(version: SubmissionVersion, step: ProgressFn) -> None:
    from fgc.hub.aggregate_checks import check_template, check_tidy, rule_messages
    from fgc.returns.template import is_template

    sub = version.submission
    la, period = sub.council.old_la_code, sub.period
    data = storage.absolute(version.file_path).read_bytes()
    if version.file_type == "xlsx" and is_template(data):
        step(40, "Reading the FGC template")
        result = check_template(data, la=la, period=period, source="the uploaded file")
    else:
        read = _read(version)
        step(40, f"Read {read.frame.height:,} rows")
        result = check_tidy(read.frame, la=la, period=period, source="the uploaded file")
    step(90, "Saving the report")
    _finish(
        version,
        findings=result.report.findings,
        report_json=result.report.to_json_dict(),
        rows=result.tidy.height,
        standard_version=result.report.standard_version,
        messages=rule_messages(),
        derived={AGGREGATE_FILE: result.tidy},
    )


def _check_census(version: SubmissionVersion, step: ProgressFn) -> None:
    from fgc.hub.cin_census import check_census, rule_messages

    step(10, "Reading the census")
    result = check_census(
        storage.absolute(version.file_path), la=version.submission.council.old_la_code
    )
    step(90, "Saving the report")
    _finish(
        version,
        findings=result.report.findings,
        report_json=result.report.to_json_dict(),
        rows=result.children,
        standard_version=result.report.standard_version,
        messages=rule_messages(),
        extra={
            "census": {
                "children": result.children,
                "children_with_block": result.children_with_block,
                "blocks": result.summary.height,
            }
        },
        derived={CIN_SUMMARY_FILE: result.summary, CIN_DENOMINATORS_FILE: result.denominators},
    )


def validate_version(version_id: int, progress: ProgressFn | None = None) -> None:
    """Check one version end to end; raises on a failure the caller should record."""
    from fgc.formats.errors import FormatError

    progress = progress or _noop

    def step(percent: int, message: str) -> None:
        _set_progress(version_id, percent, message)
        progress(percent, message)

    version = SubmissionVersion.objects.select_related("submission", "submission__council").get(
        pk=version_id
    )
    SubmissionVersion.objects.filter(pk=version_id).update(
        validation_status=ValidationStatus.RUNNING
    )
    step(5, "Reading the file")
    try:
        if version.submission.kind == Kind.AGGREGATE:
            _check_aggregate(version, step)
            return
        if version.submission.kind == Kind.CIN_CENSUS:
            _check_census(version, step)
            return
        read = _read(version)
    except FormatError as exc:
        # A file we cannot read (or will not, like hostile XML) is a result for the council,
        # not a crash.
        mark_failed(version_id, public_message(version, exc))
        return
    step(40, f"Read {read.frame.height:,} rows")
    step(45, "Checking against the standard")
    report = _call_validate(read.frame, read, step)
    step(90, "Saving the report")
    _finish(
        version,
        findings=report.findings,
        report_json=report.to_json_dict(),
        rows=report.rows,
        standard_version=report.standard_version,
    )


def load_derived(version: SubmissionVersion, name: str) -> pl.DataFrame | None:
    """A frame the check stored beside the upload (``AGGREGATE_FILE`` ...), if there is one."""
    if not version.is_checked:
        return None
    path = storage.absolute(storage.derived_path(version.file_path, name))
    return pl.read_parquet(path) if path.exists() else None


def mark_failed(version_id: int, message: str) -> None:
    with transaction.atomic():
        updated = SubmissionVersion.objects.filter(
            pk=version_id,
            validation_status__in=[ValidationStatus.QUEUED, ValidationStatus.RUNNING],
        ).update(validation_status=ValidationStatus.FAILED, failure_message=message[:500])
        if updated:
            sub_id = SubmissionVersion.objects.values_list("submission_id", flat=True).get(
                pk=version_id
            )
            refresh_status(sub_id)


# --- job glue ---------------------------------------------------------------------------


def run_job(job: Any, progress: ProgressFn) -> None:
    validate_version(int(job.payload["version_id"]), progress)


def on_job_failure(job: Any, message: str) -> None:
    version_id = job.payload.get("version_id")
    if version_id is not None:
        mark_failed(int(version_id), message)


def load_findings(version: SubmissionVersion) -> pl.DataFrame:
    if not version.findings_path:
        return empty_findings()
    return pl.read_parquet(storage.absolute(version.findings_path))


def load_report_json(version: SubmissionVersion) -> dict[str, Any] | None:
    if not version.findings_path:
        return None
    result: dict[str, Any] = json.loads(storage.absolute(report_json_path(version)).read_bytes())
    return result
