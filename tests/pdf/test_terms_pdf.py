"""Terms of reference PDF: faithful to the Cambridgeshire terms, sections 1–10, duties as labelled."""

from __future__ import annotations

import pytest

from governance.pdf import terms_pdf
from governance.presenters import present_terms
from tests.pdf.conftest import assert_in_order, pages_text


@pytest.fixture
def board(demo, db):
    from governance.models import Board

    return Board.objects.get(terms__isnull=False, name__startswith="Cambridgeshire Children")


def test_sections_are_numbered_as_in_the_seed(board):
    from governance.snapshots import terms_snapshot_by_id

    sections = present_terms(terms_snapshot_by_id(board.terms.pk))["sections"]
    assert [(s["number"], s["heading"]) for s in sections] == [
        (1, "Purpose and Remit"), (2, "Objectives/Tasks and Duties"), (3, "Accountability"),
        (4, "Financial Governance"), (5, "Members"), (6, "Link with Local Commissioning Groups"),
        (7, "Frequency of meetings"), (8, "Resources Implications"),
        (9, "What will be included within the remit of Joint Commissioning"),
        (10, "What will not be included under the Joint Commissioning remit"),
    ]


def test_terms_pdf_lists_duties_as_labelled_and_the_chair_to_be_confirmed(board):
    pdf = terms_pdf(board)
    text = " ".join(pages_text(pdf.content))
    labels = [f"2.{n}" for n in [*range(1, 10), *range(11, 16)]]
    assert_in_order(text, ["2. Objectives/Tasks and Duties", *[f"{label} " for label in labels], "3. Accountability"])
    assert "2.10" not in text
    assert_in_order(text, [
        "1. Purpose and Remit", "3.1", "4. Financial Governance", "4.3", "5. Members", "Children's Lead Member",
        "5.1. The Chair", "To be confirmed", "6. Link with Local Commissioning Groups", "7. Frequency of meetings",
        "The CCHJB will meet every other month.", "8. Resources Implications", "8.1 Accommodation",
        "9. What will be included", "The Looked After Children Health Team", "10. What will not be included",
        "Children's acute and maternity services",
    ])
    assert "Terms of reference · Version 1 · approved" in text
    assert "Page 1 of" in text


def test_terms_pdf_lists_each_member_with_organisation_and_voting_status(board):
    from governance.snapshots import terms_snapshot_by_id

    members = present_terms(terms_snapshot_by_id(board.terms.pk))["sections"][4]["members"]
    assert members and any(member["organisation"] for member in members)
    text = " ".join(" ".join(pages_text(terms_pdf(board).content)).split())
    assert_in_order(text, ["5. Members", "Member Organisation Voting Substitute"])
    for member in members:
        row = " ".join(f"{member['line']} {member['organisation'] or 'Not recorded'} "
                       f"{'Voting' if member['voting'] else 'Non-voting'}".split())
        assert row in text, row
