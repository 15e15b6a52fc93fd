"""An agreement's activity: every revision of the agreement, of its schedules (deleted ones too) and of
the other documents linked to it, newest first, each pointing at its entry in its document's history.

Documents of the apps above (a managing board's terms of reference) come by registration: governance
calls `register_activity_source` from its `AppConfig.ready()`, so agreements never names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from agreements.models import Agreement, Schedule
from documents.history_views import ENTRIES_PER_PAGE
from documents.models import Revision

SYSTEM = "system"  # the user filter's value for entries no person made (loads, imports by command)


@dataclass(frozen=True)
class ActivityDocument:
    """One document whose revisions the agreement's activity lists."""

    key: str  # the document filter's value: "agreement", "schedule-12", "terms-3"
    label: str  # "Schedule 6"
    content_type_id: int
    object_id: int
    history_url: str | None  # its history page; None when it has none (a deleted schedule)


ActivitySource = Callable[[Agreement, object], list[ActivityDocument]]  # (agreement, user) -> documents
_sources: list[ActivitySource] = []


def register_activity_source(source: ActivitySource) -> ActivitySource:
    """Add the documents `source(agreement, user)` returns to every agreement's activity (once)."""
    if source not in _sources:
        _sources.append(source)
    return source


def activity_documents(agreement: Agreement, user) -> list[ActivityDocument]:
    """The agreement, its schedules by number (a deleted one from its history rows) and the registered documents."""
    reference = agreement.reference
    documents = [ActivityDocument(
        "agreement", "The agreement", ContentType.objects.get_for_model(Agreement).pk, agreement.pk,
        reverse("agreement_history", args=[reference]),
    )]
    schedule_type = ContentType.objects.get_for_model(Schedule).pk
    current = dict(Schedule.objects.filter(agreement=agreement).values_list("pk", "number"))
    deleted = dict(
        Schedule.history.filter(agreement_id=agreement.pk).exclude(id__in=current).values_list("id", "number")
    )
    schedules = [(number, pk, False) for pk, number in current.items()] + [
        (number, pk, True) for pk, number in deleted.items()
    ]
    for number, pk, gone in sorted(schedules):
        documents.append(ActivityDocument(
            f"schedule-{pk}", f"Schedule {number} (deleted)" if gone else f"Schedule {number}", schedule_type, pk,
            None if gone else reverse("schedule_history", args=[reference, number]),
        ))
    for source in _sources:
        documents += source(agreement, user)
    return documents


def _of_documents(documents: list[ActivityDocument]) -> Q:
    by_type: dict[int, list[int]] = {}
    for document in documents:
        by_type.setdefault(document.content_type_id, []).append(document.object_id)
    found = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        found |= Q(content_type_id=content_type_id, object_id__in=ids)
    return found


def activity_revisions(
    documents: list[ActivityDocument], *, document: ActivityDocument | None = None, user: str | None = None,
    kind: str | None = None,
) -> QuerySet[Revision]:
    """The documents' revisions newest first, filtered by document, user (an id or SYSTEM) and kind.

    Each carries `newer`: how many revisions of its own document are newer, which places it on its
    document's history pages (one query for a page of entries, however many documents they span).
    """
    newer = (
        Revision.objects.filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
        .filter(Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id")))
        .order_by().values("content_type").annotate(n=Count("id")).values("n")
    )
    revisions = Revision.objects.filter(_of_documents([document] if document is not None else documents))
    if user == SYSTEM:
        revisions = revisions.filter(user__isnull=True)
    elif user:
        revisions = revisions.filter(user_id=int(user))
    if kind:
        revisions = revisions.filter(kind=kind)
    return (
        revisions.select_related("user").defer("snapshot")
        .annotate(newer=Coalesce(Subquery(newer, output_field=IntegerField()), Value(0)))
        .order_by("-created_at", "-id")
    )


def activity_users(documents: list[ActivityDocument]):
    """The people who made any of the documents' revisions, by name: the user filter's choices."""
    made = Revision.objects.filter(_of_documents(documents)).values("user_id")
    return get_user_model().objects.filter(pk__in=made).order_by("first_name", "last_name", "username")


def entry_url(document: ActivityDocument, revision: Revision) -> str | None:
    """The revision's entry on its document's history pages (`newer` from `activity_revisions`)."""
    if document.history_url is None:
        return None
    page = revision.newer // ENTRIES_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{document.history_url}{query}#entry-{revision.pk}"
