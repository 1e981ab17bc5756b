"""The report page's submit blockers and explain links, as the council's own users see them
(pinned before the page shared one "latest version" and one explanations read between them)."""

from __future__ import annotations

from django.urls import reverse

from fgc.hub import services
from tests.hub.fixtures import csv_bytes, frame_for


def _page(client, version) -> str:
    response = client.get(reverse("hub:version", kwargs={"version_id": version.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_blockers_follow_explanations_and_newer_versions(officer_a, council_a, login, upload_file):
    v1 = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    codes = services.unexplained_query_rules(v1)
    assert codes
    client = login(officer_a)
    html = _page(client, v1)
    assert "Explain every query before you submit: " + ", ".join(codes) in html
    assert "newer version" not in html
    assert reverse("hub:explain", kwargs={"version_id": v1.pk, "rule_code": codes[0]}) in html

    services.add_explanation(officer_a, v1, codes[0], "Checked: right")
    html = _page(client, v1)
    rest = codes[1:]
    if rest:
        assert "Explain every query before you submit: " + ", ".join(rest) in html
    else:
        assert "Explain every query" not in html
    assert "Checked: right" in html

    for code in rest:
        services.add_explanation(officer_a, v1, code, "Checked: right")
    html = _page(client, v1)
    assert "Before you can submit" not in html
    assert reverse("hub:submit", kwargs={"version_id": v1.pk}) in html

    upload_file(officer_a, council_a, csv_bytes(frame_for("805", seed=4)), name="again.csv")
    html = _page(client, v1)
    # No blockers, submit button or explain links on a version that is no longer the latest.
    assert "Before you can submit" not in html
    assert reverse("hub:submit", kwargs={"version_id": v1.pk}) not in html
    assert reverse("hub:explain", kwargs={"version_id": v1.pk, "rule_code": codes[0]}) not in html
