"""Reads for the agreement pages, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from agreements.models import Agreement, AgreementStatus, Party, Schedule
from agreements.presenters import current_financial_year, financial_year_label

REVIEW_WARNING_DAYS = 90


def review_flag(review_due: date | None, today: date | None = None) -> str:
    """'overdue', 'due' (within 90 days) or '' — what makes a review stand out."""
    if review_due is None:
        return ""
    today = today or date.today()
    if review_due < today:
        return "overdue"
    if review_due <= today + timedelta(days=REVIEW_WARNING_DAYS):
        return "due"
    return ""


def home_agreements(visible: QuerySet[Agreement], *, status: str = "", search: str = "") -> QuerySet[Agreement]:
    agreements = visible
    if status:
        agreements = agreements.filter(status=status)
    if search:
        agreements = agreements.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return (
        Agreement.objects.filter(pk__in=agreements.values("pk"))
        .annotate(schedule_count=Count("schedules", distinct=True))
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("partner")))
        .order_by("review_due", "reference")
    )


@dataclass
class ScheduleRow:
    schedule: Schedule
    totals: list[tuple[str, Decimal]]


def agreement_schedules(agreement: Agreement, year: int | None = None) -> tuple[list[ScheduleRow], str]:
    """Each schedule with its budget total per partner for the current financial year."""
    from budgets.models import BudgetLine

    year = current_financial_year() if year is None else year
    schedules = list(agreement.schedules.order_by("number"))
    sums = (
        BudgetLine.objects.filter(schedule__agreement=agreement, financial_year=year, amount__isnull=False)
        .values("schedule_id", "partner__short_name")
        .annotate(total=Sum("amount"))
        .order_by("schedule_id", "partner__short_name")
    )
    by_schedule: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for row in sums:
        by_schedule[row["schedule_id"]].append((row["partner__short_name"], row["total"]))
    return [ScheduleRow(s, by_schedule.get(s.pk, [])) for s in schedules], financial_year_label(year)


def latest_budget_year(agreement: Agreement) -> int | None:
    from budgets.models import BudgetLine

    return (
        BudgetLine.objects.filter(schedule__agreement=agreement).order_by("-financial_year")
        .values_list("financial_year", flat=True).first()
    )


STATUS_CHOICES = AgreementStatus.choices
