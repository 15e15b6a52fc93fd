"""A report as presented keeps the thresholds and action plans of the day it was presented."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.monitoring.action_plans import plan_close, plan_open, plan_progress, plans_for_report
from budgets.monitoring.models import Thresholds
from budgets.monitoring.report import build_report, report_state
from budgets.monitoring.services import return_present, return_save
from documents.models import Decision

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


def test_later_thresholds_and_plan_changes_do_not_rewrite_the_presented_report(schedule, lines):
    visiting, nursing = lines["Health visiting"], lines["School nursing"]
    Thresholds.objects.create(agreement=schedule.agreement)  # the defaults: red from 3 % or £50,000
    saved = return_save(schedule=schedule, financial_year=2018, period=6, reason="P6", today=TODAY, values={
        visiting.pk: {"actual_to_date": "2000000", "forecast_outturn": "4512000", "notes": ""},   # +£123,412 red
        nursing.pk: {"actual_to_date": "300000", "forecast_outturn": "670000", "notes": ""},      # +1.3 % amber
    })
    plan = plan_open(schedule=schedule, budget_line=visiting, owner="Head of Commissioning", actions="Recruit",
                     target_saving=Decimal("100000"), due=date(2019, 3, 31), opened_in="2018/19 P6")
    plan_progress(plan=plan, financial_year=2018, period=6, note="Campaign launched")
    return_present(monitoring_return=saved, decision=Decision(body="Board", decided_on=date(2018, 10, 18)))

    thresholds = Thresholds.objects.get(agreement=schedule.agreement)
    thresholds.amber_percent, thresholds.red_percent = Decimal("2"), Decimal("5")
    thresholds.save()
    plan_progress(plan=plan, financial_year=2018, period=7, note="After the meeting")
    plan_close(plan=plan, closed_on=date(2018, 11, 30), note="Posts filled")

    presented = build_report(saved, report_state(saved, version=1))
    flags = {line.label: line.flag.words for line in presented["body"]["variance"].lines}
    assert flags["School nursing"] == "Amber: overspend"  # 1.3 % ≥ amber from 1 %, as on the day
    assert presented["body"]["limits"].amber_percent == Decimal("1")
    assert [p.owner for p in presented["action_plans"]["open"]] == ["Head of Commissioning"]
    assert presented["action_plans"]["open"][0].latest_progress.note == "Campaign launched"
    assert presented["action_plans"]["needed"] == []

    # Today's monitoring pages read today's plans: the plan is closed.
    assert plans_for_report(schedule, presented["body"]["variance"])["open"] == []


def test_the_live_report_uses_todays_thresholds_and_plans(schedule, lines):
    visiting, nursing = lines["Health visiting"], lines["School nursing"]
    saved = return_save(schedule=schedule, financial_year=2018, period=6, reason="P6", today=TODAY, values={
        visiting.pk: {"actual_to_date": "2000000", "forecast_outturn": "4512000", "notes": ""},
        nursing.pk: {"actual_to_date": "300000", "forecast_outturn": "670000", "notes": ""},
    })
    Thresholds.objects.create(agreement=schedule.agreement, amber_percent=Decimal("2"), red_percent=Decimal("5"))
    report = build_report(saved, report_state(saved))
    flags = {line.label: line.flag.words for line in report["body"]["variance"].lines}
    assert flags["School nursing"] == "Green: on budget"  # 1.3 % is under today's amber of 2 %
    assert [line.label for line in report["action_plans"]["needed"]] == ["Health visiting"]
