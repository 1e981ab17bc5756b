"""A council user's "Your returns" page: each row's status tag and link, only their own
councils, and a new submission seen on the next request (pinned before it was made cheaper)."""

from __future__ import annotations

import re

from django.urls import reverse

from fgc.accounts.models import User
from fgc.hub.models import Status, Submission
from tests.hub.fixtures import csv_bytes, frame_for, with_error


def _tables(html: str) -> tuple[str, str]:
    bodies = re.findall(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S)
    assert len(bodies) == 2
    return bodies[0], bodies[1]


def _rows(body: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)


def test_every_row_has_its_own_tag_and_link(officer_a, council_a, council_b, login, upload_file):
    user = User.objects.get(pk=officer_a.pk)
    user.councils.add(council_b)
    upload_file(user, council_a, csv_bytes(with_error(frame_for("805"))))
    upload_file(user, council_b, csv_bytes(frame_for("806")), period="2024-25")
    html = login(user).get(reverse("hub:submissions"), {"period": "2025-26"}).content.decode()
    grid, every = _tables(html)
    labels = dict(Status.choices)
    sub_a = Submission.objects.get(council=council_a)
    sub_b = Submission.objects.get(council=council_b)
    link_a = f'href="{reverse("hub:submission", kwargs={"submission_id": sub_a.pk})}"'
    link_b = f'href="{reverse("hub:submission", kwargs={"submission_id": sub_b.pk})}"'

    hartlepool, middlesbrough = (
        next(r for r in _rows(grid) if name in r) for name in (council_a.name, council_b.name)
    )
    assert link_a in hartlepool and "govuk-tag--red" in hartlepool
    assert labels[Status.ERRORS] in hartlepool
    assert "href=" not in middlesbrough  # nothing for 2025-26
    assert "govuk-tag--grey" in middlesbrough and labels[Status.NOT_STARTED] in middlesbrough

    rows = _rows(every)
    assert len(rows) == 2
    row_a = next(r for r in rows if link_a in r)
    row_b = next(r for r in rows if link_b in r)
    assert "2025-26" in row_a and "govuk-tag--red" in row_a and council_a.name in row_a
    assert "2024-25" in row_b and council_b.name in row_b
    assert f"govuk-tag--{_colour(sub_b.status)}" in row_b and labels[sub_b.status] in row_b
    assert every.count('class="govuk-tag ') == 2
    assert grid.count('class="govuk-tag ') == 2


def _colour(status: str) -> str:
    from fgc.hub.views import STATUS_COLOURS

    return STATUS_COLOURS[status]


def test_only_own_councils_and_changes_seen_next_request(
    officer_a, officer_b, council_a, council_b, login, upload_file
):
    upload_file(officer_b, council_b, csv_bytes(frame_for("806")))
    client = login(officer_a)
    html = client.get(reverse("hub:submissions"), {"period": "2025-26"}).content.decode()
    assert council_b.name not in html
    assert "You have not uploaded any returns yet." in html
    upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    html = client.get(reverse("hub:submissions"), {"period": "2025-26"}).content.decode()
    grid, every = _tables(html)
    assert "govuk-tag--red" in grid and "govuk-tag--red" in every
    assert council_b.name not in html
    # A membership removed between two requests: that council's rows go at once.
    User.objects.get(pk=officer_a.pk).councils.remove(council_a)
    html = client.get(reverse("hub:submissions"), {"period": "2025-26"}).content.decode()
    assert council_a.name not in html
