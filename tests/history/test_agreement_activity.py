"""The agreement's activity page (/agreements/<ref>/activity/, issue 14 item 6): every revision of the
agreement, its schedules and its managing boards' terms, newest first, filtered, each linking to its entry."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Schedule
from agreements.services.schedules import schedule_delete, schedule_update
from documents.history_views import ENTRIES_PER_PAGE
from documents.models import Revision
from governance.models import Board, TermsOfReference
from tests.factories import make_schedule
from tests.history.conftest import AGREEMENT_URL, HARINGEY, current_document

ACTIVITY_URL = f"{AGREEMENT_URL}activity/"

pytestmark = pytest.mark.django_db


def agreement_revisions(agreement: Agreement):
    """Every revision of the agreement, its schedules and its managing boards' terms, read independently of the page."""
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk,
    ) | Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(Schedule),
        object_id__in=Schedule.objects.filter(agreement=agreement).values("pk"),
    ) | Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(TermsOfReference),
        object_id__in=TermsOfReference.objects.filter(board__agreements=agreement).values("pk"),
    )


def rows(html: str) -> list[list[str]]:
    """Each entry's cells as text: when, who, document, kind, reason."""
    found = []
    for row in re.findall(r'<tr class="govuk-table__row" data-testid="activity-entry">(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)
        found.append([unescape(re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', "", c)).strip()
                      for c in cells])
    return found


def entry_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<td class="govuk-table__cell"><a class="govuk-link" href="([^"]+)"', html)]


def edit(schedule, user, reason, value):
    document = current_document(schedule)
    document["fields"]["pool_manager"] = value
    return schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason=reason, user=user)


def test_the_page_lists_every_revision_of_the_agreement_and_its_schedules_newest_first(schedule6, client_for, user):
    commissioner = user("haringey-commissioner")
    latest = edit(schedule6, commissioner, "Pool manager named", "Jo Bloggs")
    page = client_for("haringey-viewer").get(ACTIVITY_URL)
    assert page.status_code == 200
    html = page.content.decode()
    expected = list(agreement_revisions(schedule6.agreement).order_by("-created_at", "-id")[:ENTRIES_PER_PAGE])
    shown = rows(html)
    assert len(shown) == len(expected)
    assert [row[4] for row in shown] == [r.reason + (f" ({r.summary})" if r.summary else "") for r in expected]
    assert shown[0][1:] == [commissioner.get_full_name() or commissioner.username, "Schedule 6", "Edited",
                            "Pool manager named"]
    assert f'href="/agreements/{HARINGEY}/schedules/6/history/#entry-{latest.pk}"' in html
    # The demo's agreement, its schedules and the terms of the group that manages it (JCFMG).
    assert {"The agreement", "Schedule 1", "Schedule 6", "Terms of reference (JCFMG)"} <= {row[2] for row in shown}


def test_each_entry_links_to_its_entry_on_its_documents_history_page_even_past_the_first(schedule6, client_for, user):
    commissioner = user("haringey-commissioner")
    first = edit(schedule6, commissioner, "Edit 0", "Manager 0")
    for number in range(1, ENTRIES_PER_PAGE + 1):
        edit(schedule6, commissioner, f"Edit {number}", f"Manager {number}")
    client = client_for("haringey-legal")
    # Only Schedule 6's first edit: it is now on the second page of the schedule's history.
    html = client.get(ACTIVITY_URL, {"document": f"schedule-{schedule6.pk}", "page": 2}).content.decode()
    [link] = [href for href in entry_links(html) if href.endswith(f"#entry-{first.pk}")]
    assert link == f"/agreements/{HARINGEY}/schedules/6/history/?page=2#entry-{first.pk}"
    history = client.get(link.split("#")[0]).content.decode()
    assert f'id="entry-{first.pk}"' in history


def test_filters_by_document_user_and_kind(schedule6, client_for, user):
    commissioner, legal = user("haringey-commissioner"), user("haringey-legal")
    edit(schedule6, commissioner, "By the commissioner", "A")
    edit(schedule6, legal, "By the legal officer", "B")
    client = client_for("haringey-viewer")

    by_document = rows(client.get(ACTIVITY_URL, {"document": f"schedule-{schedule6.pk}"}).content.decode())
    assert by_document and {row[2] for row in by_document} == {"Schedule 6"}

    by_user = rows(client.get(ACTIVITY_URL, {"user": legal.pk}).content.decode())
    assert [row[4] for row in by_user] == ["By the legal officer"]

    edited = rows(client.get(ACTIVITY_URL, {"kind": "edited", "user": commissioner.pk}).content.decode())
    assert [row[4] for row in edited] == ["By the commissioner"]

    by_system = rows(client.get(ACTIVITY_URL, {"user": "system"}).content.decode())
    assert by_system and {row[1] for row in by_system} == {"The system"}


def test_a_value_not_in_a_filters_list_is_named_in_the_error(client_for):
    page = client_for("haringey-viewer").get(ACTIVITY_URL, {"kind": "shredded"})
    html = unescape(page.content.decode())
    assert "There is a problem" in html
    assert "Choose a kind of change from the list: “shredded” is not one of them" in html
    assert 'href="#id_kind"' in html


def test_the_filter_form_uses_gov_uk_selects_and_pagination_keeps_the_filters(schedule6, client_for, user):
    commissioner = user("haringey-commissioner")
    for number in range(ENTRIES_PER_PAGE + 1):
        edit(schedule6, commissioner, f"Edit {number}", f"Manager {number}")
    html = client_for("haringey-viewer").get(ACTIVITY_URL, {"user": commissioner.pk}).content.decode()
    for name in ("document", "user", "kind"):
        assert re.search(rf'<select name="{name}" class="govuk-select"', html), name
    assert 'class="govuk-pagination"' in html
    assert f'href="?user={commissioner.pk}&amp;page=2"' in html


def test_a_managing_boards_terms_are_in_the_activity(schedule6, client_for):
    board = Board.objects.select_related("terms").get(short_name="CHJCB")
    board.agreements.add(schedule6.agreement)
    client = client_for("haringey-viewer")
    html = client.get(ACTIVITY_URL, {"document": f"terms-{board.terms.pk}"}).content.decode()
    shown = rows(html)
    assert shown and {row[2] for row in shown} == {"Terms of reference (CHJCB)"}
    assert all(link.startswith(reverse("terms_history", args=[board.pk])) for link in entry_links(html))
    assert "Terms of reference (CHJCB)" in client.get(ACTIVITY_URL).content.decode()  # a document to filter by


def test_a_boards_terms_are_not_in_an_agreement_it_does_not_manage(client_for):
    html = client_for("haringey-viewer").get(ACTIVITY_URL).content.decode()
    assert "Terms of reference (JCFMG)" in html
    assert "CHJCB" not in html  # the Cambridgeshire board manages another agreement


def test_a_deleted_schedules_entries_stay_without_a_history_link(schedule6, client_for, user):
    commissioner = user("haringey-commissioner")
    added = make_schedule(agreement=schedule6.agreement, user=commissioner, reason="Added by mistake")
    number = added.number
    schedule_delete(schedule=added, user=commissioner, reason="Deleted: added by mistake")
    html = client_for("haringey-viewer").get(ACTIVITY_URL).content.decode()
    shown = rows(html)
    assert shown[0][2:] == [f"Schedule {number} (deleted)", "Deleted", "Deleted: added by mistake"]
    assert shown[1][2:] == [f"Schedule {number} (deleted)", "Created", "Added by mistake"]
    assert not any(f"/schedules/{number}/" in link for link in entry_links(html))


def test_the_number_of_queries_does_not_grow_with_the_entries(schedule6, client_for, user, django_assert_max_num_queries):
    client = client_for("haringey-viewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACTIVITY_URL).status_code == 200
        return len(captured)

    before = queries()
    commissioner = user("haringey-commissioner")
    other = Schedule.objects.filter(agreement=schedule6.agreement).exclude(pk=schedule6.pk).first()
    for number in range(ENTRIES_PER_PAGE):
        edit(schedule6 if number % 2 else other, commissioner, f"Edit {number}", f"Manager {number}")
    assert queries() == before
    with django_assert_max_num_queries(before):
        client.get(ACTIVITY_URL, {"document": f"schedule-{schedule6.pk}", "page": 2})


def test_the_agreement_page_and_its_history_link_to_the_activity(client_for):
    client = client_for("haringey-viewer")
    assert f'href="{ACTIVITY_URL}"' in client.get(AGREEMENT_URL).content.decode()
    assert f'href="{ACTIVITY_URL}"' in client.get(f"{AGREEMENT_URL}history/").content.decode()


def test_outsiders_get_404(client_for):
    assert client_for("cambridgeshire-commissioner").get(ACTIVITY_URL).status_code == 404
