"""The board's finance report of a schedule for a period: one dict for the page, the PDF and the xlsx.

It is built from a state of the period's return (live, or the version presented to a board, via
the kernel's `choose_state`), so a report as presented prints again exactly: the figures and
budgets come from the presented snapshot, the risk-share rule as it stood when it was presented.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agreements.budget_values import financial_year_label
from agreements.models import Schedule
from budgets import spreadsheets
from budgets.monitoring.action_plans import plans_for_report
from budgets.monitoring.charts import budget_by_partner, forecast_path_chart
from budgets.monitoring.frozen import limits_as_of
from budgets.monitoring.models import MonitoringReturn, RiskShareRule, period_month
from budgets.monitoring.pages import forecast_path
from budgets.monitoring.presenters import present_return
from budgets.monitoring.risk_rules import rule_as_of
from budgets.monitoring.risk_share import ROUNDING_WORDS, split
from budgets.monitoring.snapshots import return_snapshot_by_id
from documents.pdf import PrintState, choose_state

QUARTER_ENDS = (3, 6, 9, 12)


def report_state(monitoring_return: MonitoringReturn, *, version: int | None = None, as_of=None) -> PrintState:
    schedule = monitoring_return.schedule
    state = choose_state(
        monitoring_return, live=None, live_loader=lambda: return_snapshot_by_id(monitoring_return.pk),
        version=version, as_of=as_of,
        what=f"The {monitoring_return.label} return of Schedule {schedule.number}",
    )
    state.status_words = [w.replace("agreed", "presented") for w in state.status_words]
    if state.version is not None and not state.draft:
        state.status_words.append(f"to {state.version.decision.body}")
    return state


def _risk_split(variance, rule_doc: dict[str, Any], schedule: Schedule, partner_names: dict[str, str]):
    """[(partner, share)] of the schedule's projected variance under the rule, penny-exact."""
    total = variance.total.variance
    rule = rule_doc["fields"]["rule"]
    if total is None:
        return rule, []
    if rule == RiskShareRule.OWN_LINES:
        return rule, [(group.label, group.variance) for group in variance.by_partner]
    if rule == RiskShareRule.HOST:
        bearer = schedule.host or schedule.lead_commissioner
        return rule, [(bearer.name if bearer else "The host", total)]
    if rule == RiskShareRule.FIXED:
        weights = [(partner_names.get(str(p["partner_id"]), rule_doc["partners"].get(str(p["partner_id"]), {})
                                      .get("name", f"Partner {p['partner_id']}")), Decimal(p["percent"]))
                   for p in rule_doc["parts"]]
    else:
        weights = [(group.label, group.budget) for group in variance.by_partner]
    if not weights or sum(w for _k, w in weights) <= 0:
        return rule, []
    return rule, split(total, weights)


def ring_fenced_quarters(path_snapshots: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Ring-fenced public health actuals by quarter: the actual to date at P3, P6, P9 and P12, less the quarter before."""
    rows, before = [], Decimal("0")
    for number, end in enumerate(QUARTER_ENDS, start=1):
        snapshot = path_snapshots.get(end)
        if snapshot is None:
            rows.append({"quarter": f"Q{number}", "period": f"P{end}", "actual": None})
            continue
        to_date = sum((Decimal(e["actual_to_date"]) for e in snapshot["entries"]
                       if e.get("ring_fenced_public_health") and e.get("actual_to_date") not in (None, "")),
                      Decimal("0"))
        rows.append({"quarter": f"Q{number}", "period": f"P{end}", "actual": to_date - before,
                     "to_date": to_date})
        before = to_date
    return rows


def build_report(monitoring_return: MonitoringReturn, state: PrintState, *, charts: bool = True,
                 frozen: bool = True) -> dict[str, Any]:
    """The report's dict; `charts=False` leaves out the charts (the agreement's report draws its own);
    `frozen=False` reads today's thresholds and action plans even for a presented state (the agreement's
    report, which is the returns as they stand now, not a presented document)."""
    schedule = monitoring_return.schedule
    moment = state.version.agreed_at if (state.version is not None and not state.draft) else None
    extras_at = moment if frozen else None
    limits = limits_as_of(schedule.agreement, extras_at)  # as presented: the thresholds of that day
    body = present_return(state.snapshot, limits)
    rule_doc = rule_as_of(schedule, moment)
    names = {key: value["name"] for key, value in state.snapshot.get("partners", {}).items()}
    rule, shares = _risk_split(body["variance"], rule_doc, schedule, names)
    path, snapshots = forecast_path(schedule, monitoring_return.financial_year, limits, upto=monitoring_return.period,
                                     moment=moment)
    snapshots[monitoring_return.period] = state.snapshot
    return {
        "schedule": schedule, "agreement": schedule.agreement, "body": body, "state": state,
        "title": f"Finance report: Schedule {schedule.number}, {financial_year_label(monitoring_return.financial_year)} "
                 f"P{monitoring_return.period} ({period_month(monitoring_return.period)})",
        "rule": RiskShareRule(rule).label, "rule_is_default": rule_doc.get("default", False),
        "shares": shares, "rounding": ROUNDING_WORDS, "path": path,
        "ring_fenced": ring_fenced_quarters(snapshots), "status_words": state.status_words,
        "action_plans": plans_for_report(schedule, body["variance"], extras_at),
        "charts": [chart for chart in (budget_by_partner(body["variance"].by_partner), forecast_path_chart(path))
                   if chart] if charts else [],
    }


def report_xlsx(report: dict[str, Any]) -> bytes:
    variance = report["body"]["variance"]
    lines = spreadsheets.sheet(
        "Lines", ["Service", "Partner", "Budget", "Actual to date", "Forecast outturn", "Variance", "Variance %",
                  "Flag", "Notes"],
        [[x.label, x.partner, x.budget, x.actual, None if x.missing_forecast else x.forecast, x.variance,
          x.percent, x.flag.words, x.notes] for x in variance.lines]
        + [[variance.total.label, "", variance.total.budget, variance.total.actual, variance.total.forecast,
            variance.total.variance, variance.total.percent, variance.total.flag.words, ""]],
        money=["Budget", "Actual to date", "Forecast outturn", "Variance"])
    partners = spreadsheets.sheet(
        "By partner", ["Partner", "Budget", "Forecast outturn", "Variance", "Flag"],
        [[g.label, g.budget, g.forecast, g.variance, g.flag.words] for g in variance.by_partner],
        money=["Budget", "Forecast outturn", "Variance"])
    shares = spreadsheets.sheet("Risk share", ["Partner", "Share of the projected variance"],
                                [[name, amount] for name, amount in report["shares"]],
                                money=["Share of the projected variance"])
    apart = spreadsheets.sheet("Not counted", ["Service", "Partner", "Budget", "Actual to date", "Forecast outturn"],
                               [[e["service"], e["partner"], e["budget_words"],
                                 e.get("actual_to_date"), e.get("forecast_outturn")] for e in variance.apart])
    quarters = spreadsheets.sheet("Ring-fenced public health", ["Quarter", "Actual"],
                                  [[q["quarter"], q["actual"]] for q in report["ring_fenced"]], money=["Actual"])
    return spreadsheets.export_workbook([lines, partners, shares, apart, quarters])
