"""A submission's dashboard status, derived from its versions, decisions and queries.

Stored on ``Submission.status`` (recomputed after every event) so the national grid for
153 councils is one indexed query rather than a walk over every version.
"""

from __future__ import annotations

from fgc.hub.models import (
    CouncilSettings,
    Decision,
    Query,
    Status,
    Submission,
    SubmissionVersion,
    ValidationStatus,
)


def requires_approval(council_id: int) -> bool:
    return CouncilSettings.objects.filter(
        council_id=council_id, requires_council_approval=True
    ).exists()


def derive_status(submission: Submission) -> str:
    latest = submission.versions.order_by("-number").first()
    if latest is None:
        return Status.NOT_STARTED
    decision = latest.decisions.order_by("-created", "-id").first()
    if decision is not None and decision.outcome == Decision.Outcome.ACCEPTED:
        return Status.ACCEPTED
    if submission.queries.filter(status=Query.State.OPEN).exists():
        return Status.QUERIES_OPEN
    if decision is not None and decision.outcome == Decision.Outcome.RETURNED:
        return Status.RETURNED
    if latest.submitted_at is not None:
        if latest.approved_at is None and requires_approval(submission.council_id):
            return Status.TO_APPROVE
        return Status.SUBMITTED
    if latest.validation_status in (ValidationStatus.ERRORS, ValidationStatus.FAILED):
        return Status.ERRORS
    return Status.DRAFT


def refresh_status(submission_id: int) -> str:
    submission = Submission.objects.get(pk=submission_id)
    status = derive_status(submission)
    Submission.objects.filter(pk=submission_id).update(status=status)
    return status


def latest_versions(submission_ids: list[int]) -> dict[int, SubmissionVersion]:
    out: dict[int, SubmissionVersion] = {}
    for v in SubmissionVersion.objects.filter(submission_id__in=submission_ids).order_by(
        "submission_id", "-number"
    ):
        out.setdefault(v.submission_id, v)
    return out
