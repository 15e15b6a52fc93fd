"""The variation pages: propose, decide, decline, the notice, the edit guard, the home panel, the record."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import DecisionNotice, PartyDecision, Variation, VariationStatus
from documents.revisions import versions_of
from tests.variations.test_services import PDF, propose

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REF = "VAR-TEST"


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def date_post(name: str, day) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def decision_post(variation, **extra) -> dict:
    return {"body": "Cabinet", "reference": "CAB/7", "key_decision": "on", "edit_count": variation.edit_count,
            **date_post("decided_on", TODAY), **extra}


def test_a_commissioner_proposes_a_variation_of_the_drafts(world, client_of):
    client = client_of("council-commissioner")
    page = client.get(f"/agreements/{REF}/variations/new/")
    assert page.status_code == 200 and "Schedule 1" in text_of(page)
    refused = client.post(f"/agreements/{REF}/variations/new/", {
        "title": "Add Schedule 1", "summary": "Adds it.", "effective_date_day": "31", "effective_date_month": "2",
        "effective_date_year": "2027",
    })
    assert refused.status_code == 400
    page = text_of(refused)
    assert "Intended effective date must be a real date" in page
    assert "Choose at least one document with draft changes" in page
    assert not Variation.objects.exists()
    response = client.post(f"/agreements/{REF}/variations/new/", {
        "title": "Add Schedule 1", "summary": "Adds it.", "documents": ["schedule-1"],
        **date_post("effective_date", TODAY),
    })
    assert response.status_code == 302 and response["Location"] == f"/agreements/{REF}/variations/1/"


def test_each_party_decides_and_the_last_makes_it_take_effect(world, client_of):
    variation = propose(world)
    council = client_of("council-legal")
    page = council.get(f"/agreements/{REF}/variations/1/")
    assert "Record Test Council's decision" in text_of(page)
    response = council.post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation))
    assert response.status_code == 302
    assert "Waiting for Test CCG's decision" not in text_of(council.get("/"))
    assert "Waiting for the other parties" in text_of(council.get("/"))
    ccg = client_of("ccg-legal")
    assert "Waiting for Test CCG's decision" in text_of(ccg.get("/"))
    response = ccg.post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation, body="Governing body"),
                        follow=True)
    assert "Every party has agreed: variation 1 has taken effect" in text_of(response)
    assert versions_of(world.schedule).get().number == 1
    record = text_of(council.get(f"/agreements/{REF}/"))
    assert "Variation 1: Add Schedule 1" in record and "Agreed: Governing body" in record
    assert "Agreed: Cabinet" in record


def test_a_decision_on_a_changed_variation_is_refused_and_the_page_carries_the_new_count(world, client_of):
    variation = propose(world)
    council = client_of("council-legal")
    shown = decision_post(variation)
    editor = client_of("council-commissioner")
    edit = editor.get(f"/agreements/{REF}/schedules/1/edit/?variation=1")
    assert "This change is part of variation 1" in text_of(edit)
    Variation.objects.filter(pk=variation.pk).update(edit_count=5)  # as a save inside the variation does
    response = council.post(f"/agreements/{REF}/variations/1/decide/", shown)
    assert response.status_code == 400
    assert "Variation 1 changed after you opened this page" in text_of(response)
    assert 'name="edit_count" value="5"' in response.content.decode()
    assert not PartyDecision.objects.exists()


def test_a_notice_that_is_not_a_pdf_is_refused_by_name_and_a_pdf_is_kept_and_downloaded(world, client_of):
    variation = propose(world)
    council = client_of("council-legal")
    fake = SimpleUploadedFile("minute.docx", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = council.post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation, notice=fake))
    assert response.status_code == 400 and "“minute.docx” is not a PDF" in text_of(response)
    assert not PartyDecision.objects.exists()
    real = SimpleUploadedFile("Cabinet minute.pdf", PDF, content_type="application/pdf")
    assert council.post(f"/agreements/{REF}/variations/1/decide/", decision_post(variation, notice=real)).status_code == 302
    notice = DecisionNotice.objects.get()
    url = f"/agreements/{REF}/variations/1/decisions/{notice.party_decision_id}/notice.pdf"
    download = client_of("council-viewer").get(url)
    assert download["Content-Disposition"] == 'attachment; filename="Cabinet-minute.pdf"' and download.content == PDF
    assert client_of("outsider-legal").get(url).status_code == 404


def test_a_decline_stops_the_variation(world, client_of):
    variation = propose(world)
    ccg = client_of("ccg-legal")
    assert ccg.post(f"/agreements/{REF}/variations/1/decline/", {"edit_count": 0}).status_code == 400
    response = ccg.post(f"/agreements/{REF}/variations/1/decline/", {"edit_count": variation.edit_count,
                                                                      "reason": "Budget not agreed"}, follow=True)
    assert "Test CCG declined variation 1" in text_of(response) and "Declined: Budget not agreed" in text_of(response)
    assert Variation.objects.get().status == VariationStatus.DECLINED


def test_an_edit_outside_an_open_variation_is_refused_with_a_pointer_to_it(world, client_of):
    propose(world)
    editor = client_of("council-commissioner")
    page = editor.get(f"/agreements/{REF}/schedules/1/edit/")
    assert 'href="/agreements/VAR-TEST/variations/1/"' in page.content.decode()
    assert "It changes only through the variation" in text_of(page)
    schedule_page = text_of(editor.get(f"/agreements/{REF}/schedules/1/"))
    assert "In variation 1: see the decisions" in schedule_page


def test_agreements_and_schedules_have_no_single_party_agree_page(world, client_of):
    legal = client_of("council-legal")
    assert legal.get(f"/agreements/{REF}/agree/").status_code == 404
    assert legal.get(f"/agreements/{REF}/schedules/1/agree/").status_code == 404
    assert "Propose a variation" in text_of(client_of("council-commissioner").get(f"/agreements/{REF}/"))


def _agreed_variation(world, number: int) -> None:
    from agreements.services.schedules import schedule_create
    from tests.factories import schedule_fields
    from tests.variations.test_services import decide

    schedule = world.schedule if number == 1 else schedule_create(
        agreement=world.agreement, document={"fields": schedule_fields(number=number)}, reason="Draft")
    variation = propose(world, [schedule])
    decide(world, variation, world.council, "council-legal")
    decide(world, variation, world.ccg, "ccg-legal")


def test_the_agreement_page_reads_its_variations_record_in_the_same_queries_however_many(world, client_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of("council-viewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/agreements/{REF}/").status_code == 200
        return len(captured)

    _agreed_variation(world, 1)
    one = count()
    for number in range(2, 5):
        _agreed_variation(world, number)
    assert count() == one
