"""Budgets' part of the demo: Haringey Schedule 6's 2018/19 monitoring, P1 to P6 (illustrative figures).

P6 is the shared illustrative return (fixtures/monitoring/), imported as a finance officer would;
P1–P5 are drawn from it (actuals in proportion to the months gone, the forecast moving towards
P6's). The P6 report is presented to the Health and Wellbeing Board, and health visiting, flagged
red, has an action plan. Registered with `agreements.demo.register_demo_part`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from agreements.demo import FIXTURES_DIR, DemoSummary
from agreements.models import Schedule
from budgets.monitoring.action_plans import plan_open, plan_progress
from budgets.monitoring.importing import return_import
from budgets.monitoring.models import MonitoringReturn, Thresholds
from budgets.monitoring.services import return_present, return_save
from documents.models import Decision

REFERENCE = "HARINGEY-S75-2017"
EXAMPLE = "monitoring/haringey-schedule-6-2018-19-P6.csv"
NOTE = ("Illustrative figures: made up to show the monitoring cycle. The seed papers give Schedule 6's budgets, "
        "not its spending.")
BOARD = "Haringey Health and Wellbeing Board"
MEETING = date(2018, 10, 16)
PENNY = Decimal("0.01")


def load_monitoring_demo(*, summary: DemoSummary, fixtures_dir: Path | None = None) -> DemoSummary:
    schedule = Schedule.objects.filter(agreement__reference=REFERENCE, number=6).select_related("agreement").first()
    if schedule is None:
        summary.skip("monitoring return", f"{REFERENCE} Schedule 6 is not loaded: no monitoring demo.")
        return summary
    if MonitoringReturn.objects.filter(schedule=schedule, financial_year=2018).exists():
        summary.skip("monitoring return", "Schedule 6 already has 2018/19 returns: skipped.")
        return summary
    example = (fixtures_dir or FIXTURES_DIR) / EXAMPLE
    if not example.is_file():
        summary.skip("monitoring return", f"{example} is not there: no monitoring demo.")
        return summary
    content = example.read_bytes()
    Thresholds.objects.get_or_create(agreement=schedule.agreement)  # the defaults, written down where they are set
    _preview, p6 = return_import(schedule=schedule, filename="haringey-schedule-6-2018-19-P6.csv", content=content,
                                 reason="P6 return from the finance officer (illustrative)")
    return_save(schedule=schedule, financial_year=2018, period=6, values=_values(p6), note=NOTE,
                reason="Marked as illustrative", expected_edit_count=None)
    for period in range(1, 6):
        values = {}
        for entry in p6.entries.select_related("budget_line"):
            budget = entry.budget_line.amount
            share = Decimal(period) / 6
            values[entry.budget_line_id] = {
                "actual_to_date": (entry.actual_to_date * share).quantize(PENNY, ROUND_HALF_UP),
                "forecast_outturn": (budget + (entry.forecast_outturn - budget) * share).quantize(PENNY, ROUND_HALF_UP),
                "notes": "",
            }
        return_save(schedule=schedule, financial_year=2018, period=period, values=values, note=NOTE,
                    reason=f"P{period} return (illustrative)")
    summary.did("monitoring return", "Schedule 6 monitoring returns for 2018/19 P1 to P6 (illustrative) loaded.")
    visiting = p6.entries.select_related("budget_line").get(budget_line__service="Health visiting").budget_line
    plan = plan_open(schedule=schedule, budget_line=visiting, owner="Head of Public Health Commissioning",
                     actions="Fill the two health visiting team vacancies with permanent staff to end agency cover; "
                             "review agency rates with the provider.",
                     target_saving=Decimal("120000"), due=date(2019, 3, 31), opened_in="2018/19 P6")
    plan_progress(plan=plan, financial_year=2018, period=6,
                  note="Recruitment campaign launched; agency cover reduced in one team from November.")
    summary.did("action plan", "An action plan for health visiting's projected overspend.")
    # Presented after the plan was opened, so the report as presented lists it (budgets.monitoring.frozen).
    return_present(monitoring_return=p6, decision=Decision(body=BOARD, decided_on=MEETING,
                                                           summary="P6 finance report (illustrative figures)"))
    summary.did("presented report", f"The P6 finance report presented to {BOARD}, {MEETING:%-d %B %Y}.")
    return summary


def _values(monitoring_return: MonitoringReturn) -> dict[int, dict]:
    return {e.budget_line_id: {"actual_to_date": e.actual_to_date, "forecast_outturn": e.forecast_outturn,
                               "notes": e.notes} for e in monitoring_return.entries.all()}
