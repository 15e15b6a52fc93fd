"""Boards and terms of reference through the Django test client."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from documents.revisions import revisions_of, versions_of
from governance.models import Board, TermsOfReference
from tests.agreements.test_pages import form_data, text_of
from tests.governance.conftest import CHJCB, PROGRAMME_BOARD

pytestmark = pytest.mark.django_db

EXPECTED_DUTIES = [f"2.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15)]


def urls(board) -> dict[str, str]:
    base = f"/boards/{board.pk}/"
    return {"board": base, "terms": f"{base}terms/", "edit": f"{base}terms/edit/", "history": f"{base}terms/history/"}


def members_of(response) -> list[str]:
    html = response.content.decode()
    table = re.search(r'<table class="govuk-table" data-testid="members">(.*?)</table>', html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r'<tr class="govuk-table__row" data-testid="member">(.*?)</tr>', table, re.S)
    ]


def part(response, testid: str) -> str:
    """The unescaped HTML inside the element marked data-testid=... (up to its </dd>)."""
    return unescape(re.search(rf'data-testid="{testid}">(.*?)</dd>', response.content.decode(), re.S).group(1))


def edit_form(client, board) -> dict[str, str]:
    response = client.get(urls(board)["edit"])
    assert response.status_code == 200
    return form_data(response)


def add_member(data: dict[str, str], role: str, substitute: str = "") -> dict[str, str]:
    index = int(data["members-count"])
    data = {**data, "members-count": str(index + 1), f"members-{index}-role": role,
            f"members-{index}-organisation_id": "", f"members-{index}-organisation_name": "Healthwatch Cambridgeshire",
            f"members-{index}-substitute": substitute}
    data[f"members-{index}-voting"] = "on"
    return data


# ----------------------------------------------------------------------------- the terms page


def test_terms_page_shows_every_section_as_in_the_seed(client_for, chjcb):
    response = client_for("cambridgeshire-commissioner").get(urls(chjcb)["terms"])
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)

    duties = re.search(r'data-testid="labelled-2">(.*?)</dl>', html, re.S).group(1)
    labels = re.findall(r'data-testid="item-label">([^<]*)<', duties)
    assert labels == EXPECTED_DUTIES
    assert "2.10" not in labels

    assert len(members_of(response)) == 10
    assert members_of(response)[0].startswith("Children's Lead Member Cambridgeshire County Council Voting")
    assert "5.1. The Chair To be confirmed" in text
    assert "The CCHJB will meet every other month." in text

    headings = re.findall(r'<h2 class="govuk-heading-m" id="terms-section-\d+">([^<]*)</h2>', html)
    assert headings == [
        "1. Purpose and Remit", "2. Objectives/Tasks and Duties", "3. Accountability", "4. Financial Governance",
        "5. Members", "6. Link with Local Commissioning Groups", "7. Frequency of meetings",
        "8. Resources Implications", "9. What will be included within the remit of Joint Commissioning",
        "10. What will not be included under the Joint Commissioning remit",
    ]
    assert re.search(r"Reports to: Cambridgeshire and Peterborough CCG Children's Programme Board ?\. Frequency: regular reports", text)
    assert "4.3 Where public health ring fenced funding" in text
    assert "Children's acute and maternity services" in text
    assert "Review date: 15 January 2027" in text
    assert "Version 1 approved by Cambridgeshire County Council Cabinet on 15 April 2014 (reference 2014/018)" in text
    # Resources keep their sub-headings and lettered list.
    assert "8.2 Human Resources" in text and "a) The required clinical governance" in text


# ----------------------------------------------------------------------------- editing, history, versions


def test_editing_quorum_and_adding_a_member_is_one_history_entry_showing_exactly_that(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    terms = TermsOfReference.objects.get(board=chjcb)
    before = revisions_of(terms).count()
    data = add_member(edit_form(client, chjcb), "Healthwatch representative", substitute="Deputy chief executive")
    data.update({"quorum": "Four members, including one from each partner", "reason": "Annual review 2026"})

    response = client.post(urls(chjcb)["edit"], data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == urls(chjcb)["terms"]
    assert revisions_of(terms).count() == before + 1
    latest = revisions_of(terms).first()
    assert latest.reason == "Annual review 2026"

    page = client.get(urls(chjcb)["terms"])
    assert len(members_of(page)) == 11
    assert members_of(page)[-1] == "Healthwatch representative Healthwatch Cambridgeshire Voting Deputy chief executive"
    assert "5.2. Quorum Four members, including one from each partner" in text_of(page)

    history = client.get(urls(chjcb)["history"])
    assert history.status_code == 200
    entries = re.findall(r'<section class="s75-item-row"[^>]*data-testid="history-entry">(.*?)</section>',
                         history.content.decode(), re.S)
    assert len(entries) == before + 1
    newest = entries[0]
    assert "Annual review 2026" in newest
    fields = re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', newest)
    assert fields == ["Quorum"]
    assert "Four members, including one from each partner" in newest
    assert re.findall(r'data-testid="change-(\w+)"', newest) == ["added"]
    assert "Healthwatch representative" in newest


def test_an_approved_version_is_immutable(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    data = add_member(edit_form(client, chjcb), "Healthwatch representative")
    data.update({"quorum": "Four members", "reason": "Annual review 2026"})
    assert client.post(urls(chjcb)["edit"], data).status_code == 302

    version_1 = client.get(f"/boards/{chjcb.pk}/terms/versions/1/")
    assert version_1.status_code == 200
    text = text_of(version_1)
    assert "Version 1, exactly as approved" in text
    assert "Four members" not in text and "Quorum" not in text
    assert len(members_of(version_1)) == 10
    assert "Healthwatch representative" not in text

    current = client.get(urls(chjcb)["terms"])
    assert "Draft changes since version 1, not approved yet" in text_of(current)
    assert len(members_of(current)) == 11


def test_add_remove_and_move_buttons_keep_labels_as_typed(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    data = edit_form(client, chjcb)
    response = client.post(urls(chjcb)["edit"], {**data, "action": "add:duties"})
    assert response.status_code == 200
    data = form_data(response)
    assert data["duties-count"] == "15"
    data.update({"duties-14-label": "2.16", "duties-14-text": "Review these terms every year"})
    data = form_data(client.post(urls(chjcb)["edit"], {**data, "action": "up:duties:14"}))
    assert data["duties-13-label"] == "2.16" and data["duties-14-label"] == "2.15"
    data = form_data(client.post(urls(chjcb)["edit"], {**data, "action": "remove:duties:0"}))
    data["reason"] = "Duties reviewed"
    assert client.post(urls(chjcb)["edit"], data).status_code == 302
    labels = list(TermsOfReference.objects.get(board=chjcb).duties.values_list("label", flat=True))
    assert labels == [*EXPECTED_DUTIES[1:-1], "2.16", "2.15"]


def test_a_reason_is_required_and_the_input_is_kept(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    data = {**edit_form(client, chjcb), "quorum": "Five members", "reason": ""}
    response = client.post(urls(chjcb)["edit"], data)
    assert response.status_code == 400
    assert "Enter the reason for this change" in text_of(response)
    assert "Five members" in response.content.decode()
    assert TermsOfReference.objects.get(board=chjcb).quorum == ""


def test_a_conflicting_save_is_refused_and_the_input_kept(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    stale = edit_form(client, chjcb)
    first = {**stale, "quorum": "Three members", "reason": "First"}
    assert client.post(urls(chjcb)["edit"], first).status_code == 302
    response = client.post(urls(chjcb)["edit"], {**stale, "quorum": "Six members", "reason": "Second"})
    assert response.status_code == 409
    assert "Your changes were not saved" in text_of(response)
    assert "Six members" in response.content.decode()
    assert TermsOfReference.objects.get(board=chjcb).quorum == "Three members"


def test_a_member_with_a_partner_and_a_typed_organisation_is_refused_with_a_message(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    data = edit_form(client, chjcb)
    data.update({"members-0-organisation_name": "Somewhere else", "reason": "Test"})
    response = client.post(urls(chjcb)["edit"], data)
    assert response.status_code == 400
    assert "Member 1: Choose a partner or type an organisation's name, not both." in text_of(response)


def test_legal_officer_approves_and_can_restore(client_for, chjcb):
    commissioner = client_for("cambridgeshire-commissioner")
    data = {**edit_form(commissioner, chjcb), "quorum": "Four members", "reason": "Annual review 2026"}
    assert commissioner.post(urls(chjcb)["edit"], data).status_code == 302

    legal = client_for("cambridgeshire-legal")
    page = legal.get(urls(chjcb)["terms"])
    assert "Record approval of this version" in text_of(page)
    response = legal.post(f"/boards/{chjcb.pk}/terms/approve/", {
        "decision-body": "Cambridgeshire Children's Health Joint Commissioning Board",
        "choose-source": "new", "decision-decided_on_day": "20", "decision-decided_on_month": "11",
        "decision-decided_on_year": "2026", "decision-reference": "CHJCB/2026/11",
        "revision": revisions_of(TermsOfReference.objects.get(board=chjcb)).first().pk,
    })
    assert response.status_code == 302, text_of(response)[:1500]
    terms = TermsOfReference.objects.get(board=chjcb)
    version = versions_of(terms).first()
    assert version.number == 2 and version.decision.reference == "CHJCB/2026/11"
    assert version.agreed_by.username == "cambridgeshire-legal"
    text = text_of(legal.get(urls(chjcb)["terms"]))
    assert "Version 2 approved by Cambridgeshire Children's Health Joint Commissioning Board on 20 November 2026" in text

    first = revisions_of(terms).last()
    response = legal.post(f"/boards/{chjcb.pk}/terms/restore/{first.pk}/", {"reason": "Back to the 2014 terms",
                                                                             "revision": revisions_of(terms).first().pk})
    assert response.status_code == 302
    terms.refresh_from_db()
    assert terms.quorum == ""


def test_viewer_and_legal_officer_may_not_edit(client_for, chjcb):
    for username in ("cambridgeshire-viewer", "cambridgeshire-legal"):
        client = client_for(username)
        for url in (urls(chjcb)["edit"], f"/boards/{chjcb.pk}/edit/"):
            assert client.get(url).status_code == 403
            assert client.post(url, {"reason": "x"}).status_code == 403
        assert client.get(urls(chjcb)["terms"]).status_code == 200
    viewer = client_for("cambridgeshire-viewer")
    assert viewer.get(f"/boards/{chjcb.pk}/terms/approve/").status_code == 403
    assert "Edit all the terms" not in text_of(viewer.get(urls(chjcb)["terms"]))


def test_outsiders_get_404(client_for, chjcb):
    terms = TermsOfReference.objects.get(board=chjcb)
    revision = revisions_of(terms).first()
    pages = [
        f"/boards/{chjcb.pk}/", f"/boards/{chjcb.pk}/edit/", *urls(chjcb).values(),
        f"/boards/{chjcb.pk}/terms/compare/", f"/boards/{chjcb.pk}/terms/versions/1/",
        f"/boards/{chjcb.pk}/terms/as-of/", f"/boards/{chjcb.pk}/terms/approve/",
        f"/boards/{chjcb.pk}/terms/restore/{revision.pk}/",
    ]
    for username in ("haringey-commissioner", "haringey-legal", "haringey-viewer"):
        client = client_for(username)
        for url in pages:
            assert client.get(url).status_code == 404, (username, url)
        assert CHJCB not in text_of(client.get("/boards/"))


# ----------------------------------------------------------------------------- boards


def test_board_page_shows_the_accountability_chain_agreements_and_terms(client_for, chjcb):
    response = client_for("cambridgeshire-commissioner").get(f"/boards/{chjcb.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    reports_to = part(response, "reports-to")
    assert PROGRAMME_BOARD in reports_to and "Children's Trust Board" in reports_to
    assert "Children and Young People Committee" in reports_to
    assert 'href="/agreements/CAMBS-CHJC-S75-2014/"' in html
    assert "Version 1 approved 15 April 2014" in text
    assert "15 January 2027" in text
    assert f'href="/boards/{chjcb.pk}/terms/"' in html


def test_the_reporting_board_lists_the_board_reporting_to_it(client_for, chjcb):
    admin = client_for("admin")
    programme = Board.objects.get(name=PROGRAMME_BOARD)
    response = admin.get(f"/boards/{chjcb.pk}/")
    reports_to = part(response, "reports-to")
    assert f'href="/boards/{programme.pk}/"' in reports_to
    response = admin.get(f"/boards/{programme.pk}/")
    assert response.status_code == 200
    reporting = part(response, "reporting-boards")
    assert f'href="/boards/{chjcb.pk}/"' in reporting and CHJCB in reporting
    trust = Board.objects.get(name="Children's Trust Board")
    reporting = part(admin.get(f"/boards/{trust.pk}/"), "reporting-boards")
    assert CHJCB in reporting, "the terms' reporting line 3.3 makes the CHJCB report to the Trust Board too"


def test_boards_list_shows_the_users_boards(client_for, chjcb):
    response = client_for("cambridgeshire-commissioner").get("/boards/")
    assert response.status_code == 200
    text = text_of(response)
    assert CHJCB in text and "CAMBS-CHJC-S75-2014" in text and "Approved" in text
    assert "Boards" in text


def test_commissioner_edits_the_board_with_a_reason(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    response = client.get(f"/boards/{chjcb.pk}/edit/")
    assert response.status_code == 200
    data = form_data(response)
    assert client.post(f"/boards/{chjcb.pk}/edit/", {**data, "short_name": "CCHJCB"}).status_code == 400
    response = client.post(f"/boards/{chjcb.pk}/edit/", {**data, "short_name": "CCHJCB", "reason": "As the terms call it"})
    assert response.status_code == 302
    chjcb.refresh_from_db()
    assert chjcb.short_name == "CCHJCB"
    assert chjcb.agreements.filter(reference="CAMBS-CHJC-S75-2014").exists()
    assert chjcb.history.first().history_change_reason == "As the terms call it"


def test_a_board_cannot_report_to_a_board_reporting_to_it(client_for, chjcb):
    programme = Board.objects.get(name=PROGRAMME_BOARD)
    admin = client_for("admin")
    data = form_data(admin.get(f"/boards/{programme.pk}/edit/"))
    response = admin.post(f"/boards/{programme.pk}/edit/", {**data, "reports_to": str(chjcb.pk), "reason": "Test"})
    assert response.status_code == 400
    assert "A board cannot report to itself, directly or through other boards." in text_of(response)


# ----------------------------------------------------------------------------- home page


def test_home_shows_terms_due_for_review_to_cambridgeshire_users(client_for, chjcb):
    TermsOfReference.objects.filter(board=chjcb).update(review_due=date.today() + timedelta(days=30))
    response = client_for("cambridgeshire-commissioner").get("/")
    assert response.status_code == 200
    assert f'href="/boards/{chjcb.pk}/"' in response.content.decode()
    assert (date.today() + timedelta(days=30)).strftime("%-d %B %Y") in text_of(response)
    assert f'href="/boards/{chjcb.pk}/"' not in client_for("haringey-commissioner").get("/").content.decode()
    board_page = text_of(client_for("cambridgeshire-commissioner").get(f"/boards/{chjcb.pk}/"))
    assert "Review due within 90 days" in board_page
