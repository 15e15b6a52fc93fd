"""The registered sources: which items, on which dates, for whom."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agreements.models import BudgetLine
from governance.services import meeting_schedule_set
from partnerships.due import band, due_items, due_kinds
from tests.due.conftest import TODAY
from tests.factories import make_schedule


def _by_kind(items):
    found: dict[str, list] = {}
    for item in items:
        found.setdefault(item.kind, []).append(item)
    return found


def test_every_kind_is_registered_by_its_app():
    codes = {kind.code for kind in due_kinds()}
    assert {"agreement_review", "agreement_expiry", "agreement_notice", "public_health_report",
            "terms_review", "board_meeting"} <= codes


def test_agreement_dates_for_its_parties_only(world):
    items = _by_kind(due_items({world.council.pk}, today=TODAY))
    review, = items["agreement_review"]
    assert (review.due, review.agreement, review.url) == (date(2026, 11, 30), "RIVER-S75", "/agreements/RIVER-S75/")
    assert band(review, TODAY) == "overdue"
    assert items["agreement_expiry"][0].due == date(2027, 9, 30)
    notice, = items["agreement_notice"]
    assert notice.due == date(2027, 3, 30) and "6 months before it expires on 30 September 2027" in notice.detail
    assert all(item.agreement != "HILL-S75" for item in sum(items.values(), []))
    outsider = due_items({world.outsider.pk}, today=TODAY)
    assert {item.agreement for item in outsider} == {"HILL-S75"}


def test_an_ended_agreement_has_nothing_due(world):
    world.agreement.status = "terminated"
    world.agreement.save()
    assert not [item for item in due_items({world.council.pk}, today=TODAY) if item.agreement == "RIVER-S75"]


def test_meetings_follow_the_pattern_with_single_meetings_moved_or_cancelled(world):
    meetings = [i.due for i in due_items({world.ccg.pk}, today=TODAY, until=date(2027, 7, 31)) if i.kind == "board_meeting"]
    # every other month from 14 January 2026; January 2027 moved to the 21st, March 2027 cancelled
    assert meetings == [date(2027, 1, 21), date(2027, 5, 14), date(2027, 7, 14)]
    assert not [i for i in due_items({world.outsider.pk}, today=TODAY) if i.kind == "board_meeting"]


def test_a_meeting_change_must_be_a_date_the_pattern_gives(world):
    with pytest.raises(ValidationError) as error:
        meeting_schedule_set(board=world.board, first_meeting=date(2026, 1, 14), every_months=2,
                             changes=[(date(2027, 2, 14), None)])
    assert "Change 1: the board does not meet on 14 February 2027 in this pattern." in error.value.messages
    # nothing changed: the cancelled March meeting is still cancelled, January still moved
    assert {(c.scheduled_for, c.moved_to) for c in world.board.meeting_schedule.changes.all()} == {
        (date(2027, 1, 14), date(2027, 1, 21)), (date(2027, 3, 14), None)}


def test_ring_fenced_public_health_reports_are_due_twenty_working_days_after_each_quarter(world):
    schedule = make_schedule(agreement=world.agreement)
    BudgetLine.objects.create(schedule=schedule, service="Sexual health", partner=world.council, financial_year=2026,
                              budget_type="pooled", amount="1000.00", status="confirmed", ring_fenced_public_health=True)
    reports = [i for i in due_items({world.ccg.pk}, today=TODAY) if i.kind == "public_health_report"]
    # Q2 2026/27 (due 28 October) is past; Q3 ends 31 December: 20 working days on, with the bank holidays, is 29 January
    assert [(r.due, r.title.split(":")[0]) for r in reports] == [
        (date(2027, 1, 29), "Ring-fenced public health report, Q3 2026/27"),
        (date(2027, 4, 28), "Ring-fenced public health report, Q4 2026/27"),  # Easter is in March in 2027
    ]
    assert reports[0].url == f"/agreements/RIVER-S75/schedules/{schedule.number}/budgets/reports/"
