"""The national status grid: each row's link and status tag (pinned before it was made cheaper)."""

from __future__ import annotations

import re

from django.urls import reverse

from fgc.hub.models import Status, Submission
from tests.hub.fixtures import csv_bytes, frame_for, with_error


def _row(html: str, council_name: str) -> str:
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
    return next(r for r in rows if council_name in r)


def test_every_row_has_its_status_tag_and_submitted_rows_link(
    analyst, officer_a, council_a, council_b, login, upload_file
):
    upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    sub = Submission.objects.get(council=council_a)
    html = login(analyst).get(reverse("hub:national"), {"period": "2025-26"}).content.decode()
    labels = dict(Status.choices)
    hartlepool = _row(html, council_a.name)
    assert f'href="{reverse("hub:submission", kwargs={"submission_id": sub.pk})}"' in hartlepool
    assert "govuk-tag--red" in hartlepool and labels[Status.ERRORS] in hartlepool
    middlesbrough = _row(html, council_b.name)
    assert "href=" not in middlesbrough
    assert "govuk-tag--grey" in middlesbrough and labels[Status.NOT_STARTED] in middlesbrough
    # One tag per status in the key and one per council row.
    key = html.split('class="fgc-status-counts"')[1].split("</ul>")[0]
    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    assert key.count('class="govuk-tag ') == len(Status.choices)
    assert body.count('class="govuk-tag ') == 153
