"""Budget lines: read with filters; write through the import's checks and fast path, one revision a request.

    GET   /api/v1/budget-lines/?agreement=…&schedule=…&partner=…&financial_year=…&budget_type=…&status=…
    GET   /api/v1/budget-lines/{id}/                 one line (ETag: its schedule's)
    PATCH /api/v1/budget-lines/{id}/                 change its amount, status, ring-fencing or notes
    GET   /api/v1/schedules/{id}/budget-lines/       the schedule's lines (ETag: the schedule's)
    POST  /api/v1/schedules/{id}/budget-lines/       create or change up to 10,000 lines, all or none

Writes need the schedule's ETag in If-Match (428 without, 412 when stale) and a `reason`.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response

from agreements.budget_values import financial_year_label
from agreements.models import BudgetLine, Schedule
from agreements.selectors import agreements_visible_to
from budgets.api.filters import BudgetLineFilter
from budgets.api.serializers import (
    BudgetLinePatchSerializer,
    BudgetLineSerializer,
    BudgetLinesWriteSerializer,
    LinesWrittenSerializer,
    RowErrorsSerializer,
)
from budgets.importing import ImportRefused, budget_lines_write
from budgets.importing.records import field_of
from documents.api.preconditions import PreconditionFailed, document_etag, expected_edit_count
from documents.api.serializers import RevisionSerializer
from documents.services import EditConflict
from partnerships.access import Capability, require

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                            description="The schedule's ETag, from GET /schedules/{id}/ or its budget lines")
WRITE_RESPONSES = {
    200: LinesWrittenSerializer,
    400: RowErrorsSerializer,
    403: OpenApiResponse(description="Your role may not edit budget lines"),
    404: OpenApiResponse(description="No such schedule among the agreements your partner is party to"),
    412: OpenApiResponse(description="The schedule changed since the ETag you sent"),
    413: OpenApiResponse(description="The body is too large"),
    428: OpenApiResponse(description="No If-Match header"),
}


def visible_lines(user):
    return BudgetLine.objects.filter(
        schedule__agreement__in=agreements_visible_to(user).values("pk")
    ).select_related("schedule__agreement", "partner")


def _envelope(data, allowed: set[str]) -> dict:
    if not isinstance(data, dict):
        raise BadRequest("Send a JSON object with the fields named below. Nothing was written.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadRequest({name: [f"“{name}” is not a field here: use {', '.join(sorted(allowed))}."] for name in unknown})
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise BadRequest({"reason": ["Enter the reason for this change: it is shown in the schedule's history."]})
    return data


def _write(request, schedule: Schedule, records: list, reason: str) -> Response:
    """One call to the service; its refusals as 400 (by row) or 412, its result with the new ETag."""
    try:
        expected = expected_edit_count(request, schedule)
        written = budget_lines_write(
            schedule=schedule, records=records, user=request.user, reason=reason, expected_edit_count=expected,
        )
    except EditConflict as conflict:
        raise PreconditionFailed(str(conflict)) from None
    except ImportRefused as refused:
        errors = refused.errors
        rows = sorted({error.row for error in errors if error.row})
        return Response({
            "detail": f"Nothing was written: {len(errors)} error{'s' if len(errors) != 1 else ''} in "
                      f"{len(rows)} line{'s' if len(rows) != 1 else ''}.",
            "errors": [{"row": error.row, "field": field_of(error), "value": error.value, "message": error.message}
                       for error in errors],
        }, status=status.HTTP_400_BAD_REQUEST)
    schedule.edit_count = written.edit_count
    etag = document_etag(schedule)
    body = {
        "created": written.created, "changed": written.changed, "unchanged": written.unchanged,
        "revision": RevisionSerializer(written.revision).data if written.revision else None, "etag": etag,
    }
    return Response(body, headers={"ETag": etag})


# A list reads plain values, not model instances through the serializer (a third of the time for
# 1,000 lines); `line_as_listed` gives exactly BudgetLineSerializer's output (a test holds it to that).
LISTED = ("id", "schedule_id", "schedule__number", "schedule__agreement__reference", "position", "service",
          "partner_id", "partner__name", "financial_year", "budget_type", "amount", "status",
          "ring_fenced_public_health", "notes")


def line_as_listed(row: dict) -> dict:
    amount = row["amount"]
    return {
        "id": row["id"], "agreement": row["schedule__agreement__reference"], "schedule": row["schedule_id"],
        "schedule_number": row["schedule__number"], "position": row["position"], "service": row["service"],
        "partner": row["partner_id"], "partner_name": row["partner__name"], "financial_year": row["financial_year"],
        "financial_year_label": financial_year_label(row["financial_year"]), "budget_type": row["budget_type"],
        "amount": None if amount is None else f"{amount:.2f}", "status": row["status"],
        "ring_fenced_public_health": row["ring_fenced_public_health"], "notes": row["notes"],
    }


class ListedLinesMixin:
    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).values(*LISTED)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([line_as_listed(row) for row in page])


class BudgetLineViewSet(ListedLinesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return visible_lines(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        line = self.get_object()
        return Response(self.get_serializer(line).data, headers={"ETag": document_etag(line.schedule)})

    @extend_schema(request=BudgetLinePatchSerializer, parameters=[IF_MATCH], responses=WRITE_RESPONSES)
    def partial_update(self, request, *args, **kwargs):
        """Change one line's amount, status, ring-fencing or notes (its service, partner, year and type stay)."""
        line = self.get_object()
        require(request.user, Capability.EDIT_BUDGETS)
        data = _envelope(request.data, {"reason", "amount", "status", "ring_fenced_public_health", "notes"})
        record = {
            "service": line.service, "partner": line.partner_id, "financial_year": line.financial_year,
            "budget_type": line.budget_type, "amount": line.amount, "status": line.status,
            "ring_fenced_public_health": line.ring_fenced_public_health, "notes": line.notes,
        }
        record.update({name: value for name, value in data.items() if name != "reason"})
        if "amount" in data and "status" not in data:
            record.pop("status")  # a new amount with no status says confirmed, or an error, as in a file
        return _write(request, line.schedule, [record], data["reason"])


class ScheduleBudgetLinesView(ListedLinesMixin, generics.ListAPIView):
    """A schedule's budget lines, and writing many of them at once."""

    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter

    def get_schedule(self) -> Schedule:
        return get_object_or_404(
            Schedule.objects.filter(agreement__in=agreements_visible_to(self.request.user).values("pk"))
            .select_related("agreement"),
            pk=self.kwargs["pk"],
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no pk
            return BudgetLine.objects.none()
        return visible_lines(self.request.user).filter(schedule_id=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        schedule = self.get_schedule()
        response = super().list(request, *args, **kwargs)
        response["ETag"] = document_etag(schedule)
        return response

    @extend_schema(request=BudgetLinesWriteSerializer, parameters=[IF_MATCH], responses=WRITE_RESPONSES)
    def post(self, request, *args, **kwargs):
        """Create or change up to 10,000 lines in one request: all or none, one revision with your reason.

        Each line is matched to a stored one by service, partner, financial year and budget type;
        lines not sent are left as they are. Every error is returned with its line's number.
        """
        schedule = self.get_schedule()
        require(request.user, Capability.EDIT_BUDGETS)
        data = _envelope(request.data, {"reason", "lines"})
        lines = data.get("lines")
        if not isinstance(lines, list):
            raise BadRequest({"lines": ["Send the lines as a list of objects."]})
        return _write(request, schedule, lines, data["reason"])
