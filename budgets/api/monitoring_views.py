"""Monitoring returns and finance reports in the API; a period's figures written through `return_save`.

    GET /api/v1/monitoring-returns/?agreement=…&schedule=…&financial_year=…&period=…
    GET /api/v1/monitoring-returns/{id}/                      one return (ETag: the return's)
    GET /api/v1/monitoring-returns/{id}/report/?version=N     the finance report's figures
    GET /api/v1/monitoring-returns/{id}/revisions/, versions/, versions/{n}/, as-of/?date=…
    GET /api/v1/schedules/{id}/monitoring-returns/{year}/{period}/          the period's return
    PUT /api/v1/schedules/{id}/monitoring-returns/{year}/{period}/          write its figures
    GET /api/v1/schedules/{id}/monitoring-returns/{year}/{period}/report/   its finance report

A write is one revision with its `reason`, through the service the page editor and the import
use; `If-Match` carries the return's ETag (428 without, 412 when stale), or `If-None-Match: *`
creates the period's first return. Commissioners and finance officers of a party write.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.budget_values import financial_year_label
from agreements.models import Schedule
from agreements.selectors import agreements_visible_to
from budgets.api.monitoring_figures import report_json, returns_json
from budgets.api.monitoring_serializers import (
    FinanceReportSerializer,
    MonitoringReturnSerializer,
    ReturnWriteSerializer,
    ReturnWrittenSerializer,
)
from budgets.api.monitoring_writes import MAX_LINES, read_lines
from budgets.api.serializers import RowErrorsSerializer
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.report import build_report, report_state
from budgets.monitoring.services import monitored_lines, return_save
from documents.api.history import DocumentHistoryMixin
from documents.api.preconditions import (
    PreconditionFailed,
    PreconditionRequired,
    document_etag,
    expected_edit_count,
)
from documents.api.serializers import RevisionSerializer
from documents.pdf import PrintError
from documents.revisions import latest_revision
from documents.services import EditConflict, NothingChanged
from partnerships.access import Capability, require

# `return_save` creates the period's return when there is none and otherwise updates it with the
# edit count it is given: an edit count no return has, so that a return created by someone else
# between our check and the write is refused (EditConflict) rather than overwritten.
MUST_BE_NEW = -1
VERSION = OpenApiParameter("version", OpenApiTypes.INT,
                           description="A version presented to the board: its figures as presented (else now)")
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER,
                            description="The return's ETag (from any read of it); required when it exists")
IF_NONE_MATCH = OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER,
                                 description="`*` to create the period's first return")
WRITE_RESPONSES = {
    200: ReturnWrittenSerializer,
    201: ReturnWrittenSerializer,
    400: RowErrorsSerializer,
    403: OpenApiResponse(description="Your role may not enter monitoring returns"),
    404: OpenApiResponse(description="No such schedule among the agreements your partner is party to"),
    412: OpenApiResponse(description="The return changed since the ETag you sent (or was created meanwhile)"),
    413: OpenApiResponse(description="The body is too large"),
    428: OpenApiResponse(description="No If-Match (or If-None-Match: * for a new return)"),
}


def visible_returns(user):
    return MonitoringReturn.objects.filter(
        schedule__agreement__in=agreements_visible_to(user).values("pk")
    ).select_related("schedule__agreement")


def _version(request) -> int | None:
    raw = request.query_params.get("version", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise BadRequest({"version": [f"“{raw}” is not a version number: a version is a whole number."]})
    return int(raw)


def report_response(request, monitoring_return: MonitoringReturn) -> Response:
    try:
        state = report_state(monitoring_return, version=_version(request))
    except PrintError as error:
        raise Http404(str(error)) from error
    return Response(report_json(build_report(monitoring_return, state), monitoring_return))


class MonitoringReturnFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="schedule__agreement__reference", help_text="Agreement reference")
    schedule = filters.NumberFilter(field_name="schedule_id")
    financial_year = filters.NumberFilter(help_text="The year it starts in April: 2018 means 2018/19")
    period = filters.NumberFilter(help_text="1 (April) to 12 (March)")

    class Meta:
        model = MonitoringReturn
        fields = ["agreement", "schedule", "financial_year", "period"]


class MonitoringReturnViewSet(DocumentHistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    """Monitoring returns with each line's figures, variance and flag."""

    serializer_class = MonitoringReturnSerializer
    filterset_class = MonitoringReturnFilter

    def get_queryset(self):
        return visible_returns(self.request.user)

    def get_document(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(returns_json(list(page)))

    def retrieve(self, request, *args, **kwargs):
        monitoring_return = self.get_document()
        return Response(returns_json([monitoring_return])[0], headers={"ETag": document_etag(monitoring_return)})

    @extend_schema(parameters=[VERSION], responses=FinanceReportSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def report(self, request, *args, **kwargs):
        """The board's finance report of the return: figures, groupings, risk-share split, forecast path."""
        return report_response(request, self.get_document())


class SchedulePeriodMixin:
    def get_schedule(self) -> Schedule:
        return get_object_or_404(
            Schedule.objects.filter(agreement__in=agreements_visible_to(self.request.user).values("pk"))
            .select_related("agreement"),
            pk=self.kwargs["pk"],
        )

    def stored_return(self, schedule: Schedule) -> MonitoringReturn | None:
        found = MonitoringReturn.objects.filter(schedule=schedule, financial_year=self.kwargs["year"],
                                                period=self.kwargs["period"]).first()
        if found is not None:
            found.schedule = schedule
        return found

    def period_words(self) -> str:
        return f"{financial_year_label(self.kwargs['year'])} P{self.kwargs['period']}"

    def return_or_404(self) -> MonitoringReturn:
        schedule = self.get_schedule()
        found = self.stored_return(schedule)
        if found is None:
            raise Http404(f"Schedule {schedule.number} has no return for {self.period_words()} yet.")
        return found


class ScheduleReturnView(SchedulePeriodMixin, APIView):
    """One period's monitoring return of a schedule: read it, or write its figures."""

    @extend_schema(responses=MonitoringReturnSerializer)
    def get(self, request, *args, **kwargs):
        monitoring_return = self.return_or_404()
        return Response(returns_json([monitoring_return])[0], headers={"ETag": document_etag(monitoring_return)})

    @extend_schema(request=ReturnWriteSerializer, parameters=[IF_MATCH, IF_NONE_MATCH], responses=WRITE_RESPONSES)
    def put(self, request, *args, **kwargs):
        """Write the period's figures: the whole return, one revision with your reason, all or nothing.

        Each line names a budget line of the schedule for that year; a line not sent has no entry
        afterwards (as a blank row in the page's table). Every error comes back with its line's number.
        """
        schedule = self.get_schedule()
        require(request.user, Capability.ENTER_MONITORING)
        data = _envelope(request.data)
        stored = self.stored_return(schedule)
        expected = self._precondition(request, schedule, stored)
        year = self.kwargs["year"]
        read = read_lines(data["lines"], list(monitored_lines(schedule, year)), schedule_number=schedule.number,
                          financial_year=year)
        if read.errors:
            rows = {error["row"] for error in read.errors}
            return Response({
                "detail": f"Nothing was written: {len(read.errors)} error{'s' if len(read.errors) != 1 else ''} "
                          f"in {len(rows)} line{'s' if len(rows) != 1 else ''}.",
                "errors": read.errors,
            }, status=status.HTTP_400_BAD_REQUEST)
        revision = None
        try:
            saved = return_save(schedule=schedule, financial_year=year, period=self.kwargs["period"],
                                values=read.values, user=request.user, reason=data["reason"],
                                expected_edit_count=expected, note=data.get("note"))
        except NothingChanged:
            saved = stored
        except (EditConflict, IntegrityError):
            raise PreconditionFailed(
                f"The {self.period_words()} return of Schedule {schedule.number} has changed since you read it "
                "(or was created by someone else). Nothing was written: read it again, then send yours with "
                "its new ETag."
            ) from None
        else:
            revision = latest_revision(saved)
        saved.edit_count = MonitoringReturn.objects.values_list("edit_count", flat=True).get(pk=saved.pk)
        etag = document_etag(saved)
        body = {"monitoring_return": saved.pk, "created": stored is None,
                "revision": RevisionSerializer(revision).data if revision else None, "etag": etag,
                "warnings": read.warnings}
        return Response(body, status=status.HTTP_201_CREATED if stored is None else status.HTTP_200_OK,
                        headers={"ETag": etag})

    def _precondition(self, request, schedule: Schedule, stored: MonitoringReturn | None) -> int:
        """The edit count to write against: If-Match for a stored return, If-None-Match: * for a new one."""
        create = request.headers.get("If-None-Match", "").strip() == "*"
        if stored is not None:
            if create:
                raise PreconditionFailed(
                    f"Schedule {schedule.number} already has a return for {self.period_words()} (ETag "
                    f"{document_etag(stored)}): send that in If-Match to change it. Nothing was written."
                )
            return expected_edit_count(request, stored)
        if create:
            return MUST_BE_NEW
        if request.headers.get("If-Match", "").strip():
            raise PreconditionFailed(
                f"Schedule {schedule.number} has no return for {self.period_words()}, so your If-Match matches "
                "nothing: send If-None-Match: * to create it. Nothing was written."
            )
        raise PreconditionRequired(
            f"Schedule {schedule.number} has no return for {self.period_words()} yet: send If-None-Match: * to "
            "create it, so a return made by someone else meanwhile is not overwritten. Nothing was written."
        )


class ScheduleReturnReportView(SchedulePeriodMixin, APIView):
    @extend_schema(parameters=[VERSION], responses=FinanceReportSerializer)
    def get(self, request, *args, **kwargs):
        """The finance report of the schedule's period: figures, groupings, risk-share split, forecast path."""
        return report_response(request, self.return_or_404())


def _envelope(data) -> dict:
    allowed = {"reason", "note", "lines"}
    if not isinstance(data, dict):
        raise BadRequest("Send a JSON object with reason, lines and (optionally) note. Nothing was written.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadRequest({name: [f"“{name}” is not a field here: use {', '.join(sorted(allowed))}."]
                          for name in unknown})
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise BadRequest({"reason": ["Enter the reason for this change: it is shown in the return's history."]})
    if "note" in data and not isinstance(data["note"], str):
        raise BadRequest({"note": ["Send the note on the figures as text."]})
    lines = data.get("lines")
    if not isinstance(lines, list):
        raise BadRequest({"lines": ["Send the lines as a list of objects (budget_line, actual_to_date, "
                                    "forecast_outturn, notes)."]})
    if len(lines) > MAX_LINES:
        raise BadRequest({"lines": [f"{len(lines):,} lines is more than one request takes ({MAX_LINES:,}). "
                                    "Nothing was written."]})
    return data
