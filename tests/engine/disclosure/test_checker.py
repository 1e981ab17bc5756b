import polars as pl

from fgc.engine.disclosure import check_tables


def _table(rows):
    return pl.DataFrame(
        rows, schema=["geographic_level", "region_code", "la_code", "sex", "n"], orient="row"
    )


LA = "Local authority"


def test_row_total_with_one_hidden_cell_is_attackable():
    t = _table(
        [
            (LA, "E12000001", "805", "Male", "c"),
            (LA, "E12000001", "805", "Female", "20"),
            (LA, "E12000001", "805", "Total", "23"),
        ]
    )
    res = check_tables([(t, ("sex",), ("n",))])
    assert not res.ok
    assert res.disclosures[0].value == 3


def test_two_hidden_cells_are_protected():
    t = _table(
        [
            (LA, "E12000001", "805", "Male", "c"),
            (LA, "E12000001", "805", "Female", "c"),
            (LA, "E12000001", "805", "Total", "23"),
        ]
    )
    assert check_tables([(t, ("sex",), ("n",))]).ok


def test_chain_across_rows_and_columns_is_solved_linearly():
    # Column total (region) is exact here (no rounding), so the 2x2 block leaks via a chain.
    t = _table(
        [
            (LA, "E12000001", "805", "Male", "c"),
            (LA, "E12000001", "805", "Female", "c"),
            (LA, "E12000001", "805", "Total", "23"),
            (LA, "E12000001", "806", "Male", "c"),
            (LA, "E12000001", "806", "Female", "9"),
            (LA, "E12000001", "806", "Total", "12"),
        ]
    )
    res = check_tables([(t, ("sex",), ("n",))])
    assert {d.cell[1] for d in res.disclosures} == {"806"}


def test_rounded_low_region_with_hidden_councils_pins_them():
    t = _table(
        [
            ("Regional", "E12000001", None, "Total", "low"),
            (LA, "E12000001", "805", "Total", "c"),
            (LA, "E12000001", "806", "Total", "c"),
            (LA, "E12000001", "807", "Total", "c"),
            (LA, "E12000001", "808", "Total", "c"),
        ]
    )
    res = check_tables([(t, ("sex",), ("n",))], rounding_base=10)
    assert len(res.disclosures) == 4 and all(d.method == "interval" for d in res.disclosures)


def test_cross_table_differencing():
    a = _table(
        [
            (LA, "E12000001", "805", "Male", "c"),
            (LA, "E12000001", "805", "Female", "c"),
            (LA, "E12000001", "805", "Total", "c"),
        ]
    )
    b = pl.DataFrame(
        {
            "geographic_level": [LA] * 3,
            "region_code": ["E12000001"] * 3,
            "la_code": ["805"] * 3,
            "age": ["Young", "Old", "Total"],
            "n": ["11", "12", "23"],
        }
    )
    res = check_tables([(a, ("sex",), ("n",)), (b, ("age",), ("n",))])
    assert any(d.cell == ("n", "805", ()) and d.value == 23 for d in res.disclosures)
