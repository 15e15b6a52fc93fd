"""The private calendar feed, a single item's .ics and "Your settings"."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from icalendar import Calendar

from partnerships.models import UserSettings
from tests.due.conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("partnerships.due_views.timezone.localdate", lambda: TODAY)


def _feed_address(client) -> str:
    page = client.get("/account/").content.decode()
    start = page.index("http://testserver/calendar/")
    return page[start:page.index('"', start)].removeprefix("http://testserver")


def test_the_feed_is_a_calendar_of_the_users_items_without_signing_in(world):
    address = _feed_address(world.client("commissioner"))
    response = Client().get(address)
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    review = events["Agreement review: Review RIVER-S75: Riverside partnership"]
    assert review.decoded("dtstart") == date(2026, 11, 30) and review.decoded("dtend") == date(2026, 12, 1)
    assert str(review["url"]) == "http://testserver/agreements/RIVER-S75/"
    assert str(review["uid"]).endswith("@section75")
    assert "Board meeting: Riverside Joint Board meets" in events
    assert not [s for s in events if "HILL" in s]


def test_a_new_address_stops_the_old_one(world):
    client = world.client("commissioner")
    old = _feed_address(client)
    response = client.post("/account/calendar/new-address/")
    assert response.status_code == 302
    new = _feed_address(client)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_a_deactivated_users_feed_stops(world):
    address = _feed_address(world.client("commissioner"))
    world.users["commissioner"].is_active = False
    world.users["commissioner"].save()
    assert Client().get(address).status_code == 404


def test_a_single_item_downloads_as_ics_for_those_who_may_see_it(world):
    key = f"agreement-{world.agreement.pk}-review-2026-11-30"
    response = world.client("viewer").get(f"/due/{key}.ics")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Agreement review: Review RIVER-S75: Riverside partnership"]
    assert world.client("outsider").get(f"/due/{key}.ics").status_code == 404
    assert world.client("viewer").get("/due/agreement-0-review-2026-11-30.ics").status_code == 404


def test_digests_and_reminders_can_be_turned_off(world):
    client = world.client("viewer")
    assert client.post("/account/", {"item_reminders": "on"}).status_code == 302
    choice = UserSettings.objects.get(user=world.users["viewer"])
    assert (choice.weekly_digest, choice.item_reminders) == (False, True)
    page = client.get("/account/").content.decode()
    assert 'id="weekly_digest" name="weekly_digest" type="checkbox" aria-describedby="weekly_digest-hint">' in page
