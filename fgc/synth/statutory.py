"""SSDA903 episodes and a CIN census for the same synthetic children.

The synthetic FGC rows already hold each child's 6- and 12-month outcomes (drawn at the
pre-proceedings trial's rates). These files tell the same story in the DfE layouts, so that
``fgc outcomes`` derives exactly those outcomes from them, and they add children in
pre-proceedings who were never offered an FGC (the comparison's fourth group), looked after
at 12 months at about the trial's usual-care rate (44.8%).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.linkage.outcomes import index_date_expr
from fgc.standard import load_standard

# The standard's living arrangement at 12 months -> an SSDA903 placement that groups the same.
PLACE_FOR: dict[str, str] = {
    "WITH_PARENTS": "P1",
    "WITH_ONE_PARENT": "P1",
    "RETURN_HOME": "P1",
    "MATERNAL_FAMILY": "U3",
    "PATERNAL_FAMILY": "U3",
    "FAMILY_FRIEND": "U3",
    "FOSTER_CARE": "U4",
    "OTHER_CARE": "K2",
}
USUAL_CARE_LOOKED_AFTER = 0.448  # the trial's usual-care arm
NOT_OFFERED_SHARE = 0.25  # pre-proceedings children not offered, per FGC child in PLO
SEX_CODE = {"M": "1", "F": "2"}


@dataclass(frozen=True)
class StatutoryFiles:
    episodes: pl.DataFrame  # SSDA903 episodes, DfE columns, dates as dd/mm/yyyy text
    header: pl.DataFrame  # SSDA903 header
    census: dict[str, bytes]  # la_code -> CIN census XML


def _uk(d: date | None) -> str | None:
    return None if d is None else d.strftime("%d/%m/%Y")


def _episodes_for(
    rng: random.Random, child: str, idx: date, la6: str | None, la12: str | None,
    proceedings: str | None, living: str | None, as_at: date,
) -> list[dict[str, str | None]]:  # fmt: skip
    """Back-to-back episodes whose derived outcomes are the given ones."""
    d6 = _add_months(idx, 6)
    d12 = _add_months(idx, 12)
    ls = "C1" if proceedings == "Y" else "V2"
    place = PLACE_FOR.get(living or "", "U4")
    rows: list[tuple[date, date | None, str]] = []
    if la6 == "Y" and la12 == "Y":
        rows.append((idx + timedelta(rng.randint(1, (d6 - idx).days - 1)), None, place))
    elif la6 == "Y":
        start = idx + timedelta(rng.randint(1, (d6 - idx).days - 1))
        rows.append((start, d6 + timedelta(rng.randint(1, (d12 - d6).days - 1)), "U4"))
    elif la12 == "Y":
        rows.append((d6 + timedelta(rng.randint(1, (d12 - d6).days - 1)), None, place))
    elif la6 == "N" and rng.random() < 0.1:  # a short stay that was over by six months
        start = idx + timedelta(rng.randint(1, 60))
        rows.append((start, start + timedelta(rng.randint(5, 60)), "U4"))
    # Nothing after the as-at date: an episode not yet begun is not in the file, and one
    # that ends later is still open on it.
    rows = [(s, e if e is None or e <= as_at else None, p) for s, e, p in rows if s <= as_at]
    return [
        {"CHILD": child, "DECOM": _uk(s), "RNE": "S", "LS": ls, "CIN": "N1", "PLACE": p,
         "PLACE_PROVIDER": "PR0" if p == "P1" else "PR1", "DEC": _uk(e),
         "REC": "E13" if e else None}
        for s, e, p in rows
    ]  # fmt: skip


def _add_months(d: date, n: int) -> date:
    month = d.month - 1 + n
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError(d)


def statutory_files(fgc: pl.DataFrame, *, seed: int = 7, as_at: date) -> StatutoryFiles:
    """SSDA903 and CIN census files for the children of a synthetic FGC frame."""
    rng = random.Random(seed)
    std = load_standard()
    typed = type_frame(fgc, std).with_columns(index_date_expr().alias("_index"))
    first = (
        typed.filter(pl.col("child_id").is_not_null() & pl.col("_index").is_not_null())
        .sort(["la_code", "child_id", "_index"])
        .unique(subset=["la_code", "child_id"], keep="first", maintain_order=True)
    )
    episodes: list[dict[str, str | None]] = []
    header: list[dict[str, str | None]] = []
    census_children: dict[str, list[str]] = {}
    for r in first.iter_rows(named=True):
        episodes += _episodes_for(rng, r["child_id"], r["_index"], r["looked_after_6m"],
                                  r["looked_after_12m"], r["proceedings_issued_12m"],
                                  r["living_arrangement_12m"], as_at)  # fmt: skip
        header.append(
            {"CHILD": r["child_id"], "SEX": SEX_CODE.get(r["sex"] or "", "1"),
             "DOB": _uk(r["date_of_birth"]), "ETHNIC": r["ethnicity"]}
        )  # fmt: skip
        if r["stage"] == "PLO" and r["lbp_date"] is not None:
            census_children.setdefault(r["la_code"], []).append(
                _census_child(
                    r["child_id"],
                    r["date_of_birth"],
                    r["sex"],
                    r["ethnicity"],
                    r["lbp_date"],
                    r["offer_in_lbp"] == "Y",
                )
            )
            if rng.random() < NOT_OFFERED_SHARE:
                _add_not_offered(rng, r, as_at, episodes, census_children)
    names = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"]
    ep = pl.DataFrame(episodes, schema=dict.fromkeys(names, pl.Utf8))
    head = pl.DataFrame(header, schema=dict.fromkeys(["CHILD", "SEX", "DOB", "ETHNIC"], pl.Utf8))
    # The SSDA903 header lists looked-after children only.
    head = head.filter(pl.col("CHILD").is_in(ep["CHILD"].unique().implode()))
    census = {la: _census(la, kids, as_at) for la, kids in census_children.items()}
    return StatutoryFiles(ep, head, census)


def _add_not_offered(
    rng: random.Random, like: dict, as_at: date, episodes: list, census: dict[str, list[str]]
) -> None:
    child = f"N{like['child_id']}"[:20]
    lbp = like["lbp_date"] + timedelta(rng.randint(-60, 60))
    # In the same financial year as the FGC child's, so a year's figures (the impact
    # estimate's "children not offered this year") are not a stub of the next year.
    start = date(like["lbp_date"].year - (like["lbp_date"].month < 4), 4, 1)
    lbp = min(max(lbp, start), date(start.year + 1, 3, 31))
    if lbp > as_at:
        return
    due = _add_months(lbp, 12) <= as_at
    la12 = ("Y" if rng.random() < USUAL_CARE_LOOKED_AFTER else "N") if due else None
    episodes += _episodes_for(rng, child, lbp, la12, la12, la12, "FOSTER_CARE", as_at)
    census.setdefault(like["la_code"], []).append(
        _census_child(child, like["date_of_birth"], like["sex"], like["ethnicity"], lbp, None)
    )


def _census_child(
    child: str, dob: date | None, sex: str | None, ethnicity: str | None, lbp: date,
    offered: bool | None,
) -> str:  # fmt: skip
    referral = lbp - timedelta(days=60)
    # DfE rule 9005: the decision to start pre-proceedings falls in the reporting year, so a
    # letter sent in early April was decided on no earlier than 1 April.
    pp_start = max(lbp - timedelta(days=7), date(lbp.year - (lbp.month < 4), 4, 1))
    offer = "" if offered is None else f"<FGDMMeetingOffer>{int(offered)}</FGDMMeetingOffer>"
    birth = f"<PersonBirthDate>{dob.isoformat()}</PersonBirthDate>" if dob else ""
    return (
        f"<Child><ChildIdentifiers><LAchildID>{escape(child)}</LAchildID>{birth}"
        f"<Sex>{escape(sex or 'U')}</Sex></ChildIdentifiers><ChildCharacteristics>"
        f"<Ethnicity>{escape(ethnicity or 'NOBT')}</Ethnicity></ChildCharacteristics>"
        f"<CINdetails><CINreferralDate>{referral.isoformat()}</CINreferralDate>"
        f"<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
        f"<ReferralNFA>0</ReferralNFA><PreProceedingsandFGDM>"
        f"<PPStartDate>{pp_start.isoformat()}</PPStartDate>"
        f"<LBPSentDate>{lbp.isoformat()}</LBPSentDate>{offer}"
        f"</PreProceedingsandFGDM></CINdetails></Child>"
    )


def _census(la: str, children: list[str], as_at: date) -> bytes:
    ref = date(as_at.year if as_at.month > 3 else as_at.year - 1, 3, 31)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{ref.year}</Year>"
        f"<ReferenceDate>{ref.isoformat()}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{escape(la)}</LEA></Source></Header>"
        "<Children>\n" + "\n".join(children) + "\n</Children></Message>\n"
    ).encode("utf-8")
