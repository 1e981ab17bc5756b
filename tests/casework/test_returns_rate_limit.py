"""Casework's "submit to the hub" over the council's upload limit: a plain message, no 500."""

from __future__ import annotations

from datetime import date

from django.urls import reverse


def test_submit_to_hub_over_the_upload_limit_says_so(
    login, manager_a, council_a, make_episode, settings
):
    from fgc.hub.models import SubmissionVersion

    settings.FGC_UPLOAD_RATE = "0/hour"
    make_episode(council_a, stage="CP", offer_date=date(2025, 5, 1), offer_response="PENDING")
    response = login(manager_a).post(
        reverse("casework:returns"), {"period": "2025-26", "action": "submit"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "the limit is 0/hour" in html
    assert not SubmissionVersion.objects.exists()


def test_submit_to_hub_with_room_for_one_of_its_two_returns_stores_neither(
    login, manager_a, council_a, make_episode, settings
):
    # The child-level and aggregate returns go together or not at all.
    from fgc.hub.models import RateCounter, SubmissionVersion

    settings.FGC_UPLOAD_RATE = "1/hour"
    make_episode(council_a, stage="CP", offer_date=date(2025, 5, 1), offer_response="PENDING")
    response = login(manager_a).post(
        reverse("casework:returns"), {"period": "2025-26", "action": "submit"}
    )
    assert response.status_code == 200
    assert "the limit is 1/hour" in response.content.decode()
    assert not SubmissionVersion.objects.exists()
    # Nothing was counted either: the one place left is still free.
    assert sum(RateCounter.objects.values_list("count", flat=True)) == 0
