"""The history every versioned document has in the API, as actions on its viewset:

    GET …/{id}/revisions/          who, when, why, kind (add ?snapshot=true for each whole document)
    GET …/{id}/versions/           agreed versions with their decisions (?snapshot=true likewise)
    GET …/{id}/versions/{number}/  one agreed version, with the document as agreed
    GET …/{id}/as-of/?date=…       the document as it stood at the end of that day (or at a date-time)

A viewset mixes this in and gives `get_document()`, which loads the document through the user's
scope (404 otherwise), exactly as the history pages' loaders do.
"""

from __future__ import annotations

from datetime import datetime, time

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from documents.api.serializers import (
    DocumentStateSerializer,
    RevisionSerializer,
    RevisionWithSnapshotSerializer,
    VersionSerializer,
    VersionWithSnapshotSerializer,
)
from documents.revisions import revision_as_of, revisions_of, versions_of

SNAPSHOT = OpenApiParameter("snapshot", OpenApiTypes.BOOL, description="Include each whole document (large)")
AS_OF = OpenApiParameter("date", OpenApiTypes.STR, required=True,
                         description="A date (YYYY-MM-DD: the end of that day, UK time) or an ISO date-time")


class RevisionPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _wants_snapshot(request) -> bool:
    return request.query_params.get("snapshot", "").lower() in {"1", "true", "yes"}


def parse_moment(value: str) -> datetime:
    moment = parse_datetime(value) if "T" in value or " " in value.strip() else None
    if moment is None:
        day = parse_date(value) if value else None
        if day is None:
            raise ValidationError({"date": [f"“{value}” is not a date: write it as YYYY-MM-DD, such as 2018-02-06."]})
        moment = datetime.combine(day, time.max)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class DocumentRevisionsMixin:
    """Revisions and "as it stood on": every versioned document has them."""

    def get_document(self):  # pragma: no cover - each viewset gives its own
        raise NotImplementedError

    @extend_schema(parameters=[SNAPSHOT], responses=RevisionWithSnapshotSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def revisions(self, request, *args, **kwargs):
        document = self.get_document()
        revisions = revisions_of(document).select_related("user")
        if not _wants_snapshot(request):
            revisions = revisions.defer("snapshot")
        serializer_class = RevisionWithSnapshotSerializer if _wants_snapshot(request) else RevisionSerializer
        paginator = RevisionPagination()
        page = paginator.paginate_queryset(revisions, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(parameters=[AS_OF], responses=DocumentStateSerializer)
    @action(detail=True, methods=["get"], url_path="as-of", filter_backends=[], pagination_class=None)
    def as_of(self, request, *args, **kwargs):
        document = self.get_document()
        moment = parse_moment(request.query_params.get("date", ""))
        revision = revision_as_of(document, moment)
        if revision is None:
            raise Http404(f"There is no record of this document on {moment:%-d %B %Y}.")
        return Response(DocumentStateSerializer(
            {"as_of": moment, "revision": revision, "document": revision.snapshot}
        ).data)


class DocumentHistoryMixin(DocumentRevisionsMixin):
    """…and agreed versions, for the documents that are agreed (schedules, agreements, terms; not boards)."""

    @extend_schema(parameters=[SNAPSHOT], responses=VersionWithSnapshotSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, *args, **kwargs):
        versions = versions_of(self.get_document()).order_by("number")
        if _wants_snapshot(request):
            return Response(VersionWithSnapshotSerializer(versions, many=True).data)
        return Response(VersionSerializer(versions.defer("revision__snapshot"), many=True).data)

    @extend_schema(responses=VersionWithSnapshotSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)", filter_backends=[],
            pagination_class=None)
    def version(self, request, number: str, *args, **kwargs):
        version = versions_of(self.get_document()).filter(number=int(number)).first()
        if version is None:
            raise Http404
        return Response(VersionWithSnapshotSerializer(version).data)
