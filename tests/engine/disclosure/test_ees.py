import polars as pl

from fgc.engine.disclosure import TableSpec, check_ees, publish


def test_publish_writes_ees_files_that_pass_conventions(tmp_path):
    f = pl.DataFrame(
        {
            "la_code": ["805"] * 3 + ["806"] * 3,
            "sex": ["Male", "Female", "Total"] * 2,
            "offered": [3, 20, 23, 10, 12, 22],
            "accepted": [2, 10, 12, 5, 6, 11],
        }
    )
    pub = publish(
        [
            TableSpec(
                "fgc",
                f,
                ("sex",),
                ("offered", "accepted"),
                (("rate", "accepted", "offered", "Accepted (%)"),),
            )
        ],
        "2025-26",
    )
    assert pub.ok, (pub.problems, pub.check.disclosures)
    pub.write(tmp_path)
    assert check_ees(tmp_path / "fgc.csv", tmp_path / "fgc.meta.csv") == []
    data = pl.read_csv(tmp_path / "fgc.csv", infer_schema=False)
    assert set(data["time_period"]) == {"202526"}
    assert set(data["time_identifier"]) == {"Financial year"}
    assert set(data["geographic_level"]) == {"National", "Regional", "Local authority"}
    # The log reveals hidden values ("count of 1 ..."): never in the release folder.
    assert not (tmp_path / "suppression_log.csv").exists()
    assert {p.name for p in tmp_path.iterdir()} == {"fgc.csv", "fgc.meta.csv"}
    log = pl.read_csv(pub.write_internal_log(tmp_path.parent / "internal" / "log.csv"))
    assert set(log["kind"]) == {"primary", "secondary"}


def test_check_ees_finds_problems(tmp_path):
    (tmp_path / "d.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,sex,n\n"
        "2025,Financial year,National,E92000001,England,Male,\n"
    )
    (tmp_path / "d.meta.csv").write_text(
        "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,"
        "filter_grouping_column\nsex,Filter,Sex,,,,,\nn,Indicator,N,,,0,,\n"
    )
    problems = check_ees(tmp_path / "d.csv", tmp_path / "d.meta.csv")
    text = " | ".join(problems)
    assert "time_period" in text and "n is blank" in text and "Total" in text
