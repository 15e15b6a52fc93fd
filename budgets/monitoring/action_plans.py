"""Action plans for projected overspends flagged red: opened, given progress notes per period, closed.

A red line with no open plan "needs an action plan"; open plans are shown on the monitoring pages
and in the board's report until they are closed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.monitoring.frozen import plans_as_of
from budgets.monitoring.models import ActionPlan, ActionPlanProgress


def open_plans(schedule) -> list[ActionPlan]:
    return list(ActionPlan.objects.filter(schedule=schedule, closed_on__isnull=True)
                .select_related("budget_line__partner").prefetch_related("progress"))


def plans_for_report(schedule, variance, moment=None) -> dict[str, Any]:
    """The open plans (now, or at `moment`: as a presented report showed them), and the red lines that have none."""
    if moment is not None:
        plans = plans_as_of(schedule, moment)
    else:
        plans = open_plans(schedule)
    covered = {plan.budget_line_id for plan in plans}
    needed = [line for line in variance.red_lines if line.entry["budget_line_id"] not in covered]
    return {"open": plans, "needed": needed}


@transaction.atomic
def plan_open(*, schedule, budget_line, owner: str, actions: str, target_saving, due: date, opened_in: str,
              user=None) -> ActionPlan:
    if budget_line.schedule_id != schedule.pk:
        raise ValidationError("That budget line is not in this schedule.")
    if ActionPlan.objects.filter(budget_line=budget_line, closed_on__isnull=True).exists():
        raise ValidationError(f"{budget_line.service} already has an open action plan: add progress to it instead.")
    plan = ActionPlan(schedule=schedule, budget_line=budget_line, owner=owner, actions=actions,
                      target_saving=target_saving, due=due, opened_in=opened_in)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_progress(*, plan: ActionPlan, financial_year: int, period: int, note: str) -> ActionPlanProgress:
    if not plan.is_open:
        raise ValidationError("This action plan is closed.")
    progress = ActionPlanProgress(plan=plan, financial_year=financial_year, period=period, note=note)
    progress.full_clean()
    progress.save()
    return progress


@transaction.atomic
def plan_close(*, plan: ActionPlan, closed_on: date, note: str) -> ActionPlan:
    if not plan.is_open:
        raise ValidationError("This action plan is already closed.")
    if not note.strip():
        raise ValidationError({"closing_note": "Say how the overspend was resolved."})
    plan.closed_on, plan.closing_note = closed_on, note
    plan.save(update_fields=["closed_on", "closing_note"])
    return plan
