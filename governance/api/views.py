"""Boards and terms of reference, read-only, within the boards the user may see (others are 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from documents.api.history import DocumentHistoryMixin, DocumentRevisionsMixin
from documents.api.preconditions import document_etag
from governance.api.serializers import BoardSerializer, DocumentSerializer, TermsSummarySerializer
from governance.models import Board, TermsOfReference
from governance.selectors import boards_visible_to
from governance.snapshots import board_queryset, board_snapshot, terms_queryset, terms_snapshot


def _visible_boards(user):
    return Board.objects.filter(pk__in=boards_visible_to(user).values("pk"))


class BoardViewSet(DocumentRevisionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BoardSerializer
    filterset_fields = ["reports_to"]

    def get_queryset(self):
        return _visible_boards(self.request.user).select_related("terms").prefetch_related("agreements")

    def get_document(self):
        return get_object_or_404(_visible_boards(self.request.user), pk=self.kwargs["pk"])

    @extend_schema(responses=DocumentSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The board as one document (name, reporting line, the agreements it manages), as its history stores it."""
        board = get_object_or_404(board_queryset().filter(pk__in=_visible_boards(request.user).values("pk")),
                                  pk=kwargs["pk"])
        etag = document_etag(board)
        return Response({"etag": etag, "document": board_snapshot(board)}, headers={"ETag": etag})


class TermsViewSet(DocumentHistoryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TermsSummarySerializer
    filterset_fields = ["board", "status"]

    def get_queryset(self):
        return TermsOfReference.objects.filter(board__in=_visible_boards(self.request.user).values("pk"))

    def get_document(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(responses=DocumentSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The terms of reference as one document: purpose, duties, members, chair, quorum, remit…"""
        terms = get_object_or_404(terms_queryset().filter(board__in=_visible_boards(request.user).values("pk")),
                                  pk=kwargs["pk"])
        etag = document_etag(terms)
        return Response({"etag": etag, "document": terms_snapshot(terms)}, headers={"ETag": etag})
