"""The validation engine: findings table shape, Excel row numbers, report, JSON."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fgc.engine.validate import FINDING_COLUMNS, ROW_COLUMN, validate
from fgc.standard import load_standard

from .rules.builders import REF, check, children, frame, plo, row


def codes(rows: list[dict], **kw: object) -> set[tuple[str, str]]:
    return {(f["code"], f["field"]) for f in check(rows, **kw).findings.to_dicts()}  # type: ignore[arg-type]


def test_findings_columns_exactly() -> None:
    report = check([row(sex="X")])
    assert tuple(report.findings.columns) == FINDING_COLUMNS
    assert report.findings.schema["row"] == pl.Int64


def test_row_is_excel_row_number_by_default() -> None:
    report = check([row(), row(child_id="C2"), row(child_id="C3", sex="X")])
    (finding,) = report.findings.to_dicts()
    assert finding["row"] == 4  # header is row 1, third data row is row 4
    assert (finding["episode_id"], finding["child_id"], finding["value"]) == ("E1", "C3", "X")


def test_row_column_from_reader_is_used() -> None:
    df = frame([row(), row(child_id="C2", sex="X")]).with_columns(
        pl.Series(ROW_COLUMN, [7, 12], dtype=pl.Int64)
    )
    report = validate(df, reference_date=REF)
    assert report.findings["row"].to_list() == [12]


def test_reader_row_column_constant_matches() -> None:
    formats = pytest.importorskip("fgc.formats")
    assert formats.ROW_COLUMN == ROW_COLUMN


def test_findings_sorted_by_row_then_code() -> None:
    rows = [row(sex="X", child_id="C 1"), row(child_id="C2", ethnicity=None)]
    f = check(rows).findings
    assert f.select("row", "code").rows() == sorted(f.select("row", "code").rows())
    assert f["code"].to_list() == ["FGC002", "FGC006", "FGC001"]


def test_counts_and_has_errors() -> None:
    report = check([plo(offer_in_lbp="N")])
    assert (report.error_count, report.query_count, report.has_errors) == (0, 1, False)
    report = check([row(sex="X")])
    assert report.has_errors and report.error_count == 1
    assert report.standard_version == load_standard().version
    assert report.rows == 1


def test_json_dict_schema() -> None:
    report = validate(
        frame([row(sex="X"), {**row(child_id="C2"), "offer_in_lbp": None}]),
        reference_date=REF,
        unknown_columns=["Notes"],
        source="june.csv",
    )
    d = report.to_json_dict()
    assert {"standard_version", "rows", "source", "errors", "queries"} <= set(d)
    assert d["standard_version"] == "0.1" and d["rows"] == 2 and d["source"] == "june.csv"
    assert [e["code"] for e in d["errors"]] == ["FGC002"]
    assert set(d["errors"][0]) == set(FINDING_COLUMNS)
    assert d["queries"] == [
        {
            "row": 1,
            "episode_id": None,
            "child_id": None,
            "field": "Notes",
            "value": "Notes",
            "code": "FGC026",
            "severity": "query",
            "message": d["queries"][0]["message"],
        }
    ]


def test_summary_per_rule_with_example_rows() -> None:
    rows = [row(child_id=f"C{i}", sex="X") for i in range(8)]
    (s,) = check(rows).summary(examples=5)
    assert s["code"] == "FGC002" and s["count"] == 8 and s["severity"] == "error"
    assert s["rows"] == [2, 3, 4, 5, 6]
    assert s["fields"] == ["sex"]


def test_values_are_what_the_council_sent() -> None:
    f = check([row(date_of_birth=" 2015-13-01 ")]).findings.to_dicts()
    assert [(x["code"], x["value"]) for x in f] == [("FGC004", "2015-13-01")]


def test_blank_and_spaces_count_as_missing() -> None:
    assert ("FGC001", "ethnicity") in codes([row(ethnicity="   ")])


def test_every_kind_of_surrounding_whitespace_is_stripped() -> None:
    # Tabs, no-break and ideographic spaces at a value's ends are stripped like spaces.
    f = check([row(date_of_birth="\u00a02015-13-01\t", sex="F\u3000")]).findings.to_dicts()
    assert [(x["code"], x["value"]) for x in f] == [("FGC004", "2015-13-01")]


def test_code_column_cleaned_when_its_other_cells_are_valid_codes() -> None:
    # Valid codes prove most cells of a code column clean; the rest are still stripped:
    # an unknown code with padding, a padded valid code, and an empty cell.
    rows = [row(), row(child_id="C2", sex="X\t"), row(child_id="C3", sex=" F")]
    f = check([*rows, row(child_id="C4", ethnicity="")]).findings.to_dicts()
    assert sorted((x["code"], x["field"], x["value"]) for x in f) == [
        ("FGC001", "ethnicity", None),
        ("FGC002", "sex", "X"),
    ]


def test_code_with_spaces_inside_is_kept_in_a_code_column() -> None:
    f = check([row(), row(child_id="C2", sex="F M")]).findings.to_dicts()
    assert [(x["code"], x["value"]) for x in f] == [("FGC002", "F M")]


@pytest.mark.parametrize("pad", [" ", "\t", "\u3000", "\xa0", "\r"], ids=repr)
def test_padded_dates_and_numbers_are_cleaned_beside_valid_ones(pad: str) -> None:
    # The date parser accepts leading whitespace; cleaning must still strip it (and any
    # trailing), so a padded family date or number agrees with its sibling's.
    for field, value in (("offer_date", "2024-01-10"), ("family_attendees", "6")):
        for padded in (pad + value, value + pad, pad + value + pad):
            found = check(children(row(), row(**{field: padded}))).findings
            assert found.is_empty(), (field, padded, found.to_dicts())


def test_spaces_inside_a_value_are_kept() -> None:
    f = check([row(date_of_birth="2015 -13-01")]).findings.to_dicts()
    assert [(x["code"], x["value"]) for x in f] == [("FGC004", "2015 -13-01")]


def test_required_depends_on_state() -> None:
    assert ("FGC001", "lbp_date") in codes([plo(lbp_date=None)])
    assert ("FGC001", "lbp_date") not in codes([row(lbp_date=None)])


def test_multi_code_unknown_and_repeat() -> None:
    for bad in ("MOB;MOB", "MOB;XYZ", "MOB;", "NONE;NONE"):
        assert ("FGC003", "disability") in codes([row(disability=bad)]), bad
    assert ("FGC003", "disability") not in codes([row(disability="MOB; HAND")])


def test_date_order_uses_nearest_recorded_step() -> None:
    # no review: closure is compared with the conference
    found = codes([row(review_date=None, plan_progress=None, closure_date="2024-02-01")])
    assert ("FGC008", "closure_date") in found


def test_family_field_blank_on_one_child_disagrees() -> None:
    found = check(children(row(), row(interpreter_needed=None))).findings
    hits = found.filter(pl.col("code") == "FGC013")
    assert hits["row"].to_list() == [2, 3] and set(hits["field"]) == {"interpreter_needed"}


def test_outcome_anchor_is_lbp_for_plo() -> None:
    # offer 2024-01-10 but LBP 2024-06-01: 12 months from the LBP have not passed on 2025-03-01
    rows = [plo(lbp_date="2024-06-01", care_application_date=None)]
    found = codes(rows, reference_date=date(2025, 3, 1))
    assert ("FGC021", "looked_after_12m") in found
    assert ("FGC021", "looked_after_6m") not in found


def test_non_text_columns_are_accepted() -> None:
    df = frame([row()]).with_columns(
        pl.lit(date(2024, 1, 10)).alias("offer_date"), pl.lit(6).alias("family_attendees")
    )
    assert validate(df, reference_date=REF).findings.is_empty()


def test_missing_columns_are_reported_as_missing() -> None:
    df = frame([row()]).drop("sex")
    f = validate(df, reference_date=REF).findings
    assert f.select("code", "field").rows() == [("FGC001", "sex")]


def test_empty_frame_is_an_error() -> None:
    # A header-only return used to pass as "valid" and could be signed off (issue 11).
    report = validate(pl.DataFrame({"episode_id": pl.Series([], dtype=pl.Utf8)}))
    assert report.rows == 0 and report.has_errors
    assert report.findings["code"].to_list() == ["FGC028"]
    assert report.findings["row"].to_list() == [1]


def test_unknown_columns_are_one_grouped_finding() -> None:
    # 10,000 stray columns used to give 10,000 queries (a 479 kB report page).
    names = [f"col{i}" for i in range(10_000)]
    extra = pl.DataFrame({n: ["x"] for n in names})
    report = validate(pl.concat([frame([row()]), extra], how="horizontal"), reference_date=REF)
    (f,) = report.findings.filter(pl.col("code") == "FGC026").to_dicts()
    assert f["message"].startswith("10,000 columns are not fields of the standard")
    assert "'col0', 'col1'" in f["message"] and "and 9,980 more" in f["message"]
    assert f["field"] == "col0" and f["row"] == 1
    assert report.query_count == 1


def test_a_frame_with_no_standard_column_is_checked_not_crashed() -> None:
    # Twenty million one-cell rows from a zip bomb raised polars' ShapeError here.
    report = validate(pl.DataFrame({"stray": ["a", "b", "c"]}), reference_date=REF)
    assert report.rows == 3
    assert "FGC026" in report.findings["code"].to_list()
    assert report.has_errors


def test_default_reference_date_is_today() -> None:
    assert check([row()], reference_date=None).reference_date == date.today()  # type: ignore[arg-type]


def test_progress_is_reported() -> None:
    seen: list[float] = []
    validate(frame([row()]), reference_date=REF, progress=lambda pct, msg: seen.append(pct))
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)


def test_allocation_required_for_an_fgc_but_not_a_family_network_meeting():
    """A family network meeting is run by the allocated worker: no independent coordinator."""
    no_allocation = {"allocation_date": None, "coordinator_type": None}
    fnm = validate(frame([row(meeting_type="FNM", **no_allocation)]), reference_date=REF)
    fgc = validate(frame([row(meeting_type="FGC", **no_allocation)]), reference_date=REF)
    assert fnm.error_count == 0
    missing = fgc.findings.filter(pl.col("code") == "FGC001")["field"].to_list()
    assert missing == ["allocation_date"]


def test_each_reference_date_is_checked_against_its_own_date() -> None:
    # The built checks are reused between calls: each reference date must still get its own.
    rows = [row()]
    before = codes(rows, reference_date=date(2024, 1, 15))
    after = codes(rows, reference_date=REF)
    assert ("FGC007", "referral_date") in before
    assert ("FGC007", "referral_date") not in after
    assert codes(rows, reference_date=date(2024, 1, 15)) == before
