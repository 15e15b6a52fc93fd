"""Agreements and schedules, read-only, within the user's scope (anything else is 404)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from agreements.api.serializers import AgreementSerializer, ScheduleDocumentSerializer, ScheduleSummarySerializer
from agreements.models import Agreement, AgreementStatus, Party, Schedule, ScheduleStatus
from agreements.selectors import agreements_visible_to
from agreements.snapshots import schedule_queryset, schedule_snapshot
from documents.api.history import DocumentHistoryMixin
from documents.api.preconditions import document_etag


class AgreementFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=AgreementStatus.choices)
    partner = filters.NumberFilter(field_name="parties__partner", distinct=True)

    class Meta:
        model = Agreement
        fields = ["status", "partner"]


class AgreementViewSet(DocumentHistoryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return agreements_visible_to(self.request.user).prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("partner")),
            Prefetch("schedules", queryset=Schedule.objects.only("id", "agreement_id", "number")),
        )

    def get_document(self):
        return get_object_or_404(agreements_visible_to(self.request.user), reference=self.kwargs["reference"])


class ScheduleFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__reference")
    status = filters.ChoiceFilter(choices=ScheduleStatus.choices)

    class Meta:
        model = Schedule
        fields = ["agreement", "number", "status"]


class ScheduleViewSet(DocumentHistoryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ScheduleSummarySerializer
    filterset_class = ScheduleFilter

    def get_queryset(self):
        return Schedule.objects.filter(
            agreement__in=agreements_visible_to(self.request.user).values("pk")
        ).select_related("agreement")

    def get_document(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(responses=ScheduleDocumentSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The whole schedule as one document: fields, aims, outcomes, KPIs, risks, specification, budget lines."""
        schedule = get_object_or_404(
            schedule_queryset().filter(agreement__in=agreements_visible_to(request.user).values("pk")),
            pk=kwargs["pk"],
        )
        etag = document_etag(schedule)
        return Response({"etag": etag, "document": schedule_snapshot(schedule)}, headers={"ETag": etag})
