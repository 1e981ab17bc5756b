"""Releases: who may see what, staging a version (freezing its tables), the publish step.

National analysts (and administrators) manage releases. A staged version is visible to them
and to the release's pre-release access list until the publish step publishes it; after that
to everyone. Every change, and every pre-release view, is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fgc.audit.services import record
from fgc.engine.disclosure import Publication
from fgc.statistics.models import Release, ReleaseTable, ReleaseVersion

PublicationSource = Callable[[str], tuple[str, Publication]]  # period -> (snapshot key, release)


class ReleaseError(ValueError):
    """A step the release cannot take; the message is shown to the person as it is."""


def can_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_national", False))


def has_pre_release(user: Any, release: Release) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return release.pre_release_users.filter(pk=user.pk).exists()


def visible_versions(user: Any, release: Release) -> QuerySet[ReleaseVersion]:
    """The versions this user may read: published ones, plus staged ones for managers and
    the pre-release access list."""
    versions = release.versions.all()
    if can_manage(user) or has_pre_release(user, release):
        return versions
    return versions.filter(published_at__isnull=False)


def published_releases() -> QuerySet[Release]:
    return Release.objects.filter(versions__published_at__isnull=False).distinct()


def latest_published(release: Release) -> ReleaseVersion | None:
    return release.versions.filter(published_at__isnull=False).order_by("-number").first()


def current_publication(period: str) -> tuple[str, Publication]:
    """The suppressed, attacked release files for ``period`` from the accepted data now."""
    from fgc.insight_web import services as insight

    try:
        snap, result = insight.insight()
    except insight.InsightPreparing:
        raise ReleaseError("The figures are being prepared: try again in a minute") from None
    if period not in result.periods:
        raise ReleaseError(f"There are no accepted returns for {period} to publish")
    return snap.key, insight.publication(snap, result, period)


def stage_version(
    user: Any,
    release: Release,
    *,
    publish_at: datetime,
    revision_note: str = "",
    source: PublicationSource = current_publication,
    request: Any = None,
) -> ReleaseVersion:
    """Freeze the release tables now as the next version, to be published at ``publish_at``.

    Refused when the disclosure check or the EES file checks fail, when a footnote names a
    table the release does not have, and (from version 2) without a revision note. A staged
    version not yet published is replaced by staging again.
    """
    if not can_manage(user):
        raise ReleaseError("Only national analysts can stage a release")
    number = release.versions.filter(published_at__isnull=False).count() + 1
    note = revision_note.strip()
    if number > 1 and not note:
        raise ReleaseError(
            f"Version {number} amends a published release: say what changed and why "
            "in the revision note"
        )
    key, pub = source(release.period)
    if not pub.ok:
        problems = [d.describe() for d in pub.check.disclosures] + list(pub.problems)
        raise ReleaseError(
            "The release cannot be published: the disclosure check or the EES file checks "
            f"failed ({'; '.join(problems) or 'no detail'})"
        )
    names = list(pub.files)
    unknown = sorted({f.table for f in release.footnotes.all()} - set(names))
    if unknown:
        raise ReleaseError(
            f"Footnotes name tables this release does not have: {', '.join(unknown)} "
            f"(its tables are {', '.join(names)})"
        )
    with transaction.atomic():
        replaced = release.versions.filter(published_at__isnull=True).first()
        if replaced is not None:
            replaced.delete()
        version = ReleaseVersion.objects.create(
            release=release,
            number=number,
            revision_note=note,
            publish_at=publish_at,
            snapshot_key=key,
            created_by=user,
        )
        notes: dict[str, list[str]] = {}
        for f in release.footnotes.all():
            notes.setdefault(f.table, []).append(f.text)
        ReleaseTable.objects.bulk_create(
            ReleaseTable(
                version=version,
                name=name,
                position=i,
                csv_text=data,
                meta_text=meta,
                footnotes=notes.get(name, []),
            )
            for i, (name, (data, meta)) in enumerate(pub.files.items())
        )
        record(
            request or user,
            "statistics.stage_version",
            target=version,
            detail={
                "release": release.slug,
                "version": number,
                "publish_at": publish_at.isoformat(),
                "tables": names,
                "replaced_staged": replaced is not None,
                "cells": pub.check.cells,
                "suppressed": pub.check.hidden,
            },
        )
    return version


def publish_due(now: datetime) -> list[ReleaseVersion]:
    """Publish every staged version whose time has come (the scheduled step)."""
    done = []
    due = ReleaseVersion.objects.filter(published_at__isnull=True, publish_at__lte=now)
    for version in due.select_related("release").order_by("publish_at", "pk"):
        with transaction.atomic():
            updated = ReleaseVersion.objects.filter(
                pk=version.pk, published_at__isnull=True
            ).update(published_at=now)
            if not updated:  # another publisher got there first
                continue
            version.published_at = now
            record(
                None,
                "statistics.publish_version",
                target=version,
                detail={"release": version.release.slug, "version": version.number},
                username="scheduled publication",
            )
        done.append(version)
    return done


def set_pre_release(request: Any, release: Release, user: Any, *, grant: bool) -> None:
    """Add ``user`` to (or remove them from) the pre-release access list, audited."""
    if grant:
        release.pre_release_users.add(user)
    else:
        release.pre_release_users.remove(user)
    record(
        request,
        "statistics.pre_release_grant" if grant else "statistics.pre_release_revoke",
        target=release,
        detail={"release": release.slug, "user": user.get_username()},
    )
