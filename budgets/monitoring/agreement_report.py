"""The board's finance report of a whole agreement for a period: every schedule's report, summed.

Each schedule with a return for the period contributes its own report (`build_report`, the return
as it stands now, with today's thresholds and open action plans), so the agreement's figures are the schedules' figures added up: budget, actual
to date, forecast and variance per schedule and in total, each partner's risk share (the sum of its
penny-exact shares of each schedule, so the parts still add up exactly), the open action plans and
the ring-fenced public health actuals by quarter. Schedules without a return are named, not guessed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agreements.budget_values import financial_year_label
from agreements.models import Agreement
from budgets import spreadsheets
from budgets.monitoring.charts import budget_by_partner
from budgets.monitoring.models import MonitoringReturn, period_month
from budgets.monitoring.presenters import limits_for
from budgets.monitoring.report import QUARTER_ENDS, build_report, report_state
from budgets.monitoring.risk_share import ROUNDING_WORDS
from budgets.monitoring.variance import Figures


@dataclass
class ScheduleRow:
    schedule: Any
    report: dict[str, Any]
    figures: Figures
    presented: str  # "Presented to <board>, <date> (version N)" or "Not presented"


def agreement_periods(agreement: Agreement) -> list[dict[str, Any]]:
    """Each (year, period) for which a schedule of the agreement has a return, latest first, with those schedules."""
    found: OrderedDict[tuple[int, int], list[int]] = OrderedDict()
    rows = (MonitoringReturn.objects.filter(schedule__agreement=agreement)
            .order_by("-financial_year", "-period", "schedule__number")
            .values_list("financial_year", "period", "schedule__number"))
    for year, period, number in rows:
        found.setdefault((year, period), []).append(number)
    return [{"year": year, "period": period, "label": f"{financial_year_label(year)} P{period} ({period_month(period)})",
             "schedules": numbers} for (year, period), numbers in found.items()]


def _presented_words(state) -> str:
    if state.draft or state.version is None:
        return "Not presented" + (f" (changed since version {state.version.number})" if state.version else "")
    decision = state.version.decision
    return f"Presented to {decision.body}, {decision.decided_on:%-d %B %Y} (version {state.version.number})"


def _risk_shares(rows: list[ScheduleRow]) -> list[dict[str, Any]]:
    """Each partner's share of each schedule's projected variance, and its sum across the schedules."""
    partners: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for index, row in enumerate(rows):
        for name, amount in row.report["shares"]:
            partner = partners.setdefault(name, {"partner": name, "by_schedule": [None] * len(rows),
                                                 "total": Decimal("0")})
            partner["by_schedule"][index] = (partner["by_schedule"][index] or Decimal("0")) + amount
            partner["total"] += amount
    return list(partners.values())


def _by_partner(rows: list[ScheduleRow], limits) -> list[Figures]:
    merged: OrderedDict[str, Figures] = OrderedDict()
    for row in rows:
        for group in row.report["body"]["variance"].by_partner:
            merged.setdefault(group.label, Figures(group.label, limits=limits)).add(group)
    return list(merged.values())


def _ring_fenced(rows: list[ScheduleRow]) -> list[dict[str, Any]]:
    """Per quarter, the schedules' ring-fenced public health actuals added up; the schedules with no return then."""
    quarters = []
    for index, end in enumerate(QUARTER_ENDS):
        known = [(row.schedule.number, row.report["ring_fenced"][index]["actual"]) for row in rows]
        present = [actual for _number, actual in known if actual is not None]
        quarters.append({"quarter": f"Q{index + 1}", "period": f"P{end}",
                         "actual": sum(present, Decimal("0")) if present else None,
                         "missing": [number for number, actual in known if actual is None]})
    return quarters


def build_agreement_report(agreement: Agreement, financial_year: int, period: int) -> dict[str, Any]:
    limits = limits_for(agreement.reference)
    returns = {r.schedule_id: r for r in MonitoringReturn.objects.filter(
        schedule__agreement=agreement, financial_year=financial_year, period=period)}
    rows, without = [], []
    total = Figures("Agreement total", limits=limits)
    for schedule in agreement.schedules.select_related("agreement", "host", "lead_commissioner").order_by("number"):
        monitoring_return = returns.get(schedule.pk)
        if monitoring_return is None:
            without.append(schedule)
            continue
        monitoring_return.schedule = schedule
        state = report_state(monitoring_return)
        report = build_report(monitoring_return, state, charts=False, frozen=False)
        figures = report["body"]["variance"].total
        rows.append(ScheduleRow(schedule, report, figures, _presented_words(state)))
        total.add(figures)
    by_partner = _by_partner(rows, limits)
    chart = budget_by_partner(by_partner)
    return {
        "agreement": agreement, "year": financial_year, "period": period, "limits": limits,
        "title": f"Finance report: {agreement.reference}, {financial_year_label(financial_year)} P{period} "
                 f"({period_month(period)})",
        "rows": rows, "without": without, "total": total, "by_partner": by_partner,
        "shares": _risk_shares(rows), "rounding": ROUNDING_WORDS,
        "share_total": sum((row.report["body"]["variance"].total.variance or Decimal("0")
                            for row in rows if row.report["shares"]), Decimal("0")),
        "plans": [(row.schedule, plan) for row in rows for plan in row.report["action_plans"]["open"]],
        "plans_needed": [(row.schedule, line) for row in rows for line in row.report["action_plans"]["needed"]],
        "ring_fenced": _ring_fenced(rows),
        "all_presented": bool(rows) and all(row.presented.startswith("Presented") for row in rows),
        "charts": [chart] if chart else [],
    }


def agreement_report_xlsx(report: dict[str, Any]) -> bytes:
    rows, total = report["rows"], report["total"]
    schedules = spreadsheets.sheet(
        "Schedules", ["Schedule", "Title", "Budget", "Actual to date", "Forecast outturn", "Variance", "Variance %",
                      "Flag", "Status"],
        [[row.schedule.number, row.schedule.title, row.figures.budget, row.figures.actual,
          None if row.figures.missing_forecast else row.figures.forecast, row.figures.variance, row.figures.percent,
          row.figures.flag.words, row.presented] for row in rows]
        + [["Total", total.label, total.budget, total.actual, None if total.missing_forecast else total.forecast,
            total.variance, total.percent, total.flag.words, ""]],
        money=["Budget", "Actual to date", "Forecast outturn", "Variance"])
    lines = spreadsheets.sheet(
        "Lines", ["Schedule", "Service", "Partner", "Budget", "Actual to date", "Forecast outturn", "Variance",
                  "Variance %", "Flag", "Notes"],
        [[row.schedule.number, x.label, x.partner, x.budget, x.actual, None if x.missing_forecast else x.forecast,
          x.variance, x.percent, x.flag.words, x.notes] for row in rows for x in row.report["body"]["variance"].lines],
        money=["Budget", "Actual to date", "Forecast outturn", "Variance"])
    partners = spreadsheets.sheet(
        "By partner", ["Partner", "Budget", "Forecast outturn", "Variance", "Flag"],
        [[g.label, g.budget, g.forecast, g.variance, g.flag.words] for g in report["by_partner"]],
        money=["Budget", "Forecast outturn", "Variance"])
    share_heads = [f"Schedule {row.schedule.number}" for row in rows]
    shares = spreadsheets.sheet(
        "Risk share", ["Partner", *share_heads, "Total"],
        [[p["partner"], *p["by_schedule"], p["total"]] for p in report["shares"]],
        money=[*share_heads, "Total"])
    plans = spreadsheets.sheet(
        "Action plans", ["Schedule", "Budget line", "Owner", "Actions", "Target saving", "Due", "Latest progress"],
        [[schedule.number, plan.budget_line.service, plan.owner, plan.actions, plan.target_saving, plan.due,
          (f"P{plan.latest_progress.period}: {plan.latest_progress.note}" if plan.latest_progress else "")]
         for schedule, plan in report["plans"]],
        money=["Target saving"])
    quarters = spreadsheets.sheet(
        "Ring-fenced public health", ["Quarter", "Actual", "Schedules with no return"],
        [[q["quarter"], q["actual"], ", ".join(str(n) for n in q["missing"])] for q in report["ring_fenced"]],
        money=["Actual"])
    return spreadsheets.export_workbook([schedules, lines, partners, shares, plans, quarters])
