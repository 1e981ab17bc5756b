"""A suggested import mapping: every column to a field, every coded value to a code, scored.

``suggest_mapping`` returns the JSON the importer takes (``columns`` and ``values``) plus
``confidence``: for each header its target, a score from 0 to 1 and why, so an officer (or
``fgc import --suggest-mapping``) sees which guesses to check. Personal columns (names, notes,
case-system ids, addresses) are always ignored: they never leave casework.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from fgc.casework import importer
from fgc.casework.values import parse_yn
from fgc.formats.headers import match_header, normalise_header
from fgc.formats.result import ReadResult
from fgc.standard import Field, Standard, load_standard

HEADER_CUTOFF = 0.75  # below this a fuzzy header match is more often wrong than right
VALUE_CUTOFF = 0.8  # "Martian" is 0.71 like "African": only near-spellings count
PERSONAL_WHY = "personal: never leaves casework"
# Words that mark a column as personal or free text, whatever else its header says.
_PERSONAL = re.compile(
    r"\b(name|names|notes?|comments?|mosaic|lcs|liquidlogic|eclipse|address|phone|telephone|"
    r"mobile|email|nhs|ni number|worker|details|description|initials|allocated|"
    r"coordinator(?!\s*type))\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^a-z0-9]+")
# How trackers commonly head the columns the standard names otherwise (normalised headers).
SYNONYMS = {
    "familyref": "episode_id",
    "familyreference": "episode_id",
    "familyid": "episode_id",
    "caseref": "episode_id",
    "casereference": "episode_id",
    "fgcref": "episode_id",
    "childref": "child_id",
    "childno": "child_id",
    "childnumber": "child_id",
    "dob": "date_of_birth",
    "birthdate": "date_of_birth",
    "gender": "sex",
    "ethnicorigin": "ethnicity",
    "ethnicgroup": "ethnicity",
    "outcome": "offer_response",
    "familyresponse": "offer_response",
    "dateoffered": "offer_date",
    "fgcoffereddate": "offer_date",
    "datereferred": "referral_date",
    "referralreceived": "referral_date",
    "dateoffgc": "conference_date",
    "fgcdate": "conference_date",
    "datefgcheld": "conference_date",
    "fgcheld": "conference_date",
    "meetingdate": "conference_date",
    "dateofmeeting": "conference_date",
    "dateofconference": "conference_date",
    "datemeetingheld": "conference_date",
    "planagreed": "plan_agreed",
    "plan": "plan_agreed",
    "dateclosed": "closure_date",
    "datelbp": "lbp_date",
    "lbpdate": "lbp_date",
    "plodate": "lbp_date",
}
# Values trackers write for a code list in words of their own: (code, score). A "Yes" for a
# plan is most often a full plan, but not always: a lower score marks it for checking.
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, float]]] = {
    "plan_agreed": {
        "yes": ("FULL", 0.6),
        "y": ("FULL", 0.6),
        "no": ("NONE", 0.9),
        "n": ("NONE", 0.9),
        "partial": ("PARTIAL", 0.9),
        "full": ("FULL", 0.9),
    },
}
# When no column holds the meeting type, the suggestion sets the service's default (most
# services hold only FGCs), shown to the officer to change once and saved with the mapping.
DEFAULT_MEETING_TYPE = "FGC"


def _words(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.casefold()).split())


def _sorted(words: str) -> str:
    return " ".join(sorted(words.split()))


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def suggest_header(header: str, std: Standard, taken: set[str]) -> tuple[str, float, str]:
    """(target, score, why) for one header; target "" means ignore."""
    if _PERSONAL.search(header.replace("_", " ")):
        return "", 1.0, PERSONAL_WHY
    exact = match_header(header, std)
    if exact is not None:
        return exact, 1.0, "the standard's name or label"
    synonym = SYNONYMS.get(normalise_header(header))
    if synonym is not None and synonym not in taken:
        return synonym, 0.95, "a usual heading for this field"
    if re.fullmatch(r"[A-Z]{1,3}", header):  # the reader names a headerless column by letter
        return "", 0.0, f"column {header} has no header: check what it holds"
    words = _words(header)
    best: tuple[float, Field | None] = (0.0, None)
    for f in std.fields:
        if f.name in taken:
            continue
        for candidate in (_words(f.label), _words(f.name)):
            score = _ratio(words, candidate)
            # "Date referred" / "Referral date": the same words in another order.
            score = max(
                score, _ratio(" ".join(sorted(words.split())), " ".join(sorted(candidate.split())))
            )
            if candidate and set(candidate.split()) <= set(words.split()):
                score = max(score, 0.8)
            if score > best[0]:
                best = (score, f)
    score, found = best
    if found is None or score < HEADER_CUTOFF:
        return "", round(score, 2), "no field of the standard is like it"
    return found.name, round(score, 2), f"like the field '{found.label}'"


def suggest_values(std: Standard, f: Field, values: list[str]) -> dict[str, tuple[str, float]]:
    """Each distinct value -> (code, score); an unmatched value gets ("", 0.0)."""
    cl = std.codelist_for(f)
    out: dict[str, tuple[str, float]] = {}
    if cl is None:
        return out
    exact = {}
    for c in cl.codes:
        exact[normalise_header(c.code)] = c.code
        exact[normalise_header(c.label)] = c.code
    for value in values:
        parts = [p.strip() for p in re.split(r"[;,]", value)] if f.type == "codes" else [value]
        codes, scores = [], []
        for part in parts:
            code, score = _one_value(f, part, exact, cl.codes)
            codes.append(code)
            scores.append(score)
        if all(codes):
            out[value] = (";".join(codes), min(scores))
        else:
            out[value] = ("", 0.0)
    return out


def _one_value(f: Field, text: str, exact: Mapping[str, str], codes: Any) -> tuple[str, float]:
    if f.type == "yn":
        try:
            return parse_yn(text), 1.0
        except ValueError:
            pass
    key = normalise_header(text)
    if key in exact:
        return exact[key], 1.0
    own_words = VALUE_SYNONYMS.get(f.name, {}).get(key)
    if own_words is not None:
        return own_words
    words = _words(text)
    best: tuple[float, str] = (0.0, "")
    for c in codes:
        label = _words(c.label)
        score = _ratio(words, label)
        # "Pre-proceedings (PLO)": the code written inside the label.
        if c.code.casefold() in words.split():
            score = max(score, 0.9)
        # "Mixed - White and Black Caribbean": the label inside a longer text.
        if len(label) > 3 and label in words:
            score = max(score, 0.85)
        # "Early help": the start of "Early help / family help (targeted)".
        if len(words) > 3 and label.startswith(words + " "):
            score = max(score, 0.8)
        if score > best[0]:
            best = (score, c.code)
    if best[0] < VALUE_CUTOFF:
        return "", 0.0
    return best[1], round(best[0], 2)


def suggest_mapping(
    read: ReadResult, saved: Mapping[str, Any] | None, local_keys: list[str]
) -> dict[str, Any]:
    """The full mapping for a file: columns, value maps for every coded column, confidence.

    A saved mapping's choices win (score 1, "saved for this council"), so next month's file
    needs no work; everything else is matched against the standard.
    """
    std = load_standard()
    saved_cols = dict((saved or {}).get("columns", {}))
    saved_values = {k: dict(v) for k, v in dict((saved or {}).get("values", {})).items()}
    original = {v: k for k, v in read.renamed.items()}
    columns: dict[str, str] = {}
    confidence: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    by_header = {original.get(c, c): c for c in read.data_columns}
    for header in by_header:
        if header in saved_cols:
            target, score, why = saved_cols[header], 1.0, "saved for this council"
        else:
            target, score, why = suggest_header(header, std, taken)
            if not target and why != PERSONAL_WHY:
                local = importer.suggest(read, None, local_keys).get(header, "")
                if local:
                    target, score, why = local, 1.0, "a local field of the council"
        if target and target in taken:
            target, score, why = "", 0.0, f"another column is already mapped to {target}"
        taken.add(target)
        columns[header] = target
        confidence[header] = {"target": target, "score": score, "why": why}
    values: dict[str, dict[str, str]] = {}
    value_confidence: dict[str, dict[str, dict[str, Any]]] = {}
    for header, target in columns.items():
        if not target or not std.has_field(target):
            continue
        f = std.field(target)
        if f.type not in ("code", "codes", "yn") or f.codelist == "la":
            continue
        distinct = [
            str(v).strip()
            for v in read.frame.get_column(by_header[header])
            .drop_nulls()
            .unique(maintain_order=True)
            if str(v).strip()
        ]
        known = saved_values.get(target, {})
        guesses = suggest_values(std, f, [v for v in distinct if v not in known])
        field_map = {v: known[v] for v in distinct if v in known}
        field_map |= {v: code for v, (code, _) in guesses.items() if code}
        values[target] = field_map
        value_confidence[target] = {
            v: {"code": field_map.get(v, ""), "score": 1.0 if v in known else guesses[v][1]}
            for v in distinct
        }
    defaults = dict((saved or {}).get("defaults", {}))
    if "meeting_type" not in taken:
        defaults.setdefault("meeting_type", DEFAULT_MEETING_TYPE)
    return {
        "columns": columns,
        "values": values,
        "defaults": defaults,
        "confidence": confidence,
        "value_confidence": value_confidence,
    }
