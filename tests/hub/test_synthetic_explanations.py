"""The demo's synthetic returns go upload -> submit -> accept with no manual step."""

from __future__ import annotations

import pytest

from fgc.cli.web_cmd import DEMO_COUNCILS
from fgc.engine.rules.registry import RULES
from fgc.hub import services
from fgc.hub.models import QueryExplanation, Status, Submission
from fgc.hub.seed import SEED
from fgc.synth.explanations import synthetic_explanations
from tests.hub.fixtures import csv_bytes, frame_for


def test_every_explanation_is_for_a_query_rule():
    queries = {r.code for r in RULES if r.severity == "query"}
    texts = synthetic_explanations()
    assert texts and set(texts) <= queries
    assert all(text.startswith("Synthetic demonstration data:") for text in texts.values())


@pytest.mark.parametrize("seed", [3, SEED])
def test_synthetic_return_uploads_submits_and_is_accepted_first_time(
    officer_a, analyst, council_a, upload_file, settings, seed
):
    settings.FGC_SYNTHETIC_EXPLANATIONS = True
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805", seed=seed)))
    assert version.query_count  # the data does raise queries ...
    assert services.unexplained_query_rules(version) == []  # ... and each is explained
    assert services.submit_blockers(version) == []
    version = services.submit_for_signoff(officer_a, version)
    services.decide(analyst, version, "accepted")
    assert Submission.objects.get().status == Status.ACCEPTED
    assert QueryExplanation.objects.filter(author=None).count() == len(
        services.query_rules(version)
    )


def test_every_demo_councils_synthetic_return_is_explained(db, council_a, upload_file, settings):
    from fgc.accounts.models import Council
    from fgc.accounts.services import create_user

    settings.FGC_SYNTHETIC_EXPLANATIONS = True
    officer = create_user("demo-officer", role="council_officer", councils=list(DEMO_COUNCILS))
    for code in DEMO_COUNCILS:
        council = Council.objects.get(old_la_code=code)
        version = upload_file(officer, council, csv_bytes(frame_for(code, seed=SEED)))
        assert services.submit_blockers(version) == [], code


def test_off_the_queries_wait_for_the_council(officer_a, council_a, upload_file, settings):
    settings.FGC_SYNTHETIC_EXPLANATIONS = False
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    assert services.unexplained_query_rules(version)
    assert any("Explain every query" in b for b in services.submit_blockers(version))
    assert not QueryExplanation.objects.exists()


def test_dev_settings_turn_it_on_and_base_leaves_it_off():
    import importlib

    base = importlib.import_module("fgc.config.settings.base")
    dev = importlib.import_module("fgc.config.settings.dev")
    assert base.FGC_SYNTHETIC_EXPLANATIONS is False
    assert dev.FGC_SYNTHETIC_EXPLANATIONS is True


@pytest.mark.django_db
def test_seeded_demo_has_one_explanation_per_query_rule(council_a, analyst, settings):
    import io

    from django.db.models import Count

    from fgc.hub.seed import seed_demo

    settings.FGC_SYNTHETIC_EXPLANATIONS = True
    seed_demo(io.StringIO(), limit=8)
    per_rule = QueryExplanation.objects.values("version_id", "rule_code").annotate(n=Count("id"))
    assert per_rule and all(row["n"] == 1 for row in per_rule)
