"""Schedule PDFs: every field of the signed Schedule 6 in order, budgets, footer, drafts and versions."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from agreements.pdf import schedule_pdf
from tests.pdf.conftest import assert_in_order, flat, pages_text

SEED_ORDER = [
    "Schedule 6 — Children's commissioned services",
    "Name of service", "Children's commissioned services",
    "Type of agreement", "Section 75",
    "Type of service", "CCG lead commissioner with aligned budgets",
    "Delegated function", "The Council's children health-related commissioning",
    "The services", "Haringey CCG will commission on behalf of itself and the council",
    "Aim of the services", "1. To improve the health and wellbeing of 0-19 year olds",
    "2. To meet and deliver the outcomes outlined in the Haringey council corporate plan",
    "Outcomes of the services",
    "Strategy/framework documents", "Four core priorities in Haringey CCG's Strategy",
    "Priority 1 in Haringey Council's Corporate Plan 2015-18.",
    "North London Partners in Health and Care: children's work stream (School Readiness Priority)",
    "Eligibility and assessment procedures", "Various dependent on the specific services",
    "Key performance indicators", "For each of the services commissioned there are agreed local KPIs",
    "Resources for managing the partnership", "The partners will make available staffing resources",
    "Aligned budgets", "Service", "Haringey Council", "NHS Haringey CCG",  # names in full, not "LBH"
    "Health visiting", "£4,388,588", "Family nurse partnership", "£443,441", "School nursing", "£644,000",
    "Oral health promotion", "£77,000", "Community paediatrics", "Children's community nursing",
    "Speech and language services (early years and schools)", "Occupational and physiotherapy", "£840,000",
    "Children in Care and Adoption Health Assessment Services", "£54,696",
    "Total", "£6,447,725",
    "Outline specification - arrangements for lead commissioning",
    "1. Context", "1.1", "The development of this schedule builds on", "1.2", "1.3", "1.4",
    "2. Expected outcomes", "2.1", "The identified commissioned services in the schedule",
]


def test_schedule_6_prints_every_field_in_the_seed_order(schedule_6):
    pdf = schedule_pdf(schedule_6)
    text = " ".join(pages_text(pdf.content))
    assert pdf.filename == "HARINGEY-S75-2017-schedule-6-v1.pdf"
    assert_in_order(text, SEED_ORDER)


def test_outcomes_are_numbered_1_to_8(schedule_6):
    from agreements.snapshots import schedule_queryset, schedule_snapshot

    outcomes = [o["text"] for o in schedule_snapshot(schedule_queryset().get(pk=schedule_6.pk))["outcomes"]]
    assert len(outcomes) == 8
    text = " ".join(pages_text(schedule_pdf(schedule_6).content))
    assert_in_order(text, [f"{n}. {outcome}" for n, outcome in enumerate(outcomes, start=1)])


def test_every_budget_figure_and_note_and_the_lbh_total(schedule_6):
    from documents.money import money

    text = " ".join(pages_text(schedule_pdf(schedule_6).content))
    lines = list(schedule_6.budget_lines.all())
    assert lines
    for line in lines:
        if line.amount is not None:
            assert money(line.amount) in text, line
        if line.notes:
            assert flat(line.notes) in text, line
    assert "£6,447,725" in text
    assert "Final amount to be agreed following the service review of specialist therapies" in text
    assert "Not applicable" in text


def test_footer_and_running_header_on_every_page(schedule_6):
    pages = pages_text(schedule_pdf(schedule_6).content)
    total = len(pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Schedule 6 · Version 1 · agreed 6 February 2018 · Page {number} of {total}" in page
        assert "Section 75 Partnership Agreement between Haringey Council and NHS Haringey CCG" in page
        assert "Haringey Council · NHS Haringey CCG" in page
        assert "DRAFT" not in page
    assert "Page 1 of" in pages[0]


def _edit_outcome_1(schedule):
    from agreements.services.schedules import schedule_update
    from agreements.snapshots import schedule_queryset, schedule_snapshot

    snapshot = schedule_snapshot(schedule_queryset().get(pk=schedule.pk))
    document = {key: snapshot[key] for key in ("outcomes",)}
    document["outcomes"][0]["text"] = "A rewritten first outcome that was never agreed."
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason="Test edit")


def test_unagreed_changes_print_draft_on_every_page_and_version_1_still_prints_as_agreed(schedule_6):
    _edit_outcome_1(schedule_6)

    draft = schedule_pdf(schedule_6)
    assert draft.filename == "HARINGEY-S75-2017-schedule-6-draft.pdf"
    pages = pages_text(draft.content)
    for number, page in enumerate(pages, start=1):
        assert "DRAFT — not agreed" in page
        assert f"Schedule 6 · DRAFT — not agreed · changes since version 1 · Page {number} of {len(pages)}" in page
    assert "A rewritten first outcome that was never agreed." in " ".join(pages)

    version_1 = schedule_pdf(schedule_6, version=1)
    assert version_1.filename == "HARINGEY-S75-2017-schedule-6-v1.pdf"
    text = " ".join(pages_text(version_1.content))
    assert "1. A co-ordinated preventative approach for children and young people" in text
    assert "A rewritten first outcome" not in text
    assert "DRAFT" not in text
    assert "Version 1 · agreed 6 February 2018" in text


def test_as_of_a_date_prints_the_state_then(schedule_6):
    from datetime import date

    _edit_outcome_1(schedule_6)
    pdf = schedule_pdf(schedule_6, as_of=date(2019, 1, 1))
    assert pdf.filename == "HARINGEY-S75-2017-schedule-6-as-of-2019-01-01.pdf"
    text = " ".join(pages_text(pdf.content))
    assert "as it stood on 1 January 2019 · Version 1 · agreed 6 February 2018" in text
    assert "A rewritten first outcome" not in text


def test_pdf_declares_pdf_ua_language_title_and_authors(schedule_6):
    reader = PdfReader(io.BytesIO(schedule_pdf(schedule_6).content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" in xmp and re.search(r"pdfuaid:part[^0-9]*1", xmp)
    assert reader.metadata.title.startswith("Schedule 6 — Children's commissioned services")
    assert "Haringey Council" in reader.metadata.author and "NHS Haringey CCG" in reader.metadata.author
