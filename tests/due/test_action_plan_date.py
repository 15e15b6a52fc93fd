"""The action plan's due date in the GOV.UK date input: typed as day, month and year, each mistake
named, nothing written until it is a real date; the plan is then due on the What's due page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from budgets.monitoring.models import ActionPlan
from partnerships.due import due_items
from tests.monitoring.test_pages import REF, _client, _line, demo  # noqa: F401 (demo is a fixture)

pytestmark = pytest.mark.django_db


def _post(schedule, **due):
    ActionPlan.objects.all().delete()  # the demo's plan for health visiting: these tests open their own
    line = _line(schedule, "Health visiting")
    url = reverse("budgets:action_plan_new", args=[REF, 6, 2018, 6, line.pk])
    client = _client("haringey-finance")
    page = client.get(url).content.decode()
    assert 'name="due_day"' in page and 'name="due_month"' in page and 'name="due_year"' in page
    assert 'type="date"' not in page
    return client.post(url, {"owner": "Head of Commissioning", "actions": "Recruit to vacancies",
                             "target_saving": "120000", **due})


@pytest.mark.parametrize(("due", "message"), [
    ({}, "Enter the due date"),
    ({"due_day": "30", "due_month": "2", "due_year": "2019"}, "The due date must be a real date, for example 14 1 2027"),
    ({"due_day": "", "due_month": "3", "due_year": "2019"}, "The due date must include a day"),
    ({"due_day": "31", "due_month": "3", "due_year": "19"}, "The year of the due date must include 4 numbers"),
])
def test_a_bad_due_date_is_named_and_no_plan_is_opened(demo, due, message):  # noqa: F811
    response = _post(demo, **due)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'href="#id_due_0"' in page and "govuk-date-input" in page
    assert not ActionPlan.objects.exists()


def test_a_due_date_typed_in_boxes_opens_the_plan_and_it_is_due(demo):  # noqa: F811
    response = _post(demo, due_day="31", due_month="Mar", due_year="2019")
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    assert plan.due == date(2019, 3, 31)
    party = demo.agreement.parties.first().partner_id
    item, = [i for i in due_items({party}, today=date(2019, 3, 1)) if i.kind == "action_plan"]
    assert (item.due, item.url) == (date(2019, 3, 31), response["Location"])
