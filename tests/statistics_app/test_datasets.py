"""A frozen table read as a dataset: filtering and the changes between two versions."""

from __future__ import annotations

import pytest

from fgc.statistics import datasets

HEAD = (
    "time_period,time_identifier,geographic_level,region_code,old_la_code,la_name,sex,offered,held"
)
META = (
    "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,"
    "filter_grouping_column\n"
    "sex,Filter,Sex,,,,,\n"
    "offered,Indicator,Children offered,,,0,,\n"
    "held,Indicator,Children with an FGC held,,,0,,\n"
)
V1 = "\n".join(
    [
        HEAD,
        "202526,Financial year,National,,,,Total,900,400",
        "202526,Financial year,Local authority,E12000001,805,Hartlepool,Female,318,113",
        "202526,Financial year,Local authority,E12000001,805,Hartlepool,Male,c,c",
        "202526,Financial year,Local authority,E12000001,806,Middlesbrough,Female,40,12",
    ]
)
V2 = "\n".join(
    [
        HEAD,
        "202526,Financial year,National,,,,Total,910,400",
        "202526,Financial year,Local authority,E12000001,805,Hartlepool,Female,318,113",
        "202526,Financial year,Local authority,E12000001,805,Hartlepool,Male,c,c",
        "202526,Financial year,Local authority,E12000001,807,Redcar and Cleveland,Female,51,20",
    ]
)


def test_query_by_time_period_level_and_council_keeps_published_text():
    ds = datasets.load(V1, META)
    rows = datasets.query(
        ds,
        {"time_period": ["2025-26"], "geographic_level": ["Local authority"], "la_code": ["805"]},
    )
    assert [(r["sex"], r["offered"], r["held"]) for r in rows] == [
        ("Female", "318", "113"),
        ("Male", "c", "c"),  # suppressed stays suppressed
    ]
    # The EES code and a repeated parameter (either value) work too.
    both = datasets.query(ds, {"time_period": ["202526"], "la_code": ["805", "806"]})
    assert [r["la_name"] for r in both] == ["Hartlepool", "Hartlepool", "Middlesbrough"]
    assert [r["offered"] for r in datasets.query(ds, {"sex": ["Female"]})] == ["318", "40"]


def test_unknown_filter_is_refused_with_the_allowed_ones():
    ds = datasets.load(V1, META)
    with pytest.raises(datasets.QueryError) as exc:
        datasets.query(ds, {"council": ["805"]})
    assert str(exc.value) == (
        "Unknown filter council: this dataset is filtered by "
        "time_period, geographic_level, region_code, la_code, sex"
    )
    assert exc.value.allowed["la_code"] == ["805", "806"]
    assert exc.value.allowed["sex"] == ["Female", "Male", "Total"]


def test_unknown_value_is_refused_listing_the_values_allowed():
    ds = datasets.load(V1, META)
    with pytest.raises(datasets.QueryError) as exc:
        datasets.query(ds, {"la_code": ["999"]})
    assert str(exc.value) == "la_code=999 is not in this dataset; la_code may be 805, 806"
    assert exc.value.allowed == {"la_code": ["805", "806"]}
    with pytest.raises(datasets.QueryError, match="time_period may be 202526"):
        datasets.query(ds, {"time_period": ["2024-25"]})


def test_changes_between_versions_are_rows_added_removed_and_changed():
    diff = datasets.changes(datasets.load(V1, META), datasets.load(V2, META))
    assert [r["la_code" if "la_code" in r else "old_la_code"] for r in diff["added"]] == ["807"]
    assert [r["old_la_code"] for r in diff["removed"]] == ["806"]
    assert diff["changed"] == [
        {
            "key": {
                "time_period": "202526",
                "time_identifier": "Financial year",
                "geographic_level": "National",
                "region_code": "",
                "old_la_code": "",
                "la_name": "",
                "sex": "Total",
            },
            "values": {"offered": {"from": "900", "to": "910"}},
        }
    ]
    assert diff["columns_added"] == [] and diff["columns_removed"] == []
    same = datasets.changes(datasets.load(V1, META), datasets.load(V1, META))
    assert same["added"] == same["removed"] == same["changed"] == []
