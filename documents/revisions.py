"""Open, record and read document revisions (the unit of history users see)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
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


DRAFT_CACHE_SECONDS = 30 * 24 * 3600


def draft_since(latest: Revision | None, version: Version | None) -> bool:
    """`is_draft` for a document's latest revision and its latest agreed version, both read without their
    snapshots (`latest_state`): the answer is remembered in the cache, as two revisions' contents never
    change once written, so the pages need not read and compare two whole snapshots on every view.

    The key carries both revisions' ids and dates (ids can be reused after a rollback on SQLite, or
    after a restore), and a revision still being written (its snapshot is stored as its block ends)
    is never remembered."""
    if version is None:
        return True
    if latest is None or latest.pk == version.revision_id:
        return False
    agreed = version.revision
    key = f"s75:draft:v1:{latest.pk}:{latest.created_at.timestamp()}:{agreed.pk}:{agreed.created_at.timestamp()}"
    answer = cache.get(key)
    if answer is None:
        snapshots = dict(Revision.objects.filter(pk__in=[latest.pk, agreed.pk]).values_list("pk", "snapshot"))
        answer = not same_content(snapshots[latest.pk], snapshots[agreed.pk])
        writing = open_revision.get()
        if writing is None or writing.revision_id not in (latest.pk, agreed.pk):
            cache.set(key, answer, DRAFT_CACHE_SECONDS)
    return answer


def latest_state(document: models.Model) -> tuple[Revision | None, Version | None, bool]:
    """The latest revision (with its user), the latest agreed version and whether there are changes since
    it (a draft), without reading a snapshot unless the draft answer is not yet remembered."""
    latest = revisions_of(document).select_related("user").defer("snapshot").first()
    version = versions_of(document).defer("revision__snapshot").order_by("-number").first()
    return latest, version, draft_since(latest, version)


def agreed_state(document: models.Model) -> tuple[Version | None, bool]:
    """The latest agreed version and whether there are changes since it (a draft)."""
    _latest, version, draft = latest_state(document)
    return version, draft
