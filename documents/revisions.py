"""Open, record and read document revisions (the unit of history users see)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from documents.history_rows import OpenRevision, open_revision
from documents.models import Revision, Version
from documents.text import same_content


@contextmanager
def revision_scope(
    *,
    document: models.Model,
    snapshot: Callable[[int], dict[str, Any]],
    user=None,
    reason: str,
    kind: str,
    summary: str = "",
    created_at: datetime | None = None,
) -> Iterator[Revision]:
    """Group every write inside the block into one revision of `document`.

    Historical rows written inside are linked to the revision and carry its user, reason and
    date; when the block ends the document's new state is stored as the revision's snapshot.
    Must run inside a transaction, so a failure leaves neither rows nor revision behind.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("revision_scope must be used inside transaction.atomic")
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        user=user if (user is not None and user.is_authenticated) else None,
        reason=reason,
        kind=kind,
        summary=summary,
        created_at=created_at or timezone.now(),
    )
    token = open_revision.set(
        OpenRevision(revision_id=revision.pk, user_id=revision.user_id, reason=reason, date=revision.created_at)
    )
    try:
        yield revision
    finally:
        open_revision.reset(token)
    revision.snapshot = snapshot(document.pk)
    revision.save(update_fields=["snapshot", "summary"])


def revisions_of(document: models.Model):
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk
    ).order_by("-created_at", "-id")


def latest_revision(document: models.Model) -> Revision | None:
    return revisions_of(document).select_related("user").first()


def revision_as_of(document: models.Model, moment: datetime) -> Revision | None:
    """The revision in force at `moment`: the newest one made at or before it (one indexed query)."""
    return revisions_of(document).filter(created_at__lte=moment).first()


def versions_of(document: models.Model):
    return Version.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk
    ).select_related("decision", "revision", "agreed_by")


def latest_version(document: models.Model) -> Version | None:
    return versions_of(document).order_by("-number").first()


def is_draft(state: Revision | dict[str, Any] | None, version: Version | None) -> bool:
    """Whether a document state (a revision, or a snapshot) is a draft: no version agreed yet, or
    content that differs from the agreed version's. The one answer to "is this a draft?"."""
    if version is None:
        return True
    if state is None:
        return False
    if isinstance(state, Revision):
        if state.pk == version.revision_id:
            return False
        state = state.snapshot
    return not same_content(state, version.revision.snapshot)


def agreed_state(document: models.Model) -> tuple[Version | None, bool]:
    """The latest agreed version and whether there are changes since it (a draft)."""
    version = latest_version(document)
    return version, is_draft(latest_revision(document) if version is not None else None, version)
