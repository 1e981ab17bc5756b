from __future__ import annotations

from datetime import date

import pytest

from fgc.casework.presenters import display, state_tag, summary_rows
from fgc.casework.wording import finding_message, long_date
from fgc.standard import load_standard


def test_long_date_is_govuk_style():
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    assert long_date("2025-12-31") == "31 December 2025"
    assert long_date(None) == "Not recorded"


def test_findings_in_govuk_words_keep_the_rule_code():
    std = load_standard()
    required = {"code": "FGC001", "message": "Sex is missing; every row needs it."}
    assert finding_message(std.field("sex"), required, "radios") == "Select the sex (FGC001)"
    yn = finding_message(std.field("known_to_csc"), required, "radios")
    assert yn == "Select yes or no for ‘Known to children's social care’ (FGC001)"
    other = {"code": "FGC008", "message": "Response date is before the offer date."}
    assert finding_message(std.field("response_date"), other, "date").endswith("date (FGC008)")


def test_values_show_labels_and_long_dates():
    std = load_standard()
    assert display(std.field("offer_date"), "2025-06-26") == "26 June 2025"
    assert display(std.field("stage"), "CIN") == "Child in need (s.17)"
    assert state_tag("outcomes") == {"text": "Outcomes recorded", "classes": "govuk-tag--green"}


@pytest.mark.django_db
def test_summary_has_each_childs_values(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1))
    sections = {s["step"].key: s for s in summary_rows(ep)}
    assert sections["offer"]["recorded"] and not sections["meeting"]["recorded"]
    assert {"key": "Offer date", "value": "1 May 2025"} in sections["offer"]["rows"]
    [child] = sections["outcomes"]["children"]
    assert child["child"].child_id == "C1001"
