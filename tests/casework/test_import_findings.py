"""An import's findings: every row listed, grouped when the same finding repeats."""

from __future__ import annotations

import polars as pl

from fgc.casework.findings import group_problems, group_report, rows_text
from fgc.casework.importer import Problem
from fgc.engine.validate import validate
from fgc.synth import generate

ETHNICITY = "a code or label from the 'Ethnicity' list"


def test_rows_text_lists_every_row_with_ranges():
    assert rows_text([4]) == "row 4"
    assert rows_text([12, 4, 9, 13, 14, 4]) == "rows 4, 9, 12-14"


def test_repeated_problems_are_one_group_with_every_row():
    rows = [4, 9, 12, *range(20, 54)]
    problems = [Problem(r, "Ethnic origin", "White Brit", ETHNICITY) for r in rows]
    problems.insert(1, Problem(5, "Date FGC offered", "soon", "a date"))
    groups = group_problems(problems)
    assert [g.rows for g in groups] == [rows, [5]]
    first = str(groups[0])
    assert first.startswith("column 'Ethnic origin': 'White Brit' is not a code or label")
    assert first.endswith("rows 4, 9, 12, 20-53 (37 rows)")
    assert str(groups[1]) == "column 'Date FGC offered': 'soon' is not a date — row 5 (1 row)"


def test_report_groups_by_rule_with_every_row():
    frame = generate(["805"], ["2025-26"], seed=3).head(40)
    frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("sex"))
    report = validate(frame)
    groups = group_report(report.findings)
    distinct = report.findings.select("code", "field", "row").unique().height
    assert distinct > 0 and sum(len(g.rows) for g in groups) == distinct
    sex = [g for g in groups if "(sex)" in g.text]
    assert len(sex) == 1
    assert sex[0].text.startswith("error ")
    assert len(sex[0].rows) == 40  # every row, not the first five
    severities = [g.text.split()[0] for g in groups]
    assert severities == sorted(severities, key=lambda s: s != "error")
