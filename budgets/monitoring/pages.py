"""What the monitoring pages show, read in a fixed number of queries whatever the schedule's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from agreements.models import BudgetLine, Schedule
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.presenters import limits_for, present_return
from budgets.monitoring.snapshots import return_snapshot
from budgets.monitoring.variance import Limits, variance_of
from documents.models import Revision


@dataclass
class PeriodCell:
    period: int
    monitoring_return: MonitoringReturn | None
    flag: Any = None


def year_grid(schedule: Schedule, current_year: int) -> list[tuple[int, list[PeriodCell]]]:
    """Each financial year the schedule has budget lines for (up to the current one), with its twelve periods."""
    years = sorted(set(BudgetLine.objects.filter(schedule=schedule, financial_year__lte=current_year)
                       .values_list("financial_year", flat=True)), reverse=True)
    returns = {(r.financial_year, r.period): r for r in MonitoringReturn.objects.filter(schedule=schedule)}
    return [(year, [PeriodCell(p, returns.get((year, p))) for p in range(1, 13)]) for year in years]


def period_context(schedule: Schedule, monitoring_return: MonitoringReturn | None,
                   limits: Limits | None = None) -> dict[str, Any]:
    """The return's body (variance, flags, lines apart) from its live document."""
    if monitoring_return is None:
        return {}
    monitoring_return.schedule = schedule
    limits = limits or limits_for(schedule.agreement.reference)
    return present_return(return_snapshot(monitoring_return), limits)


def forecast_path(schedule: Schedule, financial_year: int, limits: Limits, *, upto: int = 12, moment=None):
    """The schedule's budget, actual and forecast at each period of the year up to `upto` that has a return (from
    each return's latest revision, or the latest at `moment`), and those revisions' snapshots by period: two queries."""
    returns = {r.pk: r.period for r in MonitoringReturn.objects.filter(
        schedule=schedule, financial_year=financial_year, period__lte=upto)}
    if not returns:
        return [], {}
    latest: dict[int, dict] = {}
    revisions = Revision.objects.filter(content_type=ContentType.objects.get_for_model(MonitoringReturn),
                                        object_id__in=list(returns)).order_by("object_id", "created_at", "id")
    if moment is not None:  # as the board saw them: nothing saved after the report was presented
        revisions = revisions.filter(created_at__lte=moment)
    for revision in revisions.only("object_id", "snapshot"):
        latest[returns[revision.object_id]] = revision.snapshot
    path = []
    for period, snapshot in sorted(latest.items()):
        total = variance_of(snapshot, limits).total
        path.append({"period": period, "budget": total.budget, "forecast": total.forecast,
                     "actual": total.actual, "variance": total.variance})
    return path, latest
