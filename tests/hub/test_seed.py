from __future__ import annotations

import io

import pytest

from fgc.hub.models import Decision, Status, Submission, SubmissionVersion
from fgc.hub.seed import YEARS, plan_for, seed_demo


def test_plans_mix_statuses_and_mostly_accept():
    plans = [plan_for(i, f"{900 + i}", YEARS[1]) for i in range(153)]
    assert plans.count("accepted") > len(plans) / 2
    assert {"none", "draft", "errors", "queries", "submitted", "returned"} <= set(plans)
    assert plan_for(0, "805", "2025-26") == "errors"  # something to fix for the demo officer


@pytest.mark.django_db
def test_seed_demo_creates_checked_submissions_once(council_a, analyst):
    out = io.StringIO()
    seed_demo(out, limit=20)
    assert "Demo submissions ready" in out.getvalue()
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert {Status.ACCEPTED, Status.ERRORS, Status.QUERIES_OPEN, Status.DRAFT} <= statuses
    assert not SubmissionVersion.objects.filter(validation_status__in=["queued", "running"])
    accepted = Decision.objects.filter(outcome="accepted").select_related("version")
    assert accepted and all(d.version.submitted_at for d in accepted)
    assert all(v.findings_path for v in SubmissionVersion.objects.all())
    count = Submission.objects.count()
    seed_demo(io.StringIO(), limit=20)
    assert Submission.objects.count() == count
