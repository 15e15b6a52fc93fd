"""The kinds added after the first: monitoring returns, action plans, open variations and schedule
review dates. Each is due when it should be, links to where it is dealt with, drops off when done,
and is shown only to the partners whose staff may see it."""

from __future__ import annotations

from datetime import date

import pytest

from agreements.models import BudgetLine, PartyDecision, Variation
from budgets.monitoring.due import period_end, return_due
from budgets.monitoring.models import ActionPlan, MonitoringReturn
from documents.models import Decision
from partnerships.due import due_items, due_kinds
from tests.due.conftest import TODAY
from tests.factories import make_schedule


def _of(kind: str, partner, **kwargs):
    return [item for item in due_items({partner.pk}, today=TODAY, **kwargs) if item.kind == kind]


def _in_force_schedule(world, *years, **fields):
    schedule = make_schedule(agreement=world.agreement, fields={"status": "in_force", **fields})
    for year in years:
        BudgetLine.objects.create(schedule=schedule, service="Reablement", partner=world.council, financial_year=year,
                                  budget_type="pooled", amount="1000.00", status="confirmed")
    return schedule


def test_the_new_kinds_are_registered_by_their_apps():
    codes = {kind.code for kind in due_kinds()}
    assert {"monitoring_return", "action_plan", "variation_decision", "variation_waiting", "schedule_review"} <= codes


def test_a_period_ends_on_its_months_last_day_and_its_return_is_due_ten_working_days_on():
    assert period_end(2026, 1) == date(2026, 4, 30)       # April is P1
    assert period_end(2026, 9) == date(2026, 12, 31)
    assert period_end(2026, 11) == date(2027, 2, 28)
    assert period_end(2026, 12) == date(2027, 3, 31)
    # December 2026: Christmas, Boxing Day (the 28th in lieu) and New Year's Day are not working days
    assert return_due(2026, 9) == date(2027, 1, 15)
    assert return_due(2026, 7) == date(2026, 11, 13)


def test_monitoring_returns_are_due_for_each_period_until_the_return_is_made(world):
    schedule = _in_force_schedule(world, 2026)
    returns = _of("monitoring_return", world.ccg)
    # only 2026/27 has budget lines; P1 (due 15 May 2026) to P12 (due 15 April 2027) are all missing
    assert [item.title.split(":")[0] for item in returns][:2] == ["Monitoring return 2026/27 P1", "Monitoring return 2026/27 P2"]
    assert len(returns) == 12 and returns[0].due == date(2026, 5, 15)
    assert returns[0].url == f"/agreements/RIVER-S75/schedules/{schedule.number}/monitoring/2026/P1/"
    assert returns[0].audience == {world.council.pk, world.ccg.pk}
    assert "10 working days after April ended on 30 April 2026" in returns[0].detail
    for period in range(1, 8):
        MonitoringReturn.objects.create(schedule=schedule, financial_year=2026, period=period)
    returns = _of("monitoring_return", world.council)
    assert [item.uid for item in returns][0] == f"return-{schedule.pk}-2026-P8"  # made ones drop off
    assert returns[0].due == date(2026, 12, 14) and len(returns) == 5
    assert not _of("monitoring_return", world.outsider)


def test_returns_are_listed_for_the_current_and_previous_year_only_and_not_for_schedules_not_in_force(world):
    _in_force_schedule(world, 2023, 2024, 2025)
    returns = _of("monitoring_return", world.council)
    assert {item.title[:27] for item in returns} == {"Monitoring return 2025/26 P"}  # 2023 and 2024 are too old
    assert len(returns) == 12 and all(item.due < TODAY for item in returns)  # overdue while missing
    draft = _in_force_schedule(world, 2026)
    draft.status = "draft"
    draft.save()
    assert len(_of("monitoring_return", world.council)) == 12


def test_the_working_days_are_a_setting(world, settings):
    _in_force_schedule(world, 2026)
    settings.MONITORING_RETURN_WORKING_DAYS = 5
    first = _of("monitoring_return", world.council)[0]
    assert first.due == date(2026, 5, 8) and "5 working days after April" in first.detail


def test_an_open_action_plan_is_due_on_its_date_and_drops_off_when_closed(world):
    schedule = _in_force_schedule(world)
    line = BudgetLine.objects.create(schedule=schedule, service="Health visiting", partner=world.ccg, financial_year=2026,
                                     budget_type="pooled", amount="500.00", status="confirmed")
    plan = ActionPlan.objects.create(schedule=schedule, budget_line=line, owner="Head of Commissioning",
                                     actions="Recruit", target_saving="100.00", due=date(2026, 11, 30),
                                     opened_in="2026/27 P6")
    item, = _of("action_plan", world.council)
    assert (item.due, item.agreement) == (date(2026, 11, 30), "RIVER-S75")
    assert item.title == f"Action plan for Health visiting: RIVER-S75 Schedule {schedule.number}"
    assert item.url == f"/agreements/RIVER-S75/schedules/{schedule.number}/monitoring/action-plans/{plan.pk}/"
    assert not _of("action_plan", world.outsider)
    plan.closed_on = date(2026, 12, 1)
    plan.save()
    assert not _of("action_plan", world.council)


def _variation(world, **values) -> Variation:
    return Variation.objects.create(agreement=world.agreement, number=1, title="Add reablement", summary="More",
                                    effective_date=date(2027, 4, 1), **values)


def test_an_open_variation_asks_each_undecided_party_for_its_decision(world):
    variation = _variation(world)
    decision, = _of("variation_decision", world.council)
    assert decision.title == "Decision needed: RIVER-S75 variation 1, Add reablement"
    assert (decision.due, decision.url) == (date(2027, 4, 1), "/agreements/RIVER-S75/variations/1/")
    assert decision.audience == {world.council.pk, world.ccg.pk}
    assert not _of("variation_waiting", world.council)
    agreed = Decision.objects.create(body="Cabinet", decided_on=date(2026, 12, 1))
    PartyDecision.objects.create(variation=variation, partner=world.council, outcome="agreed", decision=agreed,
                                 variation_edit_count=0)
    # the council has decided: it waits for the CCG, which is asked for its decision
    assert not _of("variation_decision", world.council)
    waiting, = _of("variation_waiting", world.council)
    assert waiting.title == "Waiting for Riverside CCG: RIVER-S75 variation 1, Add reablement"
    assert waiting.audience == {world.council.pk}
    still, = _of("variation_decision", world.ccg)
    assert still.audience == {world.ccg.pk} and not _of("variation_waiting", world.ccg)
    assert not [i for i in due_items({world.outsider.pk}, today=TODAY) if i.kind.startswith("variation")]


@pytest.mark.parametrize("status", ["agreed", "declined", "withdrawn"])
def test_a_closed_variation_has_nothing_due(world, status):
    _variation(world, status=status)
    assert not [i for i in due_items({world.council.pk}, today=TODAY) if i.kind.startswith("variation")]


def test_a_schedule_review_date_is_due_for_the_agreements_parties(world):
    schedule = _in_force_schedule(world, review_due=date(2026, 11, 1))
    item, = _of("schedule_review", world.ccg)
    assert item.title == f"Review RIVER-S75 Schedule {schedule.number}: {schedule.title}"
    assert (item.due, item.url) == (date(2026, 11, 1), f"/agreements/RIVER-S75/schedules/{schedule.number}/")
    assert not _of("schedule_review", world.outsider)
    schedule.status = "withdrawn"
    schedule.save()
    assert not _of("schedule_review", world.ccg)


def test_the_new_kinds_reach_the_page_only_for_parties(world, monkeypatch):
    monkeypatch.setattr("partnerships.due_views.timezone.localdate", lambda: TODAY)
    _in_force_schedule(world, 2026, review_due=date(2027, 2, 1))
    _variation(world)
    page = world.client("viewer").get("/due/").content.decode()
    assert "Decision needed: RIVER-S75 variation 1" in page and "Monitoring return 2026/27 P8" in page
    assert "Review RIVER-S75 Schedule" in page
    outsider = world.client("outsider").get("/due/").content.decode()
    assert "RIVER-S75" not in outsider and "Monitoring return 20" not in outsider and "variation 1" not in outsider
