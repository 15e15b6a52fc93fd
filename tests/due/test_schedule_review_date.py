"""A schedule's review date: typed in the GOV.UK date input on the schedule's edit page, kept in its
history like every other field, shown on its page and in its PDF, and listed as due."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client

from agreements.models import Schedule
from agreements.presenters import present_schedule
from agreements.snapshots import schedule_snapshot_by_id
from documents.revisions import latest_revision
from governance.demo import load_demo_data
from partnerships.due import due_items
from tests.agreements.conftest import HARINGEY
from tests.agreements.test_pages import SCHEDULE_EDIT_URL, SCHEDULE_URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner(db) -> Client:
    """Haringey's commissioner, signed in, with the demo's Haringey agreement (schedule 6 has no review date)."""
    load_demo_data()
    client = Client()
    client.force_login(get_user_model().objects.get(username="haringey-commissioner"))
    return client


def _schedule() -> Schedule:
    return Schedule.objects.get(agreement__reference=HARINGEY, number=6)


def _save(client, **parts) -> object:
    data = form_data(client.get(SCHEDULE_EDIT_URL))
    data.update(parts)
    data["reason"] = "Review date agreed"
    return client.post(SCHEDULE_EDIT_URL, data)


def test_the_edit_page_asks_for_the_review_date_in_the_govuk_date_input(commissioner):
    page = commissioner.get(SCHEDULE_EDIT_URL).content.decode()
    for part in ("day", "month", "year"):
        assert f'name="review_due_{part}"' in page
    assert 'type="date"' not in page.split('id="id_review_due"')[1].split("</fieldset>")[0]
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Review date</legend>' in page


def test_a_review_date_is_saved_versioned_shown_and_due(commissioner):
    client = commissioner
    before = latest_revision(_schedule())
    response = _save(client, review_due_day="31", review_due_month="March", review_due_year="2027")
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = _schedule()
    assert schedule.review_due == date(2027, 3, 31)
    revision = latest_revision(schedule)
    assert revision != before and revision.snapshot["fields"]["review_due"] == "2027-03-31"
    assert present_schedule(revision.snapshot)["review_due"] == date(2027, 3, 31)
    page = client.get(SCHEDULE_URL).content.decode()
    assert 'data-testid="schedule-review-due">31 March 2027<' in page
    # the edit page shows it back as typed boxes, and saving unchanged keeps it (no new revision)
    again = form_data(client.get(SCHEDULE_EDIT_URL))
    assert (again["review_due_day"], again["review_due_month"], again["review_due_year"]) == ("31", "3", "2027")
    unchanged = _save(client)
    assert unchanged.status_code == 200 and "No changes to save" in unchanged.content.decode()
    assert latest_revision(_schedule()) == revision and _schedule().review_due == date(2027, 3, 31)
    item, = [i for i in due_items({schedule.agreement.parties.first().partner_id}, today=date(2027, 1, 4))
             if i.kind == "schedule_review"]
    assert (item.due, item.url) == (date(2027, 3, 31), SCHEDULE_URL)


def test_older_revisions_without_the_field_still_present():
    snapshot_fields = {"number": 6, "title": "T", "status": "in_force", "service_name": "S", "agreement_type": "A",
                       "service_type": "", "delegated_function": "", "services": "", "eligibility": "", "resources": ""}
    doc = present_schedule({"id": 1, "agreement": {}, "fields": snapshot_fields, "aims": [], "outcomes": [],
                            "strategy_documents": [], "kpis": [], "risks": [], "specification": [], "budget_lines": []})
    assert doc["review_due"] is None


@pytest.mark.parametrize(("parts", "message"), [
    ({"review_due_day": "31", "review_due_month": "2", "review_due_year": "2027"},
     "The review date must be a real date, for example 14 1 2027"),
    ({"review_due_day": "1", "review_due_month": "", "review_due_year": "2027"}, "The review date must include a month"),
    ({"review_due_day": "1", "review_due_month": "4", "review_due_year": "27"},
     "The year of the review date must include 4 numbers"),
])
def test_a_bad_review_date_is_named_and_nothing_is_written(commissioner, parts, message):
    client = commissioner
    before = latest_revision(_schedule())
    response = _save(client, **parts)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'href="#id_review_due_0"' in page  # the error summary links to the day box
    assert _schedule().review_due is None and latest_revision(_schedule()) == before


def test_clearing_the_review_date_removes_it(commissioner):
    client = commissioner
    _save(client, review_due_day="1", review_due_month="4", review_due_year="2027")
    assert _save(client, review_due_day="", review_due_month="", review_due_year="").status_code == 302
    assert _schedule().review_due is None
    assert 'data-testid="schedule-review-due"' not in client.get(SCHEDULE_URL).content.decode()


def test_the_schedule_pdf_prints_the_review_date(commissioner):
    Schedule.objects.filter(pk=_schedule().pk).update(review_due=date(2027, 3, 31))
    part = {"schedule": present_schedule(schedule_snapshot_by_id(_schedule().pk)), "h1": "h1", "anchor": "s6", "footer": "",
            "draft": False}
    html = render_to_string("agreements/pdf/_schedule.html", {"part": part})
    assert '<tr><th scope="row">Review date</th><td>31 March 2027</td></tr>' in html
