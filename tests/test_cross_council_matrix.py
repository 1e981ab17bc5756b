"""Every URL of the service × every role × a council the user belongs to and one they do not.

The test walks the project's URL resolver, so a new page is covered the moment it is added.
URL arguments come from ``SAMPLES``: a pattern with an argument this registry does not know
makes the test FAIL, so each new app must register how to fill its arguments here.

Asserted for every response:
- no server error;
- no council-B-only marker (B's raw child ids, B's file name, B's exact dates of birth) for
  anyone who is not a member of council B, and likewise for council A;
- national users never see a raw child id or an exact date of birth of any council.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fgc.hub import services
from fgc.synth import generate
from tests.hub.fixtures import (  # noqa: F401  (the fixtures hub_settings, upload_file)
    csv_bytes,
    explain_all,
    hub_settings_fixture,
    upload_file_fixture,
)

PERIOD = "2025-26"


@dataclass
class Side:
    """One council's sample objects and the markers only its members may see."""

    code: str
    submission: Any
    version: Any
    query: Any
    rule_code: str
    child_ids: list[str]
    filename: str
    dobs: list[str]

    @property
    def member_markers(self) -> list[str]:
        return [*self.child_ids, self.filename, *self.dobs]


def _frame(code: str) -> pl.DataFrame:
    frame = generate([code], [PERIOD], seed=11).head(40)
    n = frame.height
    tag = "ALPHA" if code == "805" else "BRAVO"
    return frame.with_columns(
        pl.Series("child_id", [f"RAW{tag}{i:04d}" for i in range(n)]),
        # One exact date of birth for every born child, and one written the wrong way round
        # (so it also appears as the value of an error finding).
        pl.when(pl.col("date_of_birth").is_null())
        .then(None)
        .when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("23/06/2017" if code == "805" else "17/09/2016"))
        .otherwise(pl.lit("2017-06-23" if code == "805" else "2016-09-17"))
        .alias("date_of_birth"),
    )


def _side(officer, analyst, council, upload) -> Side:
    code = council.old_la_code
    frame = _frame(code)
    filename = f"secret-extract-{code}-q9z.csv"
    # Version 1: with the badly written date (an error); version 2: corrected, accepted.
    first = upload(officer, council, csv_bytes(frame), PERIOD, filename)
    assert first.error_count, "the sample needs an error finding carrying a raw child id"
    fixed = frame.with_columns(
        pl.when(pl.col("date_of_birth").str.contains("/"))
        .then(pl.lit("2017-06-23" if code == "805" else "2016-09-17"))
        .otherwise(pl.col("date_of_birth"))
        .alias("date_of_birth")
    )
    version = upload(officer, council, csv_bytes(fixed), PERIOD, filename)
    explain_all(officer, version)
    services.submit_for_signoff(officer, version)
    services.decide(analyst, version, "accepted")
    query = services.raise_query(analyst, version.submission, "Please confirm the totals")
    rule_code = next(r["code"] for r in first.summary["rules"])
    dobs = sorted(set(frame.get_column("date_of_birth").drop_nulls().to_list()))
    # The report pages are exercised on the first version: its findings name raw child ids
    # and show the badly written date of birth as a value.
    return Side(
        code,
        version.submission,
        first,
        query,
        rule_code,
        frame.get_column("child_id").to_list(),
        filename,
        dobs,
    )


def _admin_object_id(route: str, side: Side) -> str:
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return "1"
    model = apps.get_model(match.group(1), match.group(2))
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj else "1"


def _casework_episode(side: Side) -> Any:
    """A casework episode (fgc.casework) for the side's council carrying its markers."""
    from datetime import date

    from fgc.accounts.models import Council
    from fgc.casework.models import Child, Episode, NetworkMember

    council = Council.objects.get(old_la_code=side.code)
    episode, created = Episode.objects.get_or_create(
        council=council, reference=f"MATRIX-{side.code}", defaults={"stage": "CP"}
    )
    if created:
        dob = next(d for d in side.dobs if "-" in d)
        Child.objects.create(
            episode=episode,
            child_id=side.child_ids[0],
            date_of_birth=date.fromisoformat(dob),
            known_to_csc="Y",
            sex="F",
            ethnicity="WBRI",
            disability="NONE",
        )
        NetworkMember.objects.create(
            episode=episode,
            name=f"Member {side.child_ids[1]}",
            relationship="Aunt",
            side="maternal",
        )
    return episode


def _api_token(side: Side) -> Any:
    """An API token (fgc.accounts) of a user of the side's council."""
    from fgc.accounts.models import ApiToken, User

    user = User.objects.filter(councils__old_la_code=side.code).order_by("pk").first()
    token = ApiToken.objects.filter(user=user, name=f"matrix-{side.code}").first()
    return token or ApiToken.issue(user, f"matrix-{side.code}")[0]


def _release() -> Any:
    """A published statistics release (fgc.statistics) of the two councils' accepted returns."""
    from datetime import UTC, datetime

    from fgc.accounts.models import Role, User
    from fgc.insight_web import services as insight
    from fgc.statistics.models import Release
    from fgc.statistics.services import publish_due, stage_version

    release = Release.objects.filter(slug="matrix-release").first()
    if release is None:
        analyst = User.objects.filter(role=Role.NATIONAL_ANALYST).order_by("pk").first()
        insight.clear_memory_cache()
        release = Release.objects.create(
            slug="matrix-release", period=PERIOD, title="FGCs", summary="S", created_by=analyst
        )
        due = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
        stage_version(analyst, release, publish_at=due)
        publish_due(due)
    return release


def _release_table(route: str, side: Side) -> str:
    return _release().versions.get(number=1).tables.order_by("position").first().name


# kwarg name -> (route, side) -> value. Register new URL arguments here.
SAMPLES: dict[str, Callable[[str, Side], Any]] = {
    "submission_id": lambda route, s: s.submission.pk,
    "version_id": lambda route, s: s.version.pk,
    "rule_code": lambda route, s: s.rule_code,
    "query_id": lambda route, s: s.query.pk,
    "period": lambda route, s: PERIOD,
    "fmt": lambda route, s: "csv",
    # Django admin (administrators only).
    "app_label": lambda route, s: "accounts",
    "object_id": _admin_object_id,
    "id": lambda route, s: _admin_object_id(route, s),
    "content_type_id": lambda route, s: (
        ContentType.objects.get_for_model(apps.get_model("accounts", "user")).pk
    ),
    "url": lambda route, s: "no-such-page/",
    # Insight (fgc.insight_web): a council and a measure.
    "la_code": lambda route, s: s.code,
    "name": lambda route, s: "acceptance_rate_families",
    # Hub returns (fgc.hub.returns_views): a quarter for the DfE quarterly figures.
    "quarter": lambda route, s: "2025-26-Q1",
    # Casework (fgc.casework): an episode, one of its steps, its child and network member.
    "pk": lambda route, s: _casework_episode(s).pk,
    "key": lambda route, s: "offer",
    "child_pk": lambda route, s: _casework_episode(s).children.order_by("pk").first().pk,
    "member_pk": lambda route, s: _casework_episode(s).network.order_by("pk").first().pk,
    # API tokens page (fgc.accounts): revoking one of the side's user's tokens.
    "token_id": lambda route, s: _api_token(s).pk,
    # Statistics (fgc.statistics): a published release, its first version and table, and a
    # council user whose pre-release access an analyst could revoke.
    "slug": lambda route, s: _release().slug,
    "version": lambda route, s: 1,
    "table": _release_table,
    "user_id": lambda route, s: _api_token(s).user.pk,
}
SIDE_DEPENDENT = {"submission_id", "version_id", "rule_code", "query_id", "la_code"}
SIDE_DEPENDENT |= {"pk", "child_pk", "member_pk"}  # casework
SIDE_DEPENDENT |= {"token_id"}  # accounts: API tokens


def _routes() -> list[tuple[str, list[str]]]:
    """(route text, kwarg names) for every URL pattern of the project."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern):
                found.append((text, sorted(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return found


def _fill(route: str, side: Side) -> str:
    def value(name: str) -> str:
        return str(SAMPLES[name](route, side))

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # an Excel download: read every XML part of the workbook
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


@pytest.mark.django_db
def test_no_cross_council_data_on_any_url(
    council_a, council_b, officer_a, officer_b, analyst, admin_user, upload_file, capsys
):
    a = _side(officer_a, analyst, council_a, upload_file)
    b = _side(officer_b, analyst, council_b, upload_file)
    sides = {"805": a, "806": b}

    routes = _routes()
    unknown = sorted({k for _, kwargs in routes for k in kwargs if k not in SAMPLES})
    assert not unknown, (
        f"URL arguments {unknown} have no sample: register them in SAMPLES in {__file__}"
    )

    roles: dict[str, Any] = {
        "anonymous": None,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "analyst": analyst,
        "admin": admin_user,
    }
    clients = {}
    for name, user in roles.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[name] = client
    # API callers: the same users with a token instead of a session.
    from fgc.accounts.models import ApiToken

    for name, user in (("token_officer_a", officer_a), ("token_analyst", analyst)):
        _, raw = ApiToken.issue(user, "matrix")
        roles[name] = user
        clients[name] = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {raw}")

    urls: list[tuple[str, str]] = []  # (url, the council whose objects it names, or "")
    for route, kwargs in routes:
        if SIDE_DEPENDENT & set(kwargs):
            urls += [(_fill(route, a), "805"), (_fill(route, b), "806")]
        else:
            urls.append((_fill(route, a), ""))

    problems: list[str] = []
    seen_own = {"805": 0, "806": 0}  # positive control: members do see their own data
    requests = 0
    for url, _owner in urls:
        for role, user in roles.items():
            response = clients[role].get(url)
            requests += 1
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: {response.status_code}")
                continue
            text = _text(response)
            national = bool(user and user.is_national)
            for code, side in sides.items():
                member = bool(user and not national and code in user.council_codes())
                if member:
                    seen_own[code] += any(m in text for m in side.member_markers)
                    continue
                leaked = [m for m in side.member_markers if m in text]
                if leaked:
                    problems.append(f"{role} GET {url}: council {code} data {leaked[:3]}")
    assert not problems, "\n".join(problems)
    assert seen_own["805"] >= 3 and seen_own["806"] >= 3, seen_own

    with capsys.disabled():
        print(
            f"\ncross-council matrix: {len(routes)} URL patterns, {len(urls)} URLs × "
            f"{len(roles)} roles = {requests} requests"
        )
