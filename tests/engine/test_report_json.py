"""The JSON report is exactly what ``json.dumps(report.to_json_dict(), indent=2)`` writes."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest

from fgc.engine.report import to_json, write_json
from fgc.engine.validate import FINDINGS_SCHEMA, ValidationReport, validate
from fgc.synth import generate

AWKWARD = ['quote " and \\ slash', "line\nbreak\ttab\r", "\x00\x1f\x7f", "é £ 😀 \u2028", "}", ""]


def reference(report: ValidationReport) -> str:
    return json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False)


def findings(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA)


def test_synthetic_returns_report_is_identical() -> None:
    frame = generate("805", ["2024-25"], seed=3)
    report = validate(frame, reference_date=date(2026, 3, 31), source="x.csv")
    assert report.findings.height > 0
    assert to_json(report) == reference(report)


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_and_nulls_are_escaped_as_json_does(text: str) -> None:
    rows: list[dict[str, object]] = [
        {
            "row": 2,
            "field": text,
            "value": text,
            "code": "X1",
            "severity": "error",
            "message": text,
        },
        {"row": None, "episode_id": None, "code": "X2", "severity": "query", "message": "m"},
        {"row": -5, "child_id": text, "code": "X3", "severity": "error", "message": "n"},
    ]
    report = ValidationReport("0.1", 3, findings(rows), source=text, reference_date=None)
    assert to_json(report) == reference(report)
    assert json.loads(to_json(report))["errors"][0]["value"] == text


@pytest.mark.parametrize("severity", ["error", "query", None])
def test_empty_and_one_sided_reports_are_identical(severity: str | None) -> None:
    rows: list[dict[str, object]] = []
    if severity:
        rows = [{"row": 9, "code": "X", "severity": severity, "message": "m"}]
    report = ValidationReport("0.1", 0, findings(rows))
    assert to_json(report) == reference(report)


def interleaved() -> ValidationReport:
    """Errors and queries mixed, with every awkward value, as a file report would hold them."""
    rows: list[dict[str, object]] = [
        {
            "row": i,
            "episode_id": text,
            "child_id": None if i % 2 else text,
            "field": text,
            "value": None if i % 3 else text,
            "code": f"X{i}",
            "severity": "error" if i % 2 else "query",
            "message": text,
        }
        for i, text in enumerate(AWKWARD * 3)
    ]
    return ValidationReport("0.1", 18, findings(rows), source='naïve "x".csv')


@pytest.mark.parametrize("severity", ["error", "query", None])
def test_write_json_is_to_json_and_a_line_break_in_utf8(severity: str | None, tmp_path) -> None:
    rows: list[dict[str, object]] = []
    if severity:
        rows = [{"row": 9, "code": "X", "severity": severity, "message": "é\n"}]
    for report in (interleaved(), ValidationReport("0.1", 0, findings(rows))):
        want = (reference(report) + "\n").encode("utf-8")
        out = io.BytesIO()
        write_json(report, out)
        assert out.getvalue() == want
        # A real file: polars writes the findings to its descriptor, between buffered writes.
        path = tmp_path / "report.json"
        with path.open("wb") as fh:
            write_json(report, fh)
        assert path.read_bytes() == want
        assert to_json(report) == reference(report)


def test_write_json_of_a_report_with_its_own_json_goes_through_json() -> None:
    @dataclass(frozen=True)
    class Other(ValidationReport):
        def to_json_dict(self) -> dict[str, object]:
            return {"checked": '£ "x"', "n": [1, None]}

    report = Other("0.1", 1, findings([]))
    out = io.BytesIO()
    write_json(report, out)
    assert out.getvalue() == (reference(report) + "\n").encode("utf-8")
