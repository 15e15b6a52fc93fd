"""What a report as presented shows beside its figures, as it stood when it was presented.

A presented report's figures come from the version's snapshot; the thresholds that flag them and
the action plans listed with them come from django-simple-history's rows at the moment the version
was agreed (`Version.agreed_at`), so later changes to either do not rewrite the report the board saw.
Thresholds written before they had history read as they are now (there is nothing older to read).
"""

from __future__ import annotations

from agreements.models import BudgetLine
from budgets.monitoring.models import ActionPlan, ActionPlanProgress, Thresholds
from budgets.monitoring.presenters import limits_for
from budgets.monitoring.variance import Limits
from documents.prefetching import set_prefetched


def limits_as_of(agreement, moment) -> Limits:
    """The agreement's thresholds at `moment` (None: now); the defaults if they were set only later."""
    if moment is None:
        return limits_for(agreement.reference)
    rows = Thresholds.history.filter(agreement_id=agreement.pk)
    if not rows.exists():
        return limits_for(agreement.reference)
    then = rows.filter(history_date__lte=moment).order_by("-history_date", "-history_id").first()
    if then is None or then.history_type == "-":
        return Limits()
    return Limits(then.amber_percent, then.red_percent, then.red_amount)


def plans_as_of(schedule, moment) -> list[ActionPlan]:
    """The schedule's action plans open at `moment`, each with its budget line and progress notes as they were."""
    plans = sorted((plan for plan in ActionPlan.history.as_of(moment).filter(schedule_id=schedule.pk)
                    if plan.closed_on is None), key=lambda plan: (plan.due, plan.pk))
    ids = [plan.pk for plan in plans]
    lines = {line.pk: line for line in BudgetLine.history.as_of(moment).filter(
        pk__in=[plan.budget_line_id for plan in plans])} if plans else {}
    notes: dict[int, list] = {}
    if plans:
        for note in sorted(ActionPlanProgress.history.as_of(moment).filter(plan_id__in=ids),
                           key=lambda n: (n.financial_year, n.period, n.pk)):
            notes.setdefault(note.plan_id, []).append(note)
    for plan in plans:
        if plan.budget_line_id in lines:
            plan.budget_line = lines[plan.budget_line_id]
        set_prefetched(plan, "progress", notes.get(plan.pk, []))
    return plans
