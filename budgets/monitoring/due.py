"""What budget monitoring makes due (registered in `BudgetsConfig.ready()`, listed by `partnerships.due`).

A monitoring return for period Pn (April is P1) of a financial year is due a set number of working
days after the period's month ends (``settings.MONITORING_RETURN_WORKING_DAYS``, 10 unless set),
for each schedule in force of a live agreement with budget lines in that year. It drops off once
the return exists; a missing one stays as overdue. Only the current and the previous financial
year are listed, so a schedule that never made returns does not fill the list with years of them.

An open action plan is due on its due date, overdue while open; a closed plan drops off.

Both read the agreements and schedules `agreements.due` reads once per listing, so each adds one
query to the page whatever the number of schedules.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings

from agreements.budget_values import financial_year_label
from agreements.due import first_year, live_agreement_query, live_agreements, live_schedules
from agreements.models import ScheduleStatus
from budgets.monitoring.models import PERIODS, ActionPlan, MonitoringReturn, period_month
from partnerships.due import DueItem, DueKind
from partnerships.working_days import add_working_days

RETURN_WORKING_DAYS = 10

MONITORING_RETURN = DueKind("monitoring_return", "Monitoring return", remind_days=7)
ACTION_PLAN = DueKind("action_plan", "Action plan due", remind_days=14)
KINDS = [MONITORING_RETURN, ACTION_PLAN]


def return_working_days() -> int:
    return int(getattr(settings, "MONITORING_RETURN_WORKING_DAYS", RETURN_WORKING_DAYS))


def period_end(financial_year: int, period: int) -> date:
    """The last day of period Pn: P1 is April of the financial year, P12 March of the next calendar year."""
    month = (period + 2) % 12 + 1
    year = financial_year if period <= 9 else financial_year + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def return_due(financial_year: int, period: int, working_days: int | None = None) -> date:
    days = return_working_days() if working_days is None else working_days
    return add_working_days(period_end(financial_year, period), days)


def monitoring_items(partner_ids: set[int] | None, *, today: date, until: date, shared: dict) -> list[DueItem]:
    """Missing monitoring returns (1 query) and open action plans (1 query) of the partners' live agreements."""
    schedules = [s for s in live_schedules(partner_ids, shared, today=today, until=until)
                 if s.status == ScheduleStatus.IN_FORCE and s.years]
    return [*_return_items(schedules, partner_ids, today=today, until=until),
            *_plan_items(partner_ids, shared, until=until)]


def _return_items(schedules, partner_ids, *, today: date, until: date) -> list[DueItem]:
    start = first_year(today)
    made = set(MonitoringReturn.objects.filter(
        schedule__agreement__in=live_agreement_query(partner_ids), financial_year__gte=start,
    ).order_by().values_list("schedule_id", "financial_year", "period"))
    days = return_working_days()
    periods = [  # (year, period, due, label, detail), worked out once for every schedule
        (year, period, due, f"Monitoring return {financial_year_label(year)} P{period}",
         f"{days} working days after {period_month(period)} ended on {period_end(year, period):%-d %B %Y}")
        for year in (start, start + 1) for period in PERIODS if (due := return_due(year, period, days)) <= until
    ]
    items = []
    for schedule in schedules:
        reference, number = schedule.agreement.reference, schedule.number
        for year, period, due, label, detail in periods:
            if year not in schedule.years or (schedule.pk, year, period) in made:
                continue
            items.append(DueItem(
                MONITORING_RETURN.code, f"return-{schedule.pk}-{year}-P{period}", due,
                f"{label}: {reference} Schedule {number}", link=("budgets:return", (reference, number, year, period)),
                audience=schedule.agreement.audience, agreement=reference, detail=detail, group=label,
            ))
    return items


def _plan_items(partner_ids, shared, *, until: date) -> list[DueItem]:
    agreements = live_agreements(partner_ids, shared)
    if not agreements:
        return []
    plans = (ActionPlan.objects.filter(closed_on__isnull=True, due__lte=until,
                                       schedule__agreement__in=live_agreement_query(partner_ids))
             .order_by().values_list("pk", "schedule__agreement_id", "schedule__number", "due", "owner",
                                     "budget_line__service", "opened_in"))
    items = []
    for pk, agreement_id, number, due, owner, service, opened_in in plans:
        if agreement_id not in agreements:
            continue
        agreement = agreements[agreement_id]
        items.append(DueItem(
            ACTION_PLAN.code, f"action-plan-{pk}", due,
            f"Action plan for {service}: {agreement.reference} Schedule {number}",
            link=("budgets:action_plan", (agreement.reference, number, pk)),
            audience=agreement.audience, agreement=agreement.reference,
            detail=f"Opened for {opened_in}; owner {owner}",
        ))
    return items
