"""A realistic synthetic CIN census (DfE shape) with matching FGC records, for tests.

``make_census(n, seed)`` returns the census XML bytes, the child-level FGC frame (text, as a
reader gives it) and what the enricher should find. Pre-proceedings children come in three
kinds: the case system already wrote an agreeing block, a block that disagrees (offer
flipped), or no block (the enricher must add it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from fgc.standard import load_standard

I4 = " " * 20  # indentation of the fourth level
YEAR_END = date(2027, 3, 31)  # the census's ReferenceDate
ETHNICITIES = load_standard().codelists["ethnicity"].values
DISABILITIES = ("MOB", "HAND", "COMM", "LD", "AUT", "BEH")


@dataclass
class Expected:
    children: int = 0
    blocks_added: int = 0
    disagreements: int = 0
    agreeing_blocks: int = 0
    fgc_missing: set[str] = field(default_factory=set)
    census_pp_without_fgc: set[str] = field(default_factory=set)
    cp_children: int = 0
    pp_children: int = 0
    disagreeing: set[str] = field(default_factory=set)


def _d(day: date) -> str:
    return day.isoformat()


def _fgc_row(**values: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = dict.fromkeys(load_standard().field_names)
    row.update(values)
    return row


def make_census(
    n: int, seed: int = 1, *, la: str = "805", newline: str = "\n"
) -> tuple[bytes, pl.DataFrame, Expected]:
    rng = random.Random(seed)
    exp = Expected(children=n)
    fgc: list[dict[str, str | None]] = []
    out: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- exported by a case management system -->",
        "<Message>",
        "    <Header>",
        "        <CollectionDetails>",
        "            <Collection>CIN</Collection>",
        "            <Year>2027</Year>",
        "            <ReferenceDate>2027-03-31</ReferenceDate>",
        "        </CollectionDetails>",
        "        <Source>",
        "            <SourceLevel>L</SourceLevel>",
        f"            <LEA>{la}</LEA>",
        "            <SoftwareCode>Local Authority</SoftwareCode>",
        "            <Release>ver 3.1.21</Release>",
        "            <SerialNo>001</SerialNo>",
        "            <DateTime>2027-04-20T11:14:05</DateTime>",
        "        </Source>",
        "    </Header>",
        "    <Children>",
    ]
    for i in range(n):
        cid = f"C{i:07d}"
        dob = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 16 * 365))
        disab = ["NONE"] if rng.random() < 0.8 else rng.sample(DISABILITIES, rng.randint(1, 2))
        out += [
            "        <Child>",
            "            <ChildIdentifiers>",
            f"                <LAchildID>{cid}</LAchildID>",
            f"                <UPN>A{rng.randrange(10**11, 10**12)}X</UPN>",
            f"                <PersonBirthDate>{_d(dob)}</PersonBirthDate>",
            f"                <Sex>{rng.choice('MF')}</Sex>",
            "            </ChildIdentifiers>",
            "            <ChildCharacteristics>",
            f"                <Ethnicity>{rng.choice(ETHNICITIES)}</Ethnicity>",
            "                <Disabilities>",
            *[I4 + f"<Disability>{d}</Disability>" for d in disab],
            "                </Disabilities>",
            "            </ChildCharacteristics>",
        ]
        referral = date(2026, 4, 1) + timedelta(days=rng.randrange(0, 300))
        closed = referral + timedelta(days=rng.randrange(30, 200)) if rng.random() < 0.4 else None
        has_cp = rng.random() < 0.2
        roll = rng.random()
        pp_kind = (
            None
            if roll >= 0.12
            else ("agree" if roll < 0.05 else "disagree" if roll < 0.07 else "absent")
        )
        exp.cp_children += has_cp
        out += [
            "            <CINdetails>",
            f"                <CINreferralDate>{_d(referral)}</CINreferralDate>",
            "                <ReferralSource>1A</ReferralSource>",
            "                <PrimaryNeedCode>N1</PrimaryNeedCode>",
        ]
        if closed:
            out += [
                f"                <CINclosureDate>{_d(closed)}</CINclosureDate>",
                "                <ReasonForClosure>RC1</ReasonForClosure>",
            ]
        out += [
            "                <Assessments>",
            I4 + f"<AssessmentActualStartDate>{_d(referral)}</AssessmentActualStartDate>",
            I4 + "<FactorsIdentifiedAtAssessment>",
            "                        <AssessmentFactors>1C</AssessmentFactors>",
            I4 + "</FactorsIdentifiedAtAssessment>",
            "                </Assessments>",
            "                <ReferralNFA>0</ReferralNFA>",
        ]
        if has_cp:
            out += [
                "                <ChildProtectionPlans>",
                I4 + f"<CPPstartDate>{_d(referral + timedelta(days=20))}</CPPstartDate>",
                I4 + "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>",
                I4 + "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>",
                I4 + "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>",
                "                </ChildProtectionPlans>",
            ]
        if pp_kind:
            lbp = referral + timedelta(days=rng.randrange(1, 25))
            offer = rng.random() < 0.8
            held = (
                lbp + timedelta(days=rng.randrange(5, 40)) if offer and rng.random() < 0.6 else None
            )
            # A meeting is inside its CIN episode and the census year (the enricher writes
            # nothing else; tests of what it leaves out build their own cases).
            last_day = min(closed or YEAR_END, YEAR_END)
            if held is not None and held > last_day:
                held = last_day
            fgc.append(
                _fgc_row(
                    la_code=la, episode_id=f"E{i}", child_id=cid, known_to_csc="Y", stage="PLO",
                    lbp_date=_d(lbp), offer_in_lbp="Y" if offer else "N", exception="N",
                    # Not in the letter: offered a week later (the quarterly's definition too).
                    offer_date=_d(lbp if offer else lbp + timedelta(days=7)),
                    offer_response="ACCEPTED" if held else "DECLINED",
                    conference_date=_d(held) if held else None,
                    meeting_type=rng.choice(["FGC", "FNM"]) if held else None,
                    date_of_birth=_d(dob), sex="M", ethnicity="WBRI", disability="NONE",
                )
            )  # fmt: skip
            if pp_kind == "absent":
                exp.blocks_added += 1
            else:
                exp.pp_children += 1
                census_offer = offer if pp_kind == "agree" else not offer
                if pp_kind == "agree":
                    exp.agreeing_blocks += 1
                else:
                    exp.disagreements += 1
                    exp.disagreeing.add(cid)
                out += [
                    "                <PreProceedingsandFGDM>",
                    I4 + f"<PPStartDate>{_d(lbp - timedelta(days=3))}</PPStartDate>",
                    I4 + f"<LBPSentDate>{_d(lbp)}</LBPSentDate>",
                    I4 + f"<FGDMMeetingOffer>{int(census_offer)}</FGDMMeetingOffer>",
                    I4 + f"<FGDMMeetingFac>{'true' if held else 'false'}</FGDMMeetingFac>",
                    I4 + "<PPOutcome>B</PPOutcome>",
                    "                </PreProceedingsandFGDM>",
                ]
        elif rng.random() < 0.01:
            exp.census_pp_without_fgc.add(cid)
            exp.pp_children += 1
            out += [
                "                <PreProceedingsandFGDM>",
                I4 + f"<LBPSentDate>{_d(referral + timedelta(days=9))}</LBPSentDate>",
                "                </PreProceedingsandFGDM>",
            ]
        elif rng.random() < 0.05:
            fgc.append(
                _fgc_row(la_code=la, episode_id=f"E{i}", child_id=cid, known_to_csc="Y",
                         stage="CP", offer_date=_d(referral + timedelta(days=10)),
                         offer_response="PENDING")
            )  # fmt: skip
        out += ["            </CINdetails>", "        </Child>"]
    for k in range(3):  # FGC children the census does not have
        cid = f"X{k:07d}"
        exp.fgc_missing.add(cid)
        fgc.append(
            _fgc_row(la_code=la, episode_id=f"M{k}", child_id=cid, known_to_csc="Y", stage="CIN")
        )
    out += ["    </Children>", "</Message>", ""]
    frame = pl.DataFrame(fgc, schema=dict.fromkeys(load_standard().field_names, pl.Utf8))
    return newline.join(out).encode("utf-8"), frame, exp
