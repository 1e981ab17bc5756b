"""The hub's operations. Views and the API call these; every lookup goes through ``for_user``.

Each function takes the acting user and raises ``PermissionDenied`` for an action the user's
role may not take, ``HubError`` (with a message for the person) for one the state forbids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fgc.engine.periods import Period, PeriodError
from fgc.hub import ratelimit, storage
from fgc.hub.managers import member_council_ids
from fgc.hub.models import (
    CouncilSettings,
    Decision,
    Kind,
    Query,
    QueryExplanation,
    Submission,
    SubmissionVersion,
    ValidationStatus,
)
from fgc.hub.signals import version_accepted
from fgc.hub.status import refresh_status, requires_approval
from fgc.hub.validation import JOB_KIND


class HubError(ValueError):
    """An action the current state does not allow; the message is shown as it is."""


# --- roles --------------------------------------------------------------------------------


def is_council_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not getattr(user, "is_national", True)


def is_national(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_national", False)
    )


def can_decide(user: Any) -> bool:
    """National analysts (and administrators) accept, return and raise queries."""
    return is_national(user)


def is_approver(user: Any, council_id: int) -> bool:
    """A council approver of this council (signs returns off before the national team)."""
    from fgc.accounts.roles import Role

    return member_of(user, council_id) and getattr(user, "role", None) == Role.COUNCIL_APPROVER


def member_of(user: Any, council_id: int) -> bool:
    return is_council_user(user) and council_id in member_council_ids(user)


def upload_councils(user: Any) -> Any:
    """The councils this user may submit for (their own; national roles submit for none)."""
    from fgc.accounts.models import Council

    if not is_council_user(user):
        return Council.objects.none()
    return user.councils.filter(current=True).order_by("name")


# --- upload --------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(settings.FGC_MAX_UPLOAD_MB) * 1024 * 1024


def size_message() -> str:
    return f"The selected file must be smaller than {settings.FGC_MAX_UPLOAD_MB} MB"


def check_period(text: str) -> str:
    try:
        return Period.parse(text).label
    except PeriodError as exc:
        raise HubError(str(exc)) from None


@dataclass(frozen=True)
class UploadedFile:
    """What an upload hands the service: a name, a size and the bytes in chunks."""

    name: str
    size: int
    chunks: Iterable[bytes]


def upload(
    user: Any,
    *,
    council: Any,
    period: str,
    kind: str,
    file: UploadedFile,
    counted: bool = False,
) -> SubmissionVersion:
    """Store a new version and queue its check. One transaction: all of it lands, or none.

    Raises ``ratelimit.RateLimited`` when the council is over ``FGC_UPLOAD_RATE``;
    ``counted`` when the caller has already counted this upload (several files sent as one).
    """
    if not member_of(user, council.pk):
        raise PermissionDenied("You can only submit returns for your own council")
    # Counted before anything is read or stored; raises RateLimited (stores nothing).
    if not counted:
        ratelimit.take("upload", [council.pk])
    if kind not in Kind.values:
        raise HubError("Select the kind of return")
    period = check_period(period)
    if file.size > max_upload_bytes():
        raise HubError(size_message())
    chunks = iter(file.chunks)
    head = b""
    buffered: list[bytes] = []
    for chunk in chunks:
        buffered.append(chunk)
        head += chunk
        if len(head) >= storage.SNIFF_BYTES:
            break
    try:
        file_type = storage.sniff_upload(head[: storage.SNIFF_BYTES], kind)
    except storage.UploadRejected as exc:
        raise HubError(str(exc)) from None

    def all_chunks() -> Iterable[bytes]:
        yield from buffered
        yield from chunks

    with transaction.atomic():
        submission, _ = Submission.objects.get_or_create(council=council, period=period, kind=kind)
        # Lock the submission so two uploads cannot take the same version number.
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        number = (submission.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        relative, sha, size = storage.store_upload(
            all_chunks(),
            la_code=council.old_la_code,
            period=period,
            kind=kind,
            number=number,
            file_type=file_type,
        )
        if size > max_upload_bytes():
            storage.absolute(relative).unlink(missing_ok=True)
            raise HubError(size_message())
        version = SubmissionVersion.objects.create(
            submission=submission,
            number=number,
            file_path=relative,
            sha256=sha,
            original_filename=file.name[:255],
            file_type=file_type,
            size=size,
            uploaded_by=user,
        )
        from fgc.jobs.services import enqueue

        job = enqueue(JOB_KIND, {"version_id": version.pk})
        SubmissionVersion.objects.filter(pk=version.pk).update(job_id=job.pk)
        refresh_status(submission.pk)
    from fgc.jobs.services import run_inline_if_configured

    run_inline_if_configured()
    version.refresh_from_db()
    return version


# --- same bytes again -----------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateWarning:
    """An upload whose bytes equal an earlier version of the council's for the same period."""

    earlier: SubmissionVersion
    message: str


def duplicate_of(version: SubmissionVersion) -> DuplicateWarning | None:
    """The earliest other version with the same SHA-256 for this council and period, if any.

    Looked up when shown rather than stored: the digest is one of the upload's fixed facts.
    """
    sub = version.submission
    earlier = (
        SubmissionVersion.objects.filter(
            submission__council_id=sub.council_id,
            submission__period=sub.period,
            sha256=version.sha256,
            pk__lt=version.pk,
        )
        .select_related("submission", "uploaded_by")
        .order_by("pk")
        .first()
    )
    if earlier is None:
        return None
    from fgc.web.dates import govuk_datetime

    who = earlier.uploaded_by.get_username() if earlier.uploaded_by else "a user no longer listed"
    kind = Kind(earlier.submission.kind).label.lower()
    message = (
        f"This file is identical to version {earlier.number} of the {sub.period} {kind}, "
        f"uploaded on {govuk_datetime(earlier.created)} by {who}"
    )
    return DuplicateWarning(earlier=earlier, message=message)


# --- council actions ------------------------------------------------------------------------


def query_rules(version: SubmissionVersion) -> list[dict[str, Any]]:
    rules = (version.summary or {}).get("rules", [])
    return [r for r in rules if r.get("severity") == "query"]


def unexplained_query_rules(
    version: SubmissionVersion, explained: Iterable[str] | None = None
) -> list[str]:
    """``explained``: the rule codes with a whole-rule explanation, if the caller read them."""
    if explained is None:
        explained = version.explanations.filter(finding_key="").values_list("rule_code", flat=True)
    done = set(explained)
    return [r["code"] for r in query_rules(version) if r["code"] not in done]


def is_latest(version: SubmissionVersion) -> bool:
    latest = version.submission.versions.aggregate(n=Max("number"))["n"]
    return version.number == latest


def submit_blockers(
    version: SubmissionVersion,
    *,
    latest: bool | None = None,
    explained: Iterable[str] | None = None,
) -> list[str]:
    """Why this version cannot be submitted for sign-off yet (empty: it can).

    ``latest`` (``is_latest``) and ``explained`` (see ``unexplained_query_rules``) spare the
    report page, which has both already, reading them again."""
    reasons: list[str] = []
    if not (is_latest(version) if latest is None else latest):
        reasons.append("A newer version of this return has been uploaded")
    if version.validation_status in (ValidationStatus.QUEUED, ValidationStatus.RUNNING):
        reasons.append("The file is still being checked")
    elif version.validation_status == ValidationStatus.FAILED:
        reasons.append("The file could not be checked; upload a corrected file")
    elif version.error_count:
        reasons.append(f"Fix the {version.error_count:,} errors and upload the file again")
    missing = unexplained_query_rules(version, explained) if version.is_checked else []
    if missing:
        reasons.append("Explain every query before you submit: " + ", ".join(missing))
    if version.submitted_at is not None:
        reasons.append("This version has already been submitted")
    return reasons


def get_version(user: Any, version_id: int) -> SubmissionVersion:
    """A version the user may see (``DoesNotExist`` otherwise, shown as 404)."""
    return (
        SubmissionVersion.objects.for_user(user)
        .select_related("submission", "submission__council")
        .get(pk=version_id)
    )


def add_explanation(
    user: Any, version: SubmissionVersion, rule_code: str, text: str, finding_key: str = ""
) -> QueryExplanation:
    if not member_of(user, version.submission.council_id):
        raise PermissionDenied("Only the council's own users can explain its queries")
    if rule_code not in {r["code"] for r in query_rules(version)}:
        raise HubError(f"{rule_code} is not a query in this report")
    if version.is_accepted or version.submitted_at is not None:
        raise HubError("This version has been submitted; upload a new version to change it")
    text = text.strip()
    if not text:
        raise HubError("Enter an explanation")
    return QueryExplanation.objects.create(
        version=version, rule_code=rule_code, finding_key=finding_key[:60], text=text, author=user
    )


def submit_for_signoff(user: Any, version: SubmissionVersion) -> SubmissionVersion:
    if not member_of(user, version.submission.council_id):
        raise PermissionDenied("Only the council's own users can submit its return")
    with transaction.atomic():
        version = SubmissionVersion.objects.select_for_update().get(pk=version.pk)
        blockers = submit_blockers(version)
        if blockers:
            raise HubError(blockers[0])
        SubmissionVersion.objects.filter(pk=version.pk).update(
            submitted_at=timezone.now(), submitted_by=user
        )
        refresh_status(version.submission_id)
    version.refresh_from_db()
    return version


def respond_to_query(user: Any, query: Query, text: str) -> Query:
    if not member_of(user, query.submission.council_id):
        raise PermissionDenied("Only the council's own users can answer its queries")
    if query.status != Query.State.OPEN:
        raise HubError("This query has already been answered")
    text = text.strip()
    if not text:
        raise HubError("Enter your response")
    with transaction.atomic():
        Query.objects.filter(pk=query.pk).update(
            response=text,
            responded_by=user,
            responded_at=timezone.now(),
            status=Query.State.ANSWERED,
        )
        refresh_status(query.submission_id)
    query.refresh_from_db()
    return query


# --- council approval -----------------------------------------------------------------------


def council_settings(council: Any) -> CouncilSettings:
    found, _ = CouncilSettings.objects.get_or_create(council=council)
    return found


def set_requires_approval(user: Any, council: Any, required: bool) -> CouncilSettings:
    if not is_approver(user, council.pk):
        raise PermissionDenied("Only the council's approvers change how its returns are approved")
    with transaction.atomic():
        found = council_settings(council)
        CouncilSettings.objects.filter(pk=found.pk).update(
            requires_council_approval=required, updated_by=user, updated=timezone.now()
        )
        # Returns already marked ready move to or from "awaiting council approval".
        for sub_id in Submission.objects.filter(council=council).values_list("pk", flat=True):
            refresh_status(sub_id)
    found.refresh_from_db()
    return found


def approval_required_ids() -> set[int]:
    """Councils whose returns need a council approver's approval."""
    return set(
        CouncilSettings.objects.filter(requires_council_approval=True).values_list(
            "council_id", flat=True
        )
    )


def awaiting_approval(version: SubmissionVersion) -> bool:
    return (
        version.submitted_at is not None
        and version.approved_at is None
        and requires_approval(version.submission.council_id)
    )


def approve_blockers(
    user: Any, version: SubmissionVersion, *, latest: bool | None = None
) -> list[str]:
    """Why this user cannot approve this version (empty: they can); ``latest`` as for
    ``submit_blockers``."""
    reasons: list[str] = []
    if version.submitted_at is None:
        reasons.append("The return has not been marked ready yet")
    elif version.approved_at is not None:
        reasons.append("This version has already been approved")
    elif not requires_approval(version.submission.council_id):
        reasons.append("Your council does not require approval; the return has gone on")
    if not (is_latest(version) if latest is None else latest):
        reasons.append("A newer version of this return has been uploaded")
    if user.pk in (version.uploaded_by_id, version.submitted_by_id):
        reasons.append(
            "A return must be approved by someone other than the person who uploaded or "
            "submitted it"
        )
    return reasons


def approve(user: Any, version: SubmissionVersion) -> SubmissionVersion:
    if not is_approver(user, version.submission.council_id):
        raise PermissionDenied("Only the council's approvers approve its returns")
    with transaction.atomic():
        version = SubmissionVersion.objects.select_for_update().get(pk=version.pk)
        blockers = approve_blockers(user, version)
        if blockers:
            raise HubError(blockers[0])
        SubmissionVersion.objects.filter(pk=version.pk).update(
            approved_at=timezone.now(), approved_by=user
        )
        refresh_status(version.submission_id)
    version.refresh_from_db()
    return version


# --- national actions -----------------------------------------------------------------------


def raise_query(user: Any, submission: Submission, text: str) -> Query:
    if not can_decide(user):
        raise PermissionDenied("Only national analysts raise queries")
    text = text.strip()
    if not text:
        raise HubError("Enter the query for the council")
    with transaction.atomic():
        query = Query.objects.create(
            submission=submission, version=submission.latest_version(), text=text, raised_by=user
        )
        refresh_status(submission.pk)
    return query


def decide(user: Any, version: SubmissionVersion, outcome: str, reason: str = "") -> Decision:
    if not can_decide(user):
        raise PermissionDenied("Only national analysts accept or return submissions")
    if outcome not in Decision.Outcome.values:
        raise HubError("Select accept or return")
    reason = reason.strip()
    if outcome == Decision.Outcome.RETURNED and not reason:
        raise HubError("Enter the reason for returning the submission")
    with transaction.atomic():
        version = SubmissionVersion.objects.select_for_update().get(pk=version.pk)
        if version.submitted_at is None:
            raise HubError("Only a submitted version can be accepted or returned")
        if awaiting_approval(version):
            raise HubError("The council's approver has not approved this version yet")
        if not is_latest(version):
            raise HubError("A newer version has been uploaded; decide on that one")
        if version.decisions.exists():
            raise HubError("This version has already been decided")
        decision = Decision.objects.create(version=version, outcome=outcome, by=user, reason=reason)
        refresh_status(version.submission_id)
    if outcome == Decision.Outcome.ACCEPTED:
        version_accepted.send(sender=SubmissionVersion, version=version)
    return decision
