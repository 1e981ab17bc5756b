"""Titles of measure groups and equity topics, and the key to the DfE symbols."""

from __future__ import annotations

GROUP_TITLES = {
    "funnel": "Funnel",
    "timeliness": "Timeliness",
    "compliance": "Pre-proceedings (s.31ZA) compliance",
    "outcomes": "Outcomes",
    "plans_voice": "Plans and voice",
}
TOPIC_TITLES = {
    "ethnicity_group": "Ethnic group",
    "age_band": "Age band",
    "sex": "Sex",
    "disability": "Disability",
    "stage": "Stage at offer",
}
SYMBOLS_KEY = (
    "c = suppressed to protect confidentiality; z = not applicable; x = not available; "
    "low = rounds to zero."
)
SYMBOLS_NOTE = (
    f"{SYMBOLS_KEY} Figures for other councils, regions and England are published "
    "(suppressed and rounded) values."
)
