from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from fgc.casework import retention
from fgc.casework.models import Child, Episode, NetworkMember
from fgc.casework.presenters import caseload, data_quality
from fgc.casework.seed import seed_demo
from fgc.casework.states import STEPS

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


@pytest.fixture
def seeded(council_a, coordinator_a):
    out = io.StringIO()
    created = seed_demo(out, count=30, today=TODAY)
    assert created >= 25
    assert "families" in out.getvalue()
    return created


def test_seed_gives_every_kind_of_state_and_is_idempotent(seeded, council_a):
    load = caseload(Episode.objects.filter(council=council_a), today=TODAY)
    states = {s for s, _, n in load.by_state if n}
    assert {"closed", "outcomes"} & states
    assert len(states) >= 5, states
    assert load.overdue
    assert seed_demo(None, today=TODAY) == 0
    # data recorded by the demo is valid by construction: no errors
    assert (
        data_quality(Episode.objects.filter(council=council_a), reference_date=TODAY).error_count
        == 0
    )


def test_every_page_renders_for_seeded_episodes(seeded, login, manager_a, coordinator_a):
    client = login(manager_a)
    for name in (
        "casework:home",
        "casework:data-quality",
        "casework:returns",
        "casework:import",
        "casework:local-fields",
        "casework:episode-new",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    for ep in Episode.objects.all()[:8]:
        assert client.get(reverse("casework:episode", kwargs={"pk": ep.pk})).status_code == 200
        for step in STEPS:
            if step.key == "review":
                continue
            url = reverse("casework:step", kwargs={"pk": ep.pk, "key": step.key})
            assert client.get(url).status_code == 200, url
    mine = login(coordinator_a).get(reverse("casework:home"))
    assert mine.status_code == 200


def test_retention_dry_run_then_anonymise(seeded, council_a):
    out = io.StringIO()
    call_command("fgc_retention", "--dry-run", "--years", "1", stdout=out)
    assert "would be anonymised" in out.getvalue()
    due = retention.due(years=1).count()
    assert due > 0
    assert not Episode.objects.filter(anonymised_at__isnull=False).exists()  # dry run: no change
    out = io.StringIO()
    call_command("fgc_retention", "--years", "1", stdout=out)
    assert f"{due} episodes" in out.getvalue()
    done = Episode.objects.filter(anonymised_at__isnull=False)
    assert done.count() == due
    kids = Child.objects.filter(episode__in=done)
    assert all(c.name == "" for c in kids)
    assert all(c.date_of_birth is None or c.date_of_birth.day == 1 for c in kids)
    assert not NetworkMember.objects.filter(episode__in=done).exists()
    assert retention.due(years=1).count() == 0


def test_retention_delete(council_a, make_episode, settings):
    settings.FGC_RETENTION_YEARS = 2
    old = make_episode(council_a, reference="OLD", closure_date=date(2020, 1, 1))
    make_episode(council_a, reference="NEW", closure_date=date.today())
    report = retention.run(mode="delete", dry_run=False)
    assert report.episodes == 1
    assert not Episode.objects.filter(pk=old.pk).exists()
    assert Episode.objects.filter(reference="NEW").exists()
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM casework_child WHERE episode_id = %s", [old.pk])
        assert cur.fetchone()[0] == 0


def test_no_name_or_contact_in_any_return_or_export(seeded, council_a):
    from fgc.casework.council_returns import build
    from fgc.casework.frame import episodes_to_frame
    from fgc.engine.periods import Period

    names = {c.name for c in Child.objects.all()} | {m.name for m in NetworkMember.objects.all()}
    contacts = {m.contact for m in NetworkMember.objects.all()}
    assert names and contacts
    texts = [episodes_to_frame(Episode.objects.all(), local_fields=True).write_csv()]
    for kind in ("aggregate", "child_level"):
        texts.append(build(council_a, Period.parse("2025-26"), kind).data.decode())
    texts.append(build(council_a, Period.parse("2025-26-Q3"), "dfe_quarterly").data.decode())
    for text in texts:
        assert not [n for n in names | contacts if n and n in text]


def test_seed_derives_outcomes_from_ssda903_and_keeps_some_keyed(seeded, council_a):
    from fgc.casework.models import DerivedOutcome, Episode, StatutoryUpload
    from fgc.casework.outcome_status import outcome_lines

    upload = StatutoryUpload.objects.get(council=council_a)
    assert upload.source.startswith("SSDA903 ")
    assert upload.children_filled > 0
    assert DerivedOutcome.objects.exclude(value="").exists()
    assert DerivedOutcome.objects.exclude(keyed="").exclude(value="").count() == 1
    text = " ".join(
        line
        for lines in outcome_lines(list(Episode.objects.all()), TODAY).values()
        for line in lines
    )
    assert "(derived, SSDA903" in text
    assert "due on" in text
