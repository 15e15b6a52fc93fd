"""Agreements with their parties, and schedules: a summary in lists, the whole document on its own."""

from __future__ import annotations

from rest_framework import serializers

from agreements.models import Agreement, Party, Schedule
from documents.api.preconditions import document_etag


class PartySerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")

    class Meta:
        model = Party
        fields = ["partner", "partner_name", "role"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True)
    schedules = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "reference", "title", "legal_basis", "status", "dated", "effective_from", "expires",
                  "review_due", "parties", "schedules"]

    def get_schedules(self, agreement) -> list[int]:
        return [schedule.pk for schedule in agreement.schedules.all()]


class ScheduleSummarySerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.reference")
    etag = serializers.SerializerMethodField()

    class Meta:
        model = Schedule
        fields = ["id", "agreement", "number", "title", "status", "service_name", "etag"]

    def get_etag(self, schedule) -> str:
        return document_etag(schedule)


class ScheduleDocumentSerializer(serializers.Serializer):
    """The schedule as one document: the same dict its history stores (`agreements.snapshots`)."""

    etag = serializers.CharField(help_text="Send it as If-Match when writing this schedule's budget lines")
    document = serializers.JSONField()
