"""A variation as one unit of history, the refused decision's compare, withdraw with a reason, adding
and removing documents before any party decides, the agreement shown as varied, and the read-only admin."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from agreements.models import PartyDecision, Variation, VariationDocument, VariationStatus
from agreements.services.agreements import agreement_update
from agreements.services.schedules import schedule_update
from agreements.services.variations import (
    variation_add_document,
    variation_remove_document,
    variation_withdraw,
)
from documents.models import Decision
from documents.revisions import latest_revision, revisions_of
from tests.variations.test_pages import REF, TODAY, date_post, decision_post, text_of
from tests.variations.test_services import decide, propose

pytestmark = pytest.mark.django_db


def agree_both(world, variation):
    variation.refresh_from_db()
    decide(world, variation, world.council, "council-legal",
           decision=Decision(body="Cabinet Member Signing", decided_on=TODAY, reference="CMS/12", key_decision=True))
    decide(world, variation, world.ccg, "ccg-legal",
           decision=Decision(body="Governing body", decided_on=TODAY, reference="GB/3"))


def draft_agreement(world):
    agreement_update(agreement=world.agreement, document={"fields": {"title": "Varied title"}}, expected_edit_count=None,
                     reason="Retitle")


# ----------------------------------------------------------------------------- history as one unit


def test_the_schedule_history_shows_the_variation_as_one_unit_and_its_version_names_every_decision(world, client_of):
    variation = propose(world)
    schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "Inside"}}, expected_edit_count=None,
                    reason="Made inside the variation", variation=variation)
    agree_both(world, variation)
    client = client_of("council-viewer")
    page = client.get(f"/agreements/{REF}/schedules/1/history/")
    html = page.content.decode()
    assert html.count('data-testid="history-group"') == 1
    start = html.index('data-testid="history-group"')
    end = start
    for _ in range(3):  # the group's section closes after the two entries' sections inside it
        end = html.index("</section>", end) + len("</section>")
    group = html[start:end]
    events = re.findall(r"<li><time[^>]*>[^<]*</time>: ([^<]*)</li>", group)
    assert events[0].startswith("Proposed by Council-Commissioner, carrying Schedule 1")
    assert events[1].startswith("Agreed by Test Council: Cabinet Member Signing, ")
    assert "(CMS/12), key decision; recorded by Council-Legal" in events[1]
    assert events[2].startswith("Agreed by Test CCG: Governing body, ") and "(GB/3)" in events[2]
    assert events[3] == "Took effect, agreed by every party: Schedule 1 became version 1"
    # Both entries it carries (the draft it gathered and the edit made inside it) sit inside the unit,
    # none outside it.
    assert group.count('data-testid="history-entry"') == 2 == html.count('data-testid="history-entry"')
    assert "Made inside the variation" in group and "Reason: Draft" in text_of(page)
    version_line = text_of(page)[text_of(page).index("Version 1 agreed by every party"):]
    assert "Test Council: Cabinet Member Signing" in version_line and "Test CCG: Governing body" in version_line
    version = text_of(client.get(f"/agreements/{REF}/schedules/1/versions/1/"))
    assert "Agreed by every party through Variation 1: Add Schedule 1" in version
    assert "Test Council: Cabinet Member Signing" in version and "(CMS/12), key decision" in version
    assert "Test CCG: Governing body" in version and "(GB/3)" in version


def test_a_withdrawn_variation_is_a_unit_of_history_with_its_reason(world, client_of):
    variation = propose(world)
    variation_withdraw(variation=variation, user=world.users["council-commissioner"], reason="Budget not settled")
    client = client_of("council-viewer")
    history = text_of(client.get(f"/agreements/{REF}/schedules/1/history/"))
    assert "Variation 1: Add Schedule 1 Withdrawn" in history
    assert "Withdrawn: Budget not settled. Its documents keep their drafts" in history
    page = text_of(client.get(f"/agreements/{REF}/variations/1/"))
    assert "Budget not settled" in page
    # The agreement, which the variation did not carry, has no unit for it.
    assert "Variation 1" not in text_of(client.get(f"/agreements/{REF}/history/"))


# ----------------------------------------------------------------------------- withdraw needs a reason


def test_withdrawing_needs_a_reason_and_a_blank_one_writes_nothing(world, client_of):
    variation = propose(world)
    client = client_of("council-commissioner")
    refused = client.post(f"/agreements/{REF}/variations/1/withdraw/", {"reason": "  "})
    assert refused.status_code == 400 and "Enter why the variation is withdrawn" in text_of(refused)
    variation.refresh_from_db()
    assert variation.status == VariationStatus.PROPOSED and variation.withdrawn_reason == ""
    with pytest.raises(ValidationError, match="Enter why the variation is withdrawn"):
        variation_withdraw(variation=variation, user=None, reason="")
    done = client.post(f"/agreements/{REF}/variations/1/withdraw/", {"reason": "Superseded by a new proposal"})
    assert done.status_code == 302
    variation.refresh_from_db()
    assert variation.status == VariationStatus.WITHDRAWN and variation.withdrawn_reason == "Superseded by a new proposal"


def test_a_decline_shows_its_reason_on_the_variation_and_in_history(world, client_of):
    propose(world)
    ccg = client_of("ccg-legal")
    refused = ccg.post(f"/agreements/{REF}/variations/1/decline/", {"reason": "", "edit_count": 0})
    assert refused.status_code == 400 and "Enter why the party declines the variation" in text_of(refused)
    assert not PartyDecision.objects.exists()
    ccg.post(f"/agreements/{REF}/variations/1/decline/", {"reason": "The pooled fund is too small", "edit_count": 0})
    assert "Declined: The pooled fund is too small" in text_of(ccg.get(f"/agreements/{REF}/variations/1/"))
    history = text_of(ccg.get(f"/agreements/{REF}/schedules/1/history/"))
    assert "Declined by Test CCG: The pooled fund is too small" in history


# ----------------------------------------------------------------------------- refused decision shows what changed


def test_a_refused_decision_links_to_the_compare_of_what_changed(world, client_of):
    variation = propose(world)
    council = client_of("council-legal")
    page = council.get(f"/agreements/{REF}/variations/1/decide/")
    shown = re.search(r'name="shown" value="([^"]*)"', page.content.decode()).group(1)
    seen = latest_revision(world.schedule)
    assert shown == f"agreements.schedule:{world.schedule.pk}={seen.pk}"
    schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "Changed"}}, expected_edit_count=None,
                    reason="Inside", variation=variation)
    draft_agreement(world)
    variation_add_document(variation=variation, document=world.agreement, user=None)
    response = council.post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation, shown=shown))
    assert response.status_code == 400
    html, text = response.content.decode(), text_of(response)
    assert "Variation 1 changed after you opened this page" in text
    assert "Schedule 1 was edited inside the variation" in text and "The agreement was added to the variation" in text
    now = latest_revision(world.schedule)
    assert f"/agreements/{REF}/schedules/1/compare/?older={seen.pk}&amp;newer={now.pk}" in html
    assert not PartyDecision.objects.exists() and not Decision.objects.filter(reference="CAB/7").exists()
    # The page now carries what the variation carries now.
    assert f"agreements.schedule:{world.schedule.pk}={now.pk}" in html


def test_a_refused_decision_without_what_was_shown_still_links_to_each_compare(world, client_of):
    variation = propose(world)
    Variation.objects.filter(pk=variation.pk).update(edit_count=3)
    response = client_of("council-legal").post(f"/agreements/{REF}/variations/1/decide/",
                                                decision_post(variation, shown="junk=;x"))
    assert response.status_code == 400
    assert "What changed since you opened this page" in text_of(response)
    assert f'href="/agreements/{REF}/schedules/1/"' in response.content.decode()  # a new schedule: see it


# ----------------------------------------------------------------------------- adding and removing documents


def test_the_proposer_adds_and_removes_a_drafted_document_before_anyone_decides(world, client_of):
    variation = propose(world)
    draft_agreement(world)
    client = client_of("council-commissioner")
    page = client.get(f"/agreements/{REF}/variations/1/documents/")
    assert page.status_code == 200 and "The agreement" in text_of(page)
    none = client.post(f"/agreements/{REF}/variations/1/documents/", {"add": "1"})
    assert none.status_code == 400 and "Choose the drafted document to add" in text_of(none)
    bad = client.post(f"/agreements/{REF}/variations/1/documents/", {"add": "1", "document": "schedule-9"})
    assert bad.status_code == 400 and "schedule-9 is not one of them" in text_of(bad)
    assert VariationDocument.objects.count() == 1
    added = client.post(f"/agreements/{REF}/variations/1/documents/", {"add": "1", "document": "agreement"}, follow=True)
    assert "The agreement added to variation 1" in text_of(added)
    variation.refresh_from_db()
    assert variation.edit_count == 1 and [e.label for e in variation.documents.all()] == ["Schedule 1", "The agreement"]
    removed = client.post(f"/agreements/{REF}/variations/1/documents/", {"remove": "schedule-1"}, follow=True)
    assert "Schedule 1 removed from variation 1" in text_of(removed)
    variation.refresh_from_db()
    assert variation.edit_count == 2 and [e.label for e in variation.documents.all()] == ["The agreement"]
    last = client.post(f"/agreements/{REF}/variations/1/documents/", {"remove": "agreement"})
    assert last.status_code == 400 and "only document variation 1 carries: withdraw the variation instead" in text_of(last)
    # The removed schedule is free to edit again, outside any variation.
    schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "Free"}}, expected_edit_count=None,
                    reason="Free again")


def test_adding_or_removing_after_a_party_decided_is_refused_and_writes_nothing(world, client_of):
    variation = propose(world)
    draft_agreement(world)
    decide(world, variation, world.council, "council-legal")
    client = client_of("council-commissioner")
    assert 'data-testid="pinned"' in client.get(f"/agreements/{REF}/variations/1/documents/").content.decode()
    response = client.post(f"/agreements/{REF}/variations/1/documents/", {"add": "1", "document": "agreement"})
    assert response.status_code == 400
    assert ("Test Council has already decided on variation 1 as it stands, and a decision is for exactly what it "
            "carried: adding the agreement is refused") in text_of(response)
    variation.refresh_from_db()
    assert variation.edit_count == 0 and variation.documents.count() == 1
    with pytest.raises(ValidationError, match="removing schedule 1 is refused"):
        variation_remove_document(variation=variation, document=world.schedule, user=None)
    assert variation.documents.count() == 1


def test_adding_what_cannot_be_added_is_refused_by_name(world):
    variation = propose(world)
    with pytest.raises(ValidationError, match="The agreement has no draft changes to vary"):
        variation_add_document(variation=variation, document=world.agreement, user=None)
    with pytest.raises(ValidationError, match="Schedule 1 is already in this variation"):
        variation_add_document(variation=variation, document=world.schedule, user=None)
    variation_withdraw(variation=variation, user=None, reason="Stop")
    with pytest.raises(ValidationError, match="Variation 1 is withdrawn: adding schedule 1"):
        variation_add_document(variation=variation, document=world.schedule, user=None)
    assert VariationDocument.objects.count() == 1


# ----------------------------------------------------------------------------- the agreement as varied


def test_an_agreement_varied_stays_in_force_and_says_as_varied(world, client_of):
    from agreements.due import agreement_items

    world.agreement.status = "in_force"
    world.agreement.expires = TODAY + timedelta(days=30)
    world.agreement.save(update_fields=["status", "expires"])
    client = client_of("council-viewer")
    assert 'data-testid="varied-by"' not in client.get(f"/agreements/{REF}/").content.decode()
    variation = propose(world)
    agree_both(world, variation)
    page = text_of(client.get(f"/agreements/{REF}/"))
    assert "In force As varied by variation 1, effective" in page
    world.agreement.refresh_from_db()
    assert world.agreement.status == "in_force"
    due = agreement_items(None, today=TODAY, until=TODAY + timedelta(days=60), shared={})
    assert any(item.agreement == REF and "expires" in item.title for item in due)


# ----------------------------------------------------------------------------- read-only admin


def test_the_admin_shows_variations_and_decisions_but_changes_nothing(world):
    variation = propose(world)
    decide(world, variation, world.council, "council-legal")
    admin = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    for model in ("variation", "partydecision"):
        assert client.get(f"/admin/agreements/{model}/").status_code == 200
        assert client.get(f"/admin/agreements/{model}/add/").status_code == 403
    change = client.get(f"/admin/agreements/variation/{variation.pk}/change/")
    assert change.status_code == 200 and "Add Schedule 1" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()
    decided = PartyDecision.objects.get()
    assert client.get(f"/admin/agreements/partydecision/{decided.pk}/change/").status_code == 200
    client.post(f"/admin/agreements/variation/{variation.pk}/change/", {"title": "Changed"})
    assert client.post(f"/admin/agreements/variation/{variation.pk}/delete/", {"post": "yes"}).status_code == 403
    variation.refresh_from_db()
    assert variation.title == "Add Schedule 1"
    assert revisions_of(world.schedule).count() == 1


# ----------------------------------------------------------------------------- issue 16's bad input, through the pages


def _counts():
    from agreements.models import DecisionNotice
    from documents.models import Version

    return (PartyDecision.objects.count(), Decision.objects.count(), Version.objects.count(),
            DecisionNotice.objects.count())


@pytest.mark.parametrize(("case", "status", "message"), [
    ("early", 400, "is before the variation was proposed on"),
    ("twice", 400, "Test Council has already recorded its decision on variation 1"),
    ("outsider", 404, None),
    ("not-pdf", 400, "“notice.pdf” is not a PDF"),
    ("damaged", 400, "“notice.pdf” could not be opened as a PDF"),
    ("too-big", 400, "“notice.pdf” is 10.0 MB: a decision notice can be at most 10 MB"),
])
def test_each_bad_decision_on_the_page_is_refused_by_name_and_writes_nothing(world, client_of, case, status, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.variations.test_services import PDF

    variation = propose(world)
    decide(world, variation, world.council, "council-legal")
    before = _counts()
    who, extra = "ccg-legal", {}
    if case == "early":
        extra |= date_post("decided_on", TODAY - timedelta(days=1))
    elif case == "twice":
        who = "council-legal"
    elif case == "outsider":
        who = "outsider-legal"
    else:
        content = {"not-pdf": b"PK\x03\x04 a docx", "damaged": b"%PDF-1.4 broken",
                   "too-big": PDF + b" " * (10 * 2**20 - len(PDF) + 1)}[case]
        extra["notice"] = SimpleUploadedFile("notice.pdf", content, content_type="application/pdf")
    response = client_of(who).post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation, **extra))
    assert response.status_code == status
    if message:
        assert message in text_of(response)
    assert _counts() == before


def test_an_edit_outside_the_open_variation_is_refused_and_writes_nothing(world):
    from agreements.services.variations import InOpenVariation

    draft_agreement(world)
    propose(world, documents=[world.agreement, world.schedule])
    counts = (revisions_of(world.schedule).count(), revisions_of(world.agreement).count())
    with pytest.raises(InOpenVariation, match=r"Schedule 1 is in variation 1 \(“Add Schedule 1”\).*Nothing was saved"):
        schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "Outside"}},
                        expected_edit_count=None, reason="Outside")
    with pytest.raises(InOpenVariation, match="The agreement is in variation 1"):
        agreement_update(agreement=world.agreement, document={"fields": {"title": "Outside"}}, expected_edit_count=None,
                         reason="Outside")
    assert (revisions_of(world.schedule).count(), revisions_of(world.agreement).count()) == counts
    world.schedule.refresh_from_db()
    world.agreement.refresh_from_db()
    assert world.schedule.pool_manager != "Outside" and world.agreement.title == "Varied title"
