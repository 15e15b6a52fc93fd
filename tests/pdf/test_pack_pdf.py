"""The agreement pack: cover, contents with right page numbers, every schedule, the board's terms as an annex."""

from __future__ import annotations

import re

from agreements.pdf import agreement_pack_pdf
from tests.pdf.conftest import pages_text


def _contents(pages: list[str]) -> dict[str, int]:
    contents = next(page for page in pages if page.startswith("Contents"))
    return {
        title.strip(" ."): int(number)
        for title, number in re.findall(r"((?:Clauses|Schedule \d+ —|Annex [A-Z]:)[^.]*?)\s*\.{3,}\s*(\d+)", contents)
    }


def test_pack_has_cover_contents_and_every_schedule_at_the_page_the_contents_give(haringey):
    pdf = agreement_pack_pdf(haringey)
    assert pdf.filename == "HARINGEY-S75-2017-pack.pdf"
    pages = pages_text(pdf.content)
    cover = pages[0]
    for text in ["Section 75 Partnership Agreement between Haringey Council and NHS Haringey CCG",
                 "Reference HARINGEY-S75-2017", "Haringey Council", "NHS Haringey CCG", "Dated 1 March 2017",
                 "Status In force"]:
        assert text in cover
    contents = _contents(pages)
    numbers = [s.number for s in haringey.schedules.order_by("number")]
    assert numbers == [1, 2, 3, 4, 5, 6]
    listed = [title for title in contents if title.startswith("Schedule")]
    assert [int(t.split()[1]) for t in listed] == numbers
    for title, page_number in contents.items():
        page = pages[page_number - 1]
        heading = title.split(" (")[0]
        assert page.startswith(heading) or f" {heading}" in page[:300], (title, page_number, page[:200])
        if title.startswith("Schedule"):
            number = title.split()[1]
            previous = pages[page_number - 2]
            assert f"Schedule {number} ·" in page and f"Schedule {number} ·" not in previous
    schedule_6_page = contents["Schedule 6 — Children's commissioned services"]
    assert "Schedule 6 · Version 1 · agreed 6 February 2018 · Page" in pages[schedule_6_page - 1]
    assert f"Page {schedule_6_page} of {len(pages)}" in pages[schedule_6_page - 1]
    # The variations record (Schedule 6 was added by variation 1, agreed by both parties) and a
    # signature block per party: the printed agreement is what gets signed.
    record = next(page for page in pages if page.startswith("Variations record"))
    assert "Variation 1: Adding Schedule 6" in record and "Schedule 6: version 1 (new)" in record
    assert "Cabinet Member Signing, 6 February 2018" in record
    assert "NHS Haringey CCG governing body" in record and "illustrative" in record
    signatures = next(page for page in pages if page.startswith("Signatures"))
    for party in ("Haringey Council", "NHS Haringey CCG"):
        assert f"{party} Signature Name Role Date" in signatures


def test_withdrawn_schedule_is_marked(haringey):
    from agreements.services.schedules import schedule_withdraw

    schedule_withdraw(schedule=haringey.schedules.get(number=1), expected_edit_count=None, user=None,
                      reason="Service ended")
    pages = pages_text(agreement_pack_pdf(haringey).content)
    contents = _contents(pages)
    withdrawn = [title for title in contents if title.startswith("Schedule 1 ")]
    assert withdrawn and "(Withdrawn)" in withdrawn[0]
    assert "Withdrawn" in pages[contents[withdrawn[0]] - 1]


def test_pack_annexes_the_terms_of_the_board_that_manages_the_agreement(demo, db):
    from agreements.models import Agreement

    agreement = Agreement.objects.get(reference="CAMBS-CHJC-S75-2014")
    pages = pages_text(agreement_pack_pdf(agreement).content)
    contents = _contents(pages)
    annexes = [title for title in contents if title.startswith("Annex A:")]
    assert annexes
    annex_page = pages[contents[annexes[0]] - 1]
    assert "1. Purpose and Remit" in annex_page
    assert "Terms of reference · Version 1" in annex_page
