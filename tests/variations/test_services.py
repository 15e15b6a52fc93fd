"""Variations through the services: propose, each party's decision, the refusals, taking effect."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import PartyDecision, Variation, VariationStatus
from agreements.services.schedules import schedule_update
from agreements.services.variations import (
    InOpenVariation,
    Notice,
    variation_candidates,
    variation_decide,
    variation_decline,
    variation_propose,
    variation_withdraw,
)
from documents.models import Decision, Version
from documents.revisions import latest_revision, versions_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def blank_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


def propose(world, documents=None):
    return variation_propose(
        agreement=world.agreement, title="Add Schedule 1", summary="Adds the test services.",
        effective_date=TODAY + timedelta(days=30), documents=documents or [world.schedule],
        user=world.users["council-commissioner"],
    )


def decide(world, variation, partner, who, **extra):
    return variation_decide(
        variation=variation, partner=partner, user=world.users[who],
        decision=extra.pop("decision", None) or Decision(body="Cabinet", decided_on=TODAY, reference="CAB/1"),
        expected_edit_count=extra.pop("expected", variation.edit_count), **extra,
    )


def test_the_variation_takes_effect_only_when_the_last_party_agrees(world):
    assert variation_candidates(world.agreement) == [world.schedule]  # the agreement itself has no draft
    variation = propose(world)
    shown = latest_revision(world.schedule)
    decide(world, variation, world.council, "council-legal")
    assert not versions_of(world.schedule).exists()
    variation.refresh_from_db()
    assert variation.status == VariationStatus.PROPOSED
    last = decide(world, variation, world.ccg, "ccg-legal", decision=Decision(body="Governing body", decided_on=TODAY))
    variation.refresh_from_db()
    assert variation.status == VariationStatus.AGREED
    version = versions_of(world.schedule).get()
    assert version.revision_id == shown.pk and version.decision == last.decision
    assert version.variation_document.variation == variation
    assert {d.partner for d in variation.decisions.all()} == {world.council, world.ccg}
    assert variation_candidates(world.agreement) == []


def test_a_decline_stops_the_variation_and_frees_its_documents(world):
    variation = propose(world)
    variation_decline(variation=variation, partner=world.ccg, reason="Budget not agreed", user=world.users["ccg-legal"],
                      expected_edit_count=0)
    variation.refresh_from_db()
    assert variation.status == VariationStatus.DECLINED
    with pytest.raises(ValidationError, match="declined: it takes no more decisions"):
        decide(world, variation, world.council, "council-legal")
    schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "A"}}, expected_edit_count=None,
                    reason="Free again")


def test_a_decision_is_refused_when_the_variation_changed_after_the_page_was_opened(world):
    variation = propose(world)
    schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "B"}}, expected_edit_count=None,
                    reason="Inside the variation", variation=variation)
    with pytest.raises(ValidationError, match="changed after you opened this page"):
        decide(world, variation, world.council, "council-legal", expected=0)
    assert not PartyDecision.objects.exists() and not Decision.objects.filter(reference="CAB/1").exists()


@pytest.mark.parametrize(("case", "message"), [
    ("early", "is before the variation was proposed"),
    ("future", "must be today or in the past"),
    ("twice", "has already recorded its decision"),
    ("outsider", "Other Council is not a party to VAR-TEST"),
    ("not-pdf", "is not a PDF"),
    ("damaged", "could not be opened as a PDF"),
    ("too-big", "at most 10 MB"),
])
def test_bad_decisions_are_refused_and_write_nothing(world, case, message):
    variation = propose(world)
    decide(world, variation, world.council, "council-legal")
    before = (PartyDecision.objects.count(), Decision.objects.count(), Version.objects.count())
    partner, who, extra = world.ccg, "ccg-legal", {}
    if case in ("early", "future"):
        day = TODAY - timedelta(days=1) if case == "early" else TODAY + timedelta(days=1)
        extra["decision"] = Decision(body="Board", decided_on=day)
    elif case == "twice":
        partner, who = world.council, "council-legal"
    elif case == "outsider":
        partner, who = world.outsider, "outsider-legal"
    else:
        content = {"not-pdf": b"PK\x03\x04 a docx", "damaged": b"%PDF-1.4 broken", "too-big": PDF + b" " * (10 * 2**20)}[case]
        extra["notice"] = Notice("notice.pdf", content)
    with pytest.raises(ValidationError, match=message):
        decide(world, variation, partner, who, **extra)
    assert (PartyDecision.objects.count(), Decision.objects.count(), Version.objects.count()) == before


def test_a_decision_notice_is_kept_in_the_database(world):
    variation = propose(world)
    recorded = decide(world, variation, world.council, "council-legal", notice=Notice("minute.pdf", PDF))
    assert bytes(recorded.notice.content) == PDF and recorded.notice.size == len(PDF)


def test_a_document_in_an_open_variation_changes_only_inside_it(world):
    variation = propose(world)
    with pytest.raises(InOpenVariation, match="is in variation 1 .* change it from the variation's page") as refused:
        schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "C"}}, expected_edit_count=None,
                        reason="Outside")
    assert refused.value.variation == variation
    with pytest.raises(ValidationError, match="already in variation 1"):
        propose(world)
    decide(world, variation, world.council, "council-legal")
    with pytest.raises(InOpenVariation, match="a party has already decided"):
        schedule_update(schedule=world.schedule, document={"fields": {"pool_manager": "C"}}, expected_edit_count=None,
                        reason="Inside, too late", variation=variation)
    variation_withdraw(variation=variation, user=world.users["council-commissioner"], reason="Changed our mind")
    assert Variation.objects.get().status == VariationStatus.WITHDRAWN


def test_one_open_variation_per_document_is_held_by_the_database(world):
    propose(world)
    from agreements.models import VariationDocument

    entry = VariationDocument.objects.get()
    other = Variation.objects.create(agreement=world.agreement, number=2, title="x", summary="x", effective_date=date.today())
    with pytest.raises(IntegrityError), transaction.atomic():
        VariationDocument.objects.create(variation=other, content_type=entry.content_type, object_id=entry.object_id,
                                         label="Schedule 1")


def test_a_budget_import_into_a_schedule_in_an_open_variation_is_refused(world):
    from budgets.importing import budget_lines_import

    propose(world)
    csv = b"Financial year,Service,Partner,Budget type,Amount\n2019/20,Health visiting,P1,Aligned,100\n"
    with pytest.raises(InOpenVariation, match="is in variation 1"):
        budget_lines_import(schedule=world.schedule, filename="lines.csv", content=csv, reason="Import")
    assert not world.schedule.budget_lines.exists()
