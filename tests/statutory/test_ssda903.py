"""SSDA903 files as councils send them: layouts, dates, years, and every refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from fgc.statutory import PLACE_LIVING, StatutoryError, codes, read_episodes, read_header

HEAD = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def write(tmp_path: Path, name: str, *lines: str, head: str = HEAD) -> Path:
    p = tmp_path / name
    p.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    return p


def test_dfe_layout_with_uk_dates(tmp_path):
    p = write(tmp_path, "episodes_2025.csv",
              "C1,01/04/2024,S,V2,N1,U4,PR1,15/05/2024,X1,,TS8,TS8,SC1",
              "C1,15/05/2024,L,C1,N1,U4,PR1,,,,TS8,TS8,SC1")  # fmt: skip
    ep = read_episodes([p], as_at=date(2025, 3, 31))
    assert ep["CHILD"].to_list() == ["C1", "C1"]
    assert ep["DECOM"].to_list() == [date(2024, 4, 1), date(2024, 5, 15)]
    assert ep["DEC"].to_list() == [date(2024, 5, 15), None]
    assert ep["LS"].to_list() == ["V2", "C1"]


def test_iso_dates_and_lower_case_headers(tmp_path):
    p = write(tmp_path, "e.csv", "c1,2024-04-01,S,V2,U4,", head="child,decom,rne,ls,place,dec")
    assert read_episodes([p], as_at=date(2025, 3, 31))["DECOM"].to_list() == [date(2024, 4, 1)]


def test_excel_file(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC"])
    ws.append(["C1", date(2024, 4, 1), "S", "V2", "U4", None])
    p = tmp_path / "episodes.xlsx"
    wb.save(p)
    assert read_episodes([p], as_at=date(2025, 3, 31))["DECOM"].to_list() == [date(2024, 4, 1)]


def test_several_years_are_one_history(tmp_path):
    # Last year's file has the episode open; this year's closes it and adds the next one.
    last = write(tmp_path, "2024.csv", "C1,01/02/2024,S,V2,N1,U4,PR1,,,,,,")
    this = write(tmp_path, "2025.csv",
                 "C1,01/02/2024,S,V2,N1,U4,PR1,01/06/2024,X1,,,,",
                 "C1,01/06/2024,L,C2,N1,U4,PR1,,,,,,")  # fmt: skip
    for order in ([last, this], [this, last]):
        ep = read_episodes(order, as_at=date(2025, 3, 31))
        assert ep.height == 2
        assert ep["DEC"].to_list() == [date(2024, 6, 1), None]


def test_unknown_layout_is_refused(tmp_path):
    p = write(tmp_path, "header.csv", "C1,1,01/01/2015,WBRI", head="CHILD,SEX,DOB,ETHNIC")
    with pytest.raises(StatutoryError, match=r"header\.csv is not an SSDA903 episodes file .* "
                       r"no DECOM, RNE, LS, PLACE, DEC columns"):  # fmt: skip
        read_episodes([p])


def test_dec_before_decom(tmp_path):
    p = write(tmp_path, "e.csv", "C1,01/04/2024,S,V2,N1,U4,PR1,31/03/2024,E13,,,,")
    with pytest.raises(StatutoryError, match=r"e\.csv row 2, column DEC: 31/03/2024 is before "
                       r"DECOM 01/04/2024") as err:  # fmt: skip
        read_episodes([p], as_at=date(2025, 3, 31))
    assert "nothing was changed" in str(err.value)


def test_overlapping_episodes(tmp_path):
    p = write(tmp_path, "e.csv",
              "C1,01/04/2024,S,V2,N1,U4,PR1,01/06/2024,X1,,,,",
              "C1,15/05/2024,P,V2,N1,U6,PR1,,,,,,")  # fmt: skip
    with pytest.raises(StatutoryError, match=r"row 3, column DECOM: child C1's episode from "
                       r"15/05/2024 overlaps the episode from 01/04/2024 \(e\.csv row 2\), "
                       r"which ended 01/06/2024"):  # fmt: skip
        read_episodes([p], as_at=date(2025, 3, 31))


def test_an_open_episode_followed_by_another_overlaps(tmp_path):
    p = write(tmp_path, "e.csv", "C1,01/04/2024,S,V2,N1,U4,PR1,,,,,,",
              "C1,15/05/2024,P,V2,N1,U6,PR1,,,,,,")  # fmt: skip
    with pytest.raises(StatutoryError, match="which has no end date"):
        read_episodes([p], as_at=date(2025, 3, 31))


def test_episodes_touching_on_the_same_day_do_not_overlap(tmp_path):
    p = write(tmp_path, "e.csv", "C1,01/04/2024,S,V2,N1,U4,PR1,01/06/2024,X1,,,,",
              "C1,01/06/2024,P,V2,N1,U6,PR1,,,,,,")  # fmt: skip
    assert read_episodes([p], as_at=date(2025, 3, 31)).height == 2


def test_future_dates(tmp_path):
    p = write(tmp_path, "e.csv", "C1,01/04/2025,S,V2,N1,U4,PR1,,,,,,")
    with pytest.raises(StatutoryError, match=r"column DECOM: '01/04/2025'; expected a date on "
                       r"or before 31/03/2025"):  # fmt: skip
        read_episodes([p], as_at=date(2025, 3, 31))
    assert read_episodes([p], as_at=date(2025, 4, 1)).height == 1


def test_bad_dates_and_codes(tmp_path):
    bad_date = write(tmp_path, "d.csv", "C1,31/02/2024,S,V2,N1,U4,PR1,,,,,,")
    with pytest.raises(StatutoryError, match=r"d\.csv row 2, column DECOM: '31/02/2024'; "
                       "expected a date as dd/mm/yyyy"):  # fmt: skip
        read_episodes([bad_date], as_at=date(2025, 3, 31))
    bad_code = write(tmp_path, "c.csv", "C1,01/03/2024,S,V2,N1,U4,PR1,,,,,,",
                     "C2,01/03/2024,S,XX,N1,U4,PR1,,,,,,")  # fmt: skip
    with pytest.raises(StatutoryError, match=r"c\.csv row 3, column LS: 'XX'; expected one of "
                       "the DfE codes"):  # fmt: skip
        read_episodes([bad_code], as_at=date(2025, 3, 31))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(StatutoryError.__mro__[1], match="no such file"):
        read_episodes([tmp_path / "nope.csv"])


def test_header_file(tmp_path):
    p = write(
        tmp_path,
        "h.csv",
        "C1,2,15/03/2015,WBRI,A123,,",
        head="CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    )
    h = read_header([p], as_at=date(2025, 3, 31))
    assert h.row(0, named=True) == {"CHILD": "C1", "SEX": "2", "DOB": date(2015, 3, 15),
                                    "ETHNIC": "WBRI"}  # fmt: skip


def test_code_lists_are_the_dfe_ones():
    assert set(codes("LS")) >= {"C1", "C2", "V2", "E1", "L2"}
    assert set(codes("RNE")) == {"S", "L", "P", "T", "B", "U"}
    assert PLACE_LIVING["P1"] == "WITH_PARENTS" and PLACE_LIVING["U3"] == "KINSHIP"
    assert set(PLACE_LIVING) == set(codes("PLACE"))
