"""The parts of a board's terms of reference edited one at a time from the terms page, in the order
the terms print them (`governance.presenters.present_terms` names each printed section's part)."""

from __future__ import annotations

from typing import Any

from documents.sections import Section, section_links

TERMS_SECTIONS = (
    Section("purpose", "Title, purpose and remit", fields=("title", "purpose")),
    Section("duties", "Objectives, tasks and duties", lists=("duties",)),
    Section("accountability", "Accountability and reporting lines", lists=("accountability_lines",)),
    Section("financial", "Financial governance", lists=("financial_items",)),
    Section("members", "Members, chair and quorum", fields=("chair", "vice_chair", "quorum"), lists=("members",)),
    Section("other-sections", "Other sections", lists=("other_sections",)),
    Section("meetings", "Meetings and resources", fields=("meeting_frequency", "resources")),
    Section("remit", "What is and is not within the remit", lists=("remit_items",)),
    Section("review", "Review date", fields=("review_due",)),
)


def terms_change_links(board, doc: dict[str, Any]) -> dict[str, Any]:
    """Each printed section's "Change" address (set on the section as `change_url`), the review
    date's, and the parts with nothing recorded yet, which have no printed section to link from."""
    links = section_links(TERMS_SECTIONS, "terms_section_edit", [board.pk])
    printed = set()
    for section in doc["sections"]:
        section["change_url"] = links[section["edit"].replace("-", "_")]
        printed.add(section["edit"])
    return {
        "review": links["review"],
        "empty": [(part.title, links[part.slug.replace("-", "_")]) for part in TERMS_SECTIONS
                  if part.slug not in printed and part.slug != "review"],
    }
