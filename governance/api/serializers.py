"""Boards and their terms of reference: summaries in lists, the whole document on its own."""

from __future__ import annotations

from rest_framework import serializers

from governance.models import Board, TermsOfReference


class BoardSerializer(serializers.ModelSerializer):
    agreements = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)
    terms = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = ["id", "name", "short_name", "description", "reports_to", "agreements", "terms"]

    def get_terms(self, board) -> int | None:
        terms = getattr(board, "terms", None)
        return terms.pk if terms is not None else None


class TermsSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = TermsOfReference
        fields = ["id", "board", "title", "status", "review_due"]


class DocumentSerializer(serializers.Serializer):
    etag = serializers.CharField()
    document = serializers.JSONField()
