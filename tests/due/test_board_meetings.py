"""A board's meetings page: the pattern and single meetings moved or cancelled, typed in the GOV.UK date input."""

from __future__ import annotations

from datetime import date

import pytest

from governance.models import MeetingSchedule
from tests.due.conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("governance.meeting_views.timezone.localdate", lambda: TODAY)


def _url(world) -> str:
    return f"/boards/{world.board.pk}/meetings/"


def test_everyone_who_sees_the_board_sees_its_coming_meetings(world):
    page = world.client("viewer").get(_url(world)).content.decode()
    assert "The board meets every other month, from 14 January 2026." in page
    assert "Thursday 21 January 2027" in page and "Sunday 14 March 2027" not in page
    assert "Move or cancel a meeting" not in page  # a viewer may not
    assert world.client("outsider").get(_url(world)).status_code == 404


def test_a_commissioner_moves_a_meeting_with_the_date_input(world):
    client = world.client("commissioner")
    response = client.post(_url(world), {"action": "change", "change-meeting": "2027-05-14",
                                         "change-moved_to_day": "20", "change-moved_to_month": "May",
                                         "change-moved_to_year": "2027"})
    assert response.status_code == 302
    changes = {c.scheduled_for: c.moved_to for c in MeetingSchedule.objects.get(board=world.board).changes.all()}
    assert changes[date(2027, 5, 14)] == date(2027, 5, 20)


@pytest.mark.parametrize(("parts", "message"), [
    (("", "", ""), "Enter the new date, or tick &#x27;Cancel this meeting&#x27;"),
    (("31", "2", "2027"), "The new date must be a real date, for example 14 1 2027"),
    (("20", "", "2027"), "The new date must include a month"),
    (("20", "5", "27"), "The year of the new date must include 4 numbers"),
])
def test_a_bad_date_is_named_and_changes_nothing(world, parts, message):
    before = list(MeetingSchedule.objects.get(board=world.board).changes.values_list("scheduled_for", "moved_to"))
    response = world.client("commissioner").post(_url(world), {
        "action": "change", "change-meeting": "2027-05-14", "change-moved_to_day": parts[0],
        "change-moved_to_month": parts[1], "change-moved_to_year": parts[2]})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert 'href="#id_change-moved_to_0"' in page  # the error summary links to the first box
    assert list(MeetingSchedule.objects.get(board=world.board).changes.values_list("scheduled_for", "moved_to")) == before


def test_changing_the_pattern_keeps_the_changes_it_still_gives(world):
    client = world.client("commissioner")
    response = client.post(_url(world), {"action": "pattern", "first_meeting_day": "14", "first_meeting_month": "1",
                                         "first_meeting_year": "2026", "every_months": "4"}, follow=True)
    assert "1 moved or cancelled meeting no longer in the pattern was removed." in response.content.decode()
    schedule = MeetingSchedule.objects.get(board=world.board)
    assert schedule.every_months == 4
    assert [(c.scheduled_for, c.moved_to) for c in schedule.changes.all()] == [(date(2027, 1, 14), date(2027, 1, 21))]


def test_undo_puts_a_meeting_back(world):
    world.client("commissioner").post(_url(world), {"action": "undo", "scheduled_for": "2027-03-14"})
    assert not MeetingSchedule.objects.get(board=world.board).changes.filter(scheduled_for=date(2027, 3, 14)).exists()


def test_a_viewer_may_not_change_meetings(world):
    assert world.client("viewer").post(_url(world), {"action": "undo", "scheduled_for": "2027-03-14"}).status_code == 403
