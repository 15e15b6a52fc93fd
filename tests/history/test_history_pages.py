"""The history pages through the Django test client: who sees what, agree, restore, versions, as-of, queries."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Outcome
from agreements.services.agreements import agreement_update
from agreements.services.schedules import schedule_update
from agreements.services.variations import variation_propose
from documents.models import Decision, Revision, RevisionKind, Version
from documents.revisions import latest_version, revisions_of, versions_of
from tests.history.conftest import AGREEMENT_URL, SCHEDULE_URL, current_document

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HISTORY_URL = SCHEDULE_URL + "history/"
COMPARE_URL = SCHEDULE_URL + "compare/"
AS_OF_URL = SCHEDULE_URL + "as-of/"
# Agreements and schedules bind every party: a variation agrees them (the demo's variation 1 added Schedule 6).
DECIDE_URL = AGREEMENT_URL + "variations/1/decide/"
DECLINE_URL = AGREEMENT_URL + "variations/1/decline/"
VERSION_1_URL = SCHEDULE_URL + "versions/1/"
FORBIDDEN_TEXT = "Only legal officers can agree versions and restore earlier ones."
OLD_SERVICES_START = "Haringey CCG will commission on behalf of itself and the council"
NEW_SERVICES = (
    "Haringey CCG will commission on behalf of itself and the council a range of services and pathways "
    "to improve the health outcomes of 0-25 year olds with special educational needs and disabilities."
)


def text_of(response) -> str:
    """The page's text with tags removed and entities decoded (so "Children's" reads as written)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" ]", "]")


def edit(schedule, user, reason, **fields):
    document = current_document(schedule)
    document["fields"].update(fields)
    return schedule_update(schedule=schedule, document=document, expected_edit_count=None, user=user, reason=reason)


def back_date(revision, *args):
    Revision.objects.filter(pk=revision.pk).update(created_at=datetime(*args, tzinfo=LONDON))
    revision.refresh_from_db()
    return revision


@pytest.fixture
def edited(schedule6, user):
    """Schedule 6 with two commissioner edits after version 1 (the services text, then the pool manager)."""
    commissioner = user("haringey-commissioner")
    first = back_date(edit(schedule6, commissioner, "Age range widened to 25", services=NEW_SERVICES), 2020, 1, 1, 12)
    second = back_date(edit(schedule6, commissioner, "Pool manager named", pool_manager="Jo Bloggs"), 2021, 3, 2, 9, 30)
    return first, second


def all_history_urls(schedule6):
    revision = revisions_of(schedule6).first().pk
    return [
        HISTORY_URL, COMPARE_URL, VERSION_1_URL, AS_OF_URL + "?date=2019-01-01", DECIDE_URL,
        f"{SCHEDULE_URL}restore/{revision}/",
        AGREEMENT_URL + "history/", AGREEMENT_URL + "compare/", AGREEMENT_URL + "versions/1/",
        AGREEMENT_URL + "as-of/?date=2019-01-01", DECLINE_URL,
    ]


# ----------------------------------------------------------------------------- the history page


def test_history_lists_entries_newest_first_with_who_when_reason_and_diff(client_for, edited):
    response = client_for("haringey-viewer").get(HISTORY_URL)
    assert response.status_code == 200
    text = text_of(response)
    entries = text.split("Changes, newest first", 1)[1]
    second_at = entries.index("2 March 2021, 09:30 — Amina Okafor — Edited")
    first_at = entries.index("1 January 2020, 12:00 — Amina Okafor — Edited")
    demo_at = entries.index("6 February 2018, 10:00 — the system — Loaded")
    assert second_at < first_at < demo_at
    assert "Reason: Pool manager named" in entries
    assert "Reason: Age range widened to 25" in entries
    assert response.content.decode().count('data-testid="history-entry"') == 3
    # The diffs: the pool manager old → new, the services text word by word.
    newest = entries[second_at:first_at]
    assert "Pool manager" in newest and "[was: (blank)]" in newest and "[now: Jo Bloggs]" in newest
    assert "Type of service" not in newest
    middle = entries[first_at:demo_at]
    assert "The services" in middle
    assert "[deleted: 0-19]" in middle and "[inserted: 0-25]" in middle
    assert "Pool manager" not in middle
    # Version 1 is marked on its entry, with a link to it as agreed.
    # Version 1 was agreed by variation 1: it names every party's decision, the council's among them.
    assert "Version 1 agreed by every party:" in entries[demo_at:]
    assert "Haringey Council: Cabinet Member Signing, 6 February 2018" in entries[demo_at:]
    assert "Draft changes since version 1" in text


@pytest.mark.parametrize("username", ["haringey-commissioner", "haringey-viewer", "haringey-finance"])
def test_only_legal_officers_see_restore_links_and_no_one_a_single_agree(client_for, edited, username):
    text = text_of(client_for(username).get(HISTORY_URL))
    assert "Restore the document to this entry" not in text
    assert "Mark the current state as agreed" not in text
    legal = text_of(client_for("haringey-legal").get(HISTORY_URL))
    assert legal.count("Restore the document to this entry") == 2  # not on the latest entry
    assert "Mark the current state as agreed" not in legal  # a schedule is agreed by a variation of every party


@pytest.mark.parametrize("username", ["haringey-commissioner", "haringey-viewer", "haringey-finance"])
def test_others_may_not_agree_or_restore(client_for, schedule6, edited, username):
    client = client_for(username)
    signed = latest_version(schedule6).revision_id
    restore_url = f"{SCHEDULE_URL}restore/{signed}/"
    count = revisions_of(schedule6).count()
    for response in [
        client.get(DECIDE_URL),
        client.post(DECIDE_URL, {"body": "Cabinet", "decided_on_day": "1", "decided_on_month": "4",
                                 "decided_on_year": "2021"}),
        client.get(restore_url),
        client.post(restore_url, {"reason": "Because"}),
        client.get(DECLINE_URL),
    ]:
        assert response.status_code == 403
        assert FORBIDDEN_TEXT in text_of(response)
    assert versions_of(schedule6).count() == 1
    assert revisions_of(schedule6).count() == count


def test_outsiders_get_404_on_every_history_url(client_for, schedule6):
    client = client_for("cambridgeshire-commissioner")
    for url in all_history_urls(schedule6):
        assert client.get(url).status_code == 404, url
        if url.rsplit("/", 2)[-2] in ("decide", "decline") or "restore" in url:
            assert client.post(url, {"reason": "x", "choose-source": "new"}).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client, schedule6):
    for url in all_history_urls(schedule6):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/?next="), url


# ----------------------------------------------------------------------------- agree and restore


def propose_schedule6(schedule6, user, documents=None):
    return variation_propose(
        agreement=schedule6.agreement, title="SEND age range", summary="Widens the age range to 25.",
        effective_date=timezone.localdate(), documents=documents or [schedule6], user=user("haringey-commissioner"),
    )


def decision_post(body="Cabinet Member Signing", reference="CMS-2026-04", **extra):
    today = timezone.localdate()
    return {"body": body, "decided_on_day": today.day, "decided_on_month": today.month, "decided_on_year": today.year,
            "reference": reference, "key_decision": "on", "edit_count": 0, **extra}


def test_every_party_agreeing_the_variation_makes_version_2(client_for, schedule6, edited, user):
    propose_schedule6(schedule6, user)
    ccg = client_for("haringey-ccg-legal")
    assert ccg.get(DECIDE_URL.replace("/1/", "/2/")).status_code == 200
    assert ccg.post(DECIDE_URL.replace("/1/", "/2/"), decision_post("NHS Haringey CCG governing body", "GB-26")).status_code == 302
    assert latest_version(schedule6).number == 1  # the council has not decided yet
    response = client_for("haringey-legal").post(DECIDE_URL.replace("/1/", "/2/"), decision_post())
    assert response.status_code == 302 and response["Location"] == AGREEMENT_URL + "variations/2/"
    version = latest_version(schedule6)
    assert version.number == 2
    assert version.revision_id == revisions_of(schedule6).first().pk
    assert (version.decision.body, version.decision.decided_on, version.decision.reference,
            version.decision.key_decision) == ("Cabinet Member Signing", timezone.localdate(), "CMS-2026-04", True)
    assert version.agreed_by.username == "haringey-legal"
    page = text_of(client_for("haringey-legal").get(SCHEDULE_URL))
    assert "Version 2" in page
    assert "Draft changes since" not in page
    # Varying again without a change is refused with a message; nothing is written.
    with pytest.raises(ValidationError, match="Schedule 6 has no draft changes to vary."):
        propose_schedule6(schedule6, user)
    assert versions_of(schedule6).count() == 2


def test_one_variation_agrees_several_documents_with_the_same_decisions(client_for, schedule6, edited, user):
    agreement = schedule6.agreement
    agreement_update(agreement=agreement, document={"fields": {"review_due": "2027-03-31"}}, expected_edit_count=None,
                     user=user("haringey-commissioner"), reason="Review date set")
    propose_schedule6(schedule6, user, documents=[agreement, schedule6])
    decisions = Decision.objects.count()
    client_for("haringey-ccg-legal").post(DECIDE_URL.replace("/1/", "/2/"), decision_post("CCG governing body"))
    client_for("haringey-legal").post(DECIDE_URL.replace("/1/", "/2/"), decision_post())
    assert latest_version(schedule6).decision_id == latest_version(agreement).decision_id
    assert (latest_version(schedule6).number, latest_version(agreement).number) == (2, 2)
    assert Decision.objects.count() == decisions + 2  # one per party, shared by both documents


def test_a_decision_without_a_body_shows_errors(client_for, schedule6, edited, user):
    propose_schedule6(schedule6, user)
    response = client_for("haringey-legal").post(DECIDE_URL.replace("/1/", "/2/"), decision_post(body=""))
    assert response.status_code == 400
    assert versions_of(schedule6).count() == 1


def test_restore_through_the_page(client_for, schedule6, user):
    commissioner = user("haringey-commissioner")
    signed = latest_version(schedule6).revision
    document = current_document(schedule6)
    removed = [document["outcomes"].pop(0)["id"], document["outcomes"].pop(0)["id"]]
    schedule_update(schedule=schedule6, document=document, expected_edit_count=None, user=commissioner,
                    reason="Two outcomes dropped")
    client = client_for("haringey-legal")
    url = f"{SCHEDULE_URL}restore/{signed.pk}/"
    page = text_of(client.get(url))
    assert "Restore to the entry of 6 February 2018, 10:00" in page
    assert "[added: A co-ordinated preventative approach" in page
    latest = revisions_of(schedule6).first().pk
    assert client.post(url, {"reason": "", "revision": latest}).status_code == 400
    response = client.post(url, {"reason": "Dropped in error", "revision": latest})
    assert response.status_code == 302 and response["Location"] == HISTORY_URL
    assert Outcome.objects.filter(pk__in=removed).count() == 2
    restored = revisions_of(schedule6).first()
    assert (restored.kind, restored.reason, restored.user.username) == (
        RevisionKind.RESTORED, "Dropped in error", "haringey-legal"
    )
    assert "Dropped in error" in text_of(client.get(HISTORY_URL))


# ----------------------------------------------------------------------------- versions, compare and as-of


def test_version_1_shows_the_text_as_agreed_after_an_edit(client_for, schedule6, edited):
    client = client_for("haringey-viewer")
    current = text_of(client.get(SCHEDULE_URL))
    assert "0-25 year olds with special educational needs" in current
    response = client.get(VERSION_1_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "Version 1, exactly as agreed" in page
    assert "Agreed by every party through Variation 1" in page
    assert "Haringey Council: Cabinet Member Signing, 6 February 2018" in page
    assert OLD_SERVICES_START + " a range of services and pathways to improve the health outcomes of 0-19" in page
    assert "0-25 year olds with special educational needs" not in page
    assert "Jo Bloggs" not in page
    assert client.get(SCHEDULE_URL + "versions/2/").status_code == 404


def test_posting_to_a_version_page_changes_nothing(client_for, schedule6, edited):
    version = latest_version(schedule6)
    before = Revision.objects.get(pk=version.revision_id).snapshot
    response = client_for("haringey-legal").post(VERSION_1_URL, {"services": "Changed"})
    assert response.status_code in (200, 405)
    assert Revision.objects.get(pk=version.revision_id).snapshot == before
    assert Version.objects.get(pk=version.pk).revision_id == version.revision_id


def test_compare_version_1_with_the_current_draft(client_for, schedule6, edited):
    first, second = edited
    client = client_for("haringey-legal")
    version = latest_version(schedule6)
    page = text_of(client.get(COMPARE_URL))  # version 1 with the newest, by default
    assert "Changes from 6 February 2018, 10:00 to 2 March 2021, 09:30" in page
    assert "The services" in page and "Pool manager" in page
    page = text_of(client.get(COMPARE_URL, {"older": version.revision_id, "newer": first.pk}))
    assert "The services" in page and "Jo Bloggs" not in page
    # Either order reads from older to newer.
    page = text_of(client.get(COMPARE_URL, {"older": second.pk, "newer": first.pk}))
    assert "Changes from 1 January 2020, 12:00 to 2 March 2021, 09:30" in page
    assert "[now: Jo Bloggs]" in page
    # A schedule is agreed by a variation of every party, never by one legal officer from here.
    assert "Agree this version" not in page
    assert "Agree this version" not in text_of(client_for("haringey-commissioner").get(COMPARE_URL))


def test_as_of_shows_the_state_on_a_date(client_for, schedule6, edited):
    client = client_for("haringey-viewer")
    page = text_of(client.get(AS_OF_URL, {"date": "2019-01-01"}))
    assert "As it stood at the end of 1 January 2019" in page
    assert OLD_SERVICES_START + " a range of services and pathways to improve the health outcomes of 0-19" in page
    assert "Improved access to community health services." in page  # child rows too
    page = text_of(client.get(AS_OF_URL, {"date": "2020-06-01"}))
    assert "0-25 year olds with special educational needs" in page
    assert "Jo Bloggs" not in page
    response = client.get(AS_OF_URL, {"date": "2010-01-01"})
    assert response.status_code == 200
    assert "Schedule 6 had not been recorded by 1 January 2010." in text_of(response)
    assert "The date must be a real date" in text_of(client.get(AS_OF_URL, {"date": "not a date"}))


def test_as_of_reads_the_date_typed_in_the_govuk_date_input(client_for, schedule6, edited):
    client = client_for("haringey-viewer")
    html = client.get(AS_OF_URL).content.decode()
    assert 'name="date_day"' in html and 'type="date"' not in html
    page = text_of(client.get(AS_OF_URL, {"date_day": "1", "date_month": "January", "date_year": "2019"}))
    assert "As it stood at the end of 1 January 2019" in page
    shown = client.get(AS_OF_URL, {"date": "2019-01-01"}).content.decode()
    assert re.search(r'name="date_day"[^>]*value="1"', shown), "a link's ISO date shows in the boxes"
    missing = text_of(client.get(AS_OF_URL, {"date_day": "1", "date_month": "", "date_year": "2019"}))
    assert "The date must include a month" in missing


# ----------------------------------------------------------------------------- queries


def make_entries(schedule, user, count):
    commissioner = user("haringey-commissioner")
    start = revisions_of(schedule).count()
    for n in range(start, start + count):
        edit(schedule, commissioner, f"Pool manager changed ({n})", pool_manager=f"Pool manager {n}")


def test_history_page_queries_do_not_grow_with_entries(client_for, schedule6, user, django_assert_num_queries):
    client = client_for("haringey-legal")
    make_entries(schedule6, user, 9)
    assert revisions_of(schedule6).count() == 10
    client.get(HISTORY_URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as ten:
        response = client.get(HISTORY_URL)
    expected = len(ten.captured_queries)  # read now: the connection keeps only its latest 9,000 queries
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="history-entry"') == 10

    make_entries(schedule6, user, 20)
    assert revisions_of(schedule6).count() == 30
    # Each page is measured warm, as above: a page whose diffs are not cached yet reads its
    # snapshots in one more query, whatever the number of entries.
    client.get(HISTORY_URL)
    client.get(HISTORY_URL, {"page": 2})
    with django_assert_num_queries(expected):
        response = client.get(HISTORY_URL)
    assert response.content.decode().count('data-testid="history-entry"') == 20
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(expected):
        response = client.get(HISTORY_URL, {"page": 2})
    assert response.content.decode().count('data-testid="history-entry"') == 10
    assert "Page 2 of 2" in text_of(response)
