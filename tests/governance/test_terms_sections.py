"""A board's terms of reference changed one part at a time, from the "Change" links on the terms page."""

from __future__ import annotations

import pytest

from documents.revisions import latest_revision, revisions_of
from documents.sections import count_fields
from governance.models import TermsOfReference
from governance.sections import TERMS_SECTIONS
from tests.agreements.test_pages import form_data, text_of
from tests.governance.test_pages import members_of, urls

pytestmark = pytest.mark.django_db

MOST_FIELDS_PER_SECTION = 60


def section_url(board, slug: str) -> str:
    return f"{urls(board)['terms']}edit/{slug}/"


def save(client, url: str, changes: dict[str, str], reason: str = "Agreed at the board"):
    data = {**form_data(client.get(url)), **changes, "reason": reason, "action": "save"}
    return client.post(url, data)


def test_the_terms_page_links_every_part_to_its_page(client_for, chjcb):
    html = client_for("cambridgeshire-commissioner").get(urls(chjcb)["terms"]).content.decode()
    for section in TERMS_SECTIONS:
        assert f'href="{section_url(chjcb, section.slug)}"' in html, section.slug
    assert "Edit all the terms" in html


@pytest.mark.parametrize("slug", [s.slug for s in TERMS_SECTIONS])
def test_each_part_page_is_short_and_an_untouched_save_records_nothing(client_for, chjcb, slug):
    client = client_for("cambridgeshire-commissioner")
    terms = TermsOfReference.objects.get(board=chjcb)
    before = revisions_of(terms).count()
    page = client.get(section_url(chjcb, slug))
    assert page.status_code == 200
    assert 0 < count_fields(page.content.decode()) <= MOST_FIELDS_PER_SECTION
    response = save(client, section_url(chjcb, slug), {})
    assert response.status_code == 200 and "No changes to save" in text_of(response)
    assert revisions_of(terms).count() == before


def test_adding_a_member_on_the_members_page_keeps_the_duties(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    terms = TermsOfReference.objects.get(board=chjcb)
    before = latest_revision(terms).snapshot
    url = section_url(chjcb, "members")
    data = form_data(client.get(url))
    index = int(data["members-count"])
    data.update({
        "members-count": str(index + 1), f"members-{index}-role": "Healthwatch representative",
        f"members-{index}-organisation_id": "", f"members-{index}-organisation_name": "Healthwatch Cambridgeshire",
        f"members-{index}-substitute": "", "reason": "Healthwatch joins the board", "action": "save",
    })
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == urls(chjcb)["terms"]
    after = latest_revision(terms).snapshot
    assert after["duties"] == before["duties"] and after["fields"] == before["fields"]
    page = client.get(urls(chjcb)["terms"])
    assert "Members: 1 added" in text_of(page)
    assert any("Healthwatch representative" in row and "Non-voting" in row for row in members_of(page))


def test_the_review_date_is_typed_in_the_govuk_date_input(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    url = section_url(chjcb, "review")
    html = client.get(url).content.decode()
    assert 'name="review_due_day"' in html and 'type="date"' not in html
    response = save(client, url, {"review_due_day": "30", "review_due_month": "6", "review_due_year": "2027"})
    assert response.status_code == 302
    assert latest_revision(TermsOfReference.objects.get(board=chjcb)).snapshot["fields"]["review_due"] == "2027-06-30"
    refused = save(client, url, {"review_due_day": "31", "review_due_month": "6", "review_due_year": "2027"})
    assert refused.status_code == 400
    assert "The next review date must be a real date" in text_of(refused)


def test_viewers_and_outsiders_cannot_reach_the_part_pages(client_for, chjcb):
    assert client_for("cambridgeshire-viewer").get(section_url(chjcb, "duties")).status_code == 403
    assert client_for("haringey-commissioner").get(section_url(chjcb, "duties")).status_code == 404
    assert 'data-testid="change-' not in client_for("cambridgeshire-viewer").get(urls(chjcb)["terms"]).content.decode()
