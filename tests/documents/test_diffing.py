"""Unit tests of `documents.diffing`: what a legal officer reads about a change between two states."""

from __future__ import annotations

import copy
import re
from html import unescape

from documents.diffing import diff_documents, word_diff

LONG_OLD = "Haringey CCG will commission on behalf of itself and the council a range of services for 0-19 year olds."
LONG_NEW = "Haringey CCG will commission on behalf of the council a wide range of services for 0-25 year olds."


def document(**overrides):
    doc = {
        "type": "schedule",
        "id": 6,
        "fields": {"title": "Children's commissioned services", "service_type": "CCG lead commissioner",
                   "pooled_fund": False, "services": LONG_OLD},
        "partners": {"1": {"name": "Haringey Council", "short_name": "LBH", "kind": "local_authority"}},
        "aims": [],
        "outcomes": [
            {"id": 11, "text": "Improved access"},
            {"id": 12, "text": "Improved quality"},
            {"id": 13, "text": "Fewer admissions"},
            {"id": 14, "text": "Better transitions"},
        ],
        "strategy_documents": [],
        "kpis": [],
        "risks": [{"id": 21, "risk": "Overspend", "mitigation": "Monthly monitoring"}],
        "specification": [],
        "budget_lines": [],
    }
    doc.update(overrides)
    return doc


def only_list(diff, label):
    [changes] = [changes for changes in diff.lists if changes.label == label]
    return changes.items


def visible_text(html: str) -> str:
    """What a sighted reader sees: the markup without the visually hidden words."""
    shown = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", html)
    return unescape(re.sub(r"<[^>]+>", "", shown))


def test_identical_documents_have_no_differences():
    diff = diff_documents(document(), document())
    assert diff.empty
    assert diff.fields == [] and diff.lists == []


def test_fields_show_old_and_new_with_labels():
    new = document()
    new["fields"] = {**new["fields"], "service_type": "Council lead commissioner", "pooled_fund": True}
    diff = diff_documents(document(), new)
    assert [(f.label, f.old, f.new) for f in diff.fields] == [
        ("Type of service", "CCG lead commissioner", "Council lead commissioner"),
        ("Pooled fund", "No", "Yes"),
    ]
    assert diff.lists == []


def test_blank_values_read_as_blank():
    new = document()
    new["fields"] = {**new["fields"], "service_type": ""}
    [change] = diff_documents(document(), new).fields
    assert (change.old, change.new) == ("CCG lead commissioner", "(blank)")


def test_long_text_fields_get_a_word_diff():
    new = document()
    new["fields"] = {**new["fields"], "services": LONG_NEW}
    [change] = diff_documents(document(), new).fields
    assert change.label == "The services"
    assert change.words is not None
    assert "<del>" in change.words and "<ins>" in change.words
    # Short fields are shown old → new, not word by word.
    short = document()
    short["fields"] = {**short["fields"], "title": "Children's services"}
    [title] = diff_documents(document(), short).fields
    assert title.words is None


def test_added_removed_and_changed_items_are_matched_by_id():
    new = document()
    new["outcomes"] = [
        {"id": 11, "text": "Improved access"},
        {"id": 12, "text": "Improved quality of services"},  # changed
        {"id": 14, "text": "Better transitions"},  # 13 removed
        {"id": 15, "text": "More children seen"},  # added
    ]
    diff = diff_documents(document(), new)
    items = only_list(diff, "Outcomes")
    assert sorted((item.kind, item.name) for item in items) == [
        ("added", "More children seen"),
        ("changed", "Improved quality"),
        ("removed", "Fewer admissions"),
    ]
    changed = next(item for item in items if item.kind == "changed")
    assert [(f.label, f.old, f.new) for f in changed.fields] == [
        ("Text", "Improved quality", "Improved quality of services")
    ]
    assert diff.counts == {"added": 1, "removed": 1, "changed": 1, "moved": 0}
    assert diff.fields == []


def test_numbered_lists_give_places():
    new = document()
    new["outcomes"] = [*document()["outcomes"], {"id": 15, "text": "More children seen"}]
    [added] = only_list(diff_documents(document(), new), "Outcomes")
    assert (added.kind, added.new_place) == ("added", 5)
    # Risks are not numbered: no places.
    new = document()
    new["risks"] = []
    [removed] = only_list(diff_documents(document(), new), "Risks and mitigations")
    assert (removed.kind, removed.name, removed.old_place) == ("removed", "Overspend", None)


def test_a_moved_item_is_moved_not_removed_and_added():
    new = document()
    outcomes = copy.deepcopy(document()["outcomes"])
    new["outcomes"] = [outcomes[3], outcomes[0], outcomes[1], outcomes[2]]  # 14 moved to the top
    items = only_list(diff_documents(document(), new), "Outcomes")
    assert [(item.kind, item.name, item.old_place, item.new_place) for item in items] == [
        ("moved", "Better transitions", 4, 1)
    ]


def test_a_moved_and_changed_item_is_reported_as_both():
    new = document()
    outcomes = copy.deepcopy(document()["outcomes"])
    outcomes[3]["text"] = "Better transitions to adult services"
    new["outcomes"] = [outcomes[3], outcomes[0], outcomes[1], outcomes[2]]
    items = only_list(diff_documents(document(), new), "Outcomes")
    assert sorted(item.kind for item in items) == ["changed", "moved"]
    assert not any(item.kind in ("added", "removed") for item in items)


def test_changed_risk_lists_only_the_changed_field():
    new = document()
    new["risks"] = [{"id": 21, "risk": "Overspend", "mitigation": "Weekly monitoring"}]
    [item] = only_list(diff_documents(document(), new), "Risks and mitigations")
    assert item.kind == "changed"
    assert [(f.label, f.old, f.new) for f in item.fields] == [("Mitigation", "Monthly monitoring", "Weekly monitoring")]


def test_specification_paragraphs_are_diffed_inside_their_section():
    old = document(specification=[{"id": 31, "heading": "Governance", "paragraphs": [
        {"id": 41, "text": "The board meets quarterly.", "list_items": ""},
        {"id": 42, "text": "Minutes are published.", "list_items": ""},
    ]}])
    new = document(specification=[{"id": 31, "heading": "Governance", "paragraphs": [
        {"id": 41, "text": "The board meets monthly.", "list_items": ""},
        {"id": 43, "text": "Reports go to Cabinet.", "list_items": ""},
    ]}])
    items = only_list(diff_documents(old, new), "Outline specification sections")
    assert sorted((item.kind, item.name) for item in items) == [
        ("added", "Paragraph 1.2: Reports go to Cabinet."),
        ("changed", "Paragraph 1.1: The board meets quarterly."),
        ("removed", "Paragraph 1.2: Minutes are published."),
    ]


def test_budget_lines_are_named_and_amounts_shown_as_money():
    line = {"id": 51, "service": "Health visiting", "partner_id": 1, "financial_year": 2018,
            "budget_type": "aligned", "amount": "4388588.00", "status": "confirmed",
            "ring_fenced_public_health": True, "notes": ""}
    new = document(budget_lines=[{**line, "amount": "4400000.00"}])
    [item] = only_list(diff_documents(document(budget_lines=[line]), new), "Budget lines")
    assert item.kind == "changed"
    assert item.name.startswith("Health visiting · Haringey Council · 2018")
    [amount] = item.fields
    assert amount.label == "Amount"
    assert (amount.old, amount.new) == ("£4,388,588", "£4,400,000")


def test_a_created_document_lists_everything_as_new():
    diff = diff_documents(None, document())
    assert {f.label for f in diff.fields} >= {"Title", "Type of service"}
    assert all(item.kind == "added" for changes in diff.lists for item in changes.items)
    assert diff.counts["added"] == 5


def test_word_diff_marks_insertions_and_deletions_with_hidden_words():
    html = word_diff("the board meets quarterly in public", "the board meets monthly in public")
    assert '<del><span class="govuk-visually-hidden">[deleted: </span>quarterly' in html
    assert '<ins><span class="govuk-visually-hidden">[inserted: </span>monthly' in html
    # Unchanged words are plain text, outside del and ins.
    assert html.startswith("the board meets ")
    assert html.endswith(" in public")
    # A sighted reader sees old and new words; a screen reader hears which is which.
    assert visible_text(html) == "the board meets quarterlymonthly in public"
    assert "[deleted: " in unescape(re.sub(r"<[^>]+>", "", html))
    assert "[inserted: " in unescape(re.sub(r"<[^>]+>", "", html))


def test_word_diff_pure_insertion_and_deletion():
    inserted = word_diff("services for children", "services for children and young people")
    assert "<del>" not in inserted
    assert "[inserted: </span> and young people" in inserted
    deleted = word_diff("services for children and young people", "services for children")
    assert "<ins>" not in deleted
    assert "[deleted: </span> and young people" in deleted


def test_word_diff_escapes_html():
    html = word_diff("a <b> & c", "a <i> & c")
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;" in html and "&lt;i&gt;" in html and "&amp;" in html


def test_word_diff_of_equal_text_is_the_text():
    assert word_diff("same words here", "same words here") == "same words here"
