"""Editing a schedule or an agreement one section at a time, from the "Change" links on its page."""

from __future__ import annotations

import re

import pytest

from agreements.models import Agreement
from agreements.sections import AGREEMENT_SECTIONS, SCHEDULE_SECTIONS
from documents.revisions import latest_revision, revisions_of
from documents.sections import count_fields
from tests.agreements.conftest import HARINGEY
from tests.agreements.test_pages import schedule_6, text_of
from tests.html_forms import form_data

SCHEDULE_URL = f"/agreements/{HARINGEY}/schedules/6/"
AGREEMENT_URL = f"/agreements/{HARINGEY}/"
# A page of about three screens at 1280 px holds a few dozen fields; the whole-schedule editor
# for Schedule 6 holds hundreds.
MOST_FIELDS_PER_SECTION = 60

pytestmark = pytest.mark.django_db


def section_url(slug: str) -> str:
    return f"{SCHEDULE_URL}edit/{slug}/"


def post_section(client, url: str, changes: dict[str, str], reason: str = "Checked by the board"):
    page = client.get(url)
    assert page.status_code == 200
    data = {**form_data(page), **changes, "reason": reason, "action": "save"}
    return client.post(url, data)


def test_the_schedule_page_offers_a_change_link_for_every_section(client_for):
    html = client_for("haringey-commissioner").get(SCHEDULE_URL).content.decode()
    for section in SCHEDULE_SECTIONS:
        assert f'href="{section_url(section.slug)}"' in html, section.slug
    assert "Edit the whole schedule" in html


@pytest.mark.parametrize("section", [s.slug for s in SCHEDULE_SECTIONS])
def test_each_schedule_section_page_is_short_and_saving_it_untouched_records_nothing(client_for, section):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    before = revisions_of(schedule).count()
    page = client.get(section_url(section))
    assert page.status_code == 200
    assert 0 < count_fields(page.content.decode()) <= MOST_FIELDS_PER_SECTION
    response = post_section(client, section_url(section), {})
    assert response.status_code == 200
    assert "No changes to save" in text_of(response)
    assert revisions_of(schedule).count() == before


def test_the_whole_schedule_editor_is_what_sections_replace(client_for):
    """The measure the section pages are held to: Schedule 6's whole editor is many screens of fields."""
    html = client_for("haringey-commissioner").get(f"{SCHEDULE_URL}edit/").content.decode()
    assert count_fields(html) > 3 * MOST_FIELDS_PER_SECTION


def test_changing_an_aim_saves_one_revision_and_names_the_change(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    old_title = schedule.title
    before = revisions_of(schedule).count()
    response = post_section(client, section_url("aims"), {"aims-0-text": "Children get help early."}, "Aim 1 reworded")
    assert response.status_code == 302 and response["Location"] == SCHEDULE_URL
    assert revisions_of(schedule).count() == before + 1
    revision = latest_revision(schedule)
    assert revision.reason == "Aim 1 reworded"
    assert revision.snapshot["aims"][0]["text"] == "Children get help early."
    schedule.refresh_from_db()
    assert schedule.title == old_title
    page = client.get(SCHEDULE_URL)
    banner = text_of(page)
    assert "Schedule 6 saved. Aims: 1 changed. The change is in the history." in banner
    assert "Children get help early." in banner


def test_a_section_save_leaves_every_other_part_of_the_schedule_alone(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    before = latest_revision(schedule).snapshot
    response = post_section(client, section_url("eligibility"), {"eligibility": "Any child living in Haringey."})
    assert response.status_code == 302
    after = latest_revision(schedule).snapshot
    assert after["fields"]["eligibility"] == "Any child living in Haringey."
    for key in ("aims", "outcomes", "kpis", "risks", "specification", "budget_lines"):
        assert after[key] == before[key], key
    assert {k: v for k, v in after["fields"].items() if k != "eligibility"} == {
        k: v for k, v in before["fields"].items() if k != "eligibility"
    }


def test_details_section_keeps_its_own_rules_and_names_the_field(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    before = revisions_of(schedule).count()
    page = client.get(section_url("details"))
    data = {k: v for k, v in form_data(page).items() if k not in {
        "pooled_fund", "lead_commissioning", "integrated_provision", "aligned_budgets"}}
    response = client.post(section_url("details"), {**data, "title": "", "reason": "Tidy", "action": "save"})
    assert response.status_code == 400
    text = text_of(response)
    assert "Choose at least one type of arrangement" in text
    assert 'href="#id_title"' in response.content.decode()
    assert revisions_of(schedule).count() == before


def test_details_section_reads_the_review_date_as_typed(client_for):
    client = client_for("haringey-commissioner")
    response = post_section(client, section_url("details"), {
        "review_due_day": "31", "review_due_month": "March", "review_due_year": "2027",
    }, "Review date agreed")
    assert response.status_code == 302
    assert latest_revision(schedule_6()).snapshot["fields"]["review_due"] == "2027-03-31"


def test_a_section_save_after_someone_else_saved_is_refused(client_for):
    first, second = client_for("haringey-commissioner"), client_for("haringey-commissioner")
    stale = form_data(second.get(section_url("kpis")))
    assert post_section(first, section_url("aims"), {"aims-0-text": "Saved first."}).status_code == 302
    response = second.post(section_url("kpis"), {**stale, "kpis-0-text": "Saved second.", "reason": "Late",
                                                  "action": "save"})
    assert response.status_code == 409
    assert "Saved second." not in str(latest_revision(schedule_6()).snapshot["kpis"])


def test_adding_an_item_redraws_the_section_page_with_what_was_typed(client_for):
    client = client_for("haringey-commissioner")
    page = client.get(section_url("risks"))
    data = form_data(page)
    count = int(data["risks-count"])
    response = client.post(section_url("risks"), {**data, "risks-0-risk": "Typed, not saved", "action": "add:risks"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="risks-count" value="{count + 1}"' in html
    assert "Typed, not saved" in html


@pytest.mark.parametrize("username", ["haringey-viewer", "haringey-legal", "haringey-finance"])
def test_only_editors_reach_section_pages(client_for, username):
    client = client_for(username)
    assert client.get(section_url("aims")).status_code == 403
    html = client.get(SCHEDULE_URL).content.decode()
    # A finance officer changes budget lines (the budget table) and nothing else.
    assert not re.search(r'data-testid="change-(?!budget-lines)', html)
    assert ('data-testid="change-budget-lines"' in html) == (username == "haringey-finance")


def test_outsiders_and_unknown_sections_get_not_found(client_for):
    assert client_for("cambridgeshire-commissioner").get(section_url("aims")).status_code == 404
    assert client_for("haringey-commissioner").get(section_url("no-such-part")).status_code == 404


# ----------------------------------------------------------------------------- agreements


def agreement_section_url(slug: str) -> str:
    return f"{AGREEMENT_URL}edit/{slug}/"


def test_the_agreement_page_offers_a_change_link_for_every_section(client_for):
    html = client_for("haringey-commissioner").get(AGREEMENT_URL).content.decode()
    for section in AGREEMENT_SECTIONS:
        assert f'href="{agreement_section_url(section.slug)}"' in html, section.slug


def test_agreement_dates_use_the_govuk_date_input_and_survive_a_title_change(client_for):
    client = client_for("haringey-commissioner")
    agreement = Agreement.objects.get(reference=HARINGEY)
    dates = (agreement.dated, agreement.effective_from, agreement.review_due)
    page = client.get(agreement_section_url("details"))
    html = page.content.decode()
    assert 'type="date"' not in html
    assert re.search(rf'name="effective_from_day"[^>]*value="{agreement.effective_from.day}"', html)
    response = post_section(client, agreement_section_url("details"), {"title": agreement.title + " (as varied)"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title.endswith("(as varied)")
    assert (agreement.dated, agreement.effective_from, agreement.review_due) == dates
    assert "Title changed" in text_of(client.get(AGREEMENT_URL))


def test_an_impossible_agreement_date_is_refused_with_its_name(client_for):
    client = client_for("haringey-commissioner")
    agreement = Agreement.objects.get(reference=HARINGEY)
    before = revisions_of(agreement).count()
    response = post_section(client, agreement_section_url("details"), {
        "expires_day": "31", "expires_month": "2", "expires_year": "2030"})
    assert response.status_code == 400
    assert "The expiry date must be a real date" in text_of(response)
    assert revisions_of(agreement).count() == before


def test_agreement_parties_section_saves_only_the_parties(client_for):
    client = client_for("haringey-commissioner")
    agreement = Agreement.objects.get(reference=HARINGEY)
    before = latest_revision(agreement).snapshot
    assert before["parties"][0]["role"] != "lead_commissioner"
    page = client.get(agreement_section_url("parties"))
    assert count_fields(page.content.decode()) <= MOST_FIELDS_PER_SECTION
    response = post_section(client, agreement_section_url("parties"), {"parties-0-role": "lead_commissioner"},
                            "The council leads commissioning")
    assert response.status_code == 302
    after = latest_revision(agreement).snapshot
    assert after["parties"][0]["role"] == "lead_commissioner"
    assert after["clauses"] == before["clauses"] and after["fields"] == before["fields"]
    assert "Parties: 1 changed" in text_of(client.get(AGREEMENT_URL))
