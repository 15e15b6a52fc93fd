"""Turn a terms of reference dict (live, a version or as it stood on a date) into display context.

Pages and PDFs both render through `present_terms`, so the terms read the same everywhere. The
section numbers are computed here, in the order the Cambridgeshire terms use; duty, reporting
line and financial item labels are shown exactly as stored (Cambridgeshire has no duty 2.10).
`TERMS` and `BOARD` at the end tell the kernel (`documents.registry`, registered in
`GovernanceConfig.ready`) how the history pages present the terms and the boards themselves, and
how their changes are labelled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents.diffing import show_partner
from documents.registry import DocumentType, ListLabel
from governance.models import (
    AccountabilityLine,
    Board,
    Duty,
    FinancialGovernanceItem,
    Member,
    RemitItem,
    TermsOfReference,
    TermsSection,
    TermsStatus,
)
from governance.rebuild import rebuild_board, rebuild_terms
from partnerships.access import Capability

CHAIR_TO_BE_CONFIRMED = "To be confirmed"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _member(member: dict[str, Any]) -> dict[str, Any]:
    organisation = member.get("organisation") or ""
    role = member["role"]
    # The printed list reads as the terms were written: the role, as worded there.
    line = role
    return {
        "role": role,
        "organisation": organisation,
        "voting": member.get("voting", True),
        "substitute": member.get("substitute", ""),
        "line": line,
    }


def present_terms(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Everything the terms hold, as numbered sections in the order they are printed.

    Each section is ``{"number", "heading", "kind", ...}`` where kind is one of:
    ``text`` (``text`` in the simple text format), ``labelled`` (``items`` of label and text,
    for duties, reporting lines and financial governance), ``members`` (``members`` and
    ``subsections`` such as "5.1. The Chair") or ``list`` (``items`` of plain text).
    """
    fields = snapshot["fields"]
    sections: list[dict[str, Any]] = []

    def add(heading: str, kind: str, edit: str, **content: Any) -> None:
        # `edit`: the section page (governance.sections) that changes what this printed section holds.
        sections.append({"number": len(sections) + 1, "heading": heading, "kind": kind, "edit": edit, **content})

    add("Purpose and Remit", "text", "purpose", text=fields.get("purpose") or "")
    add(
        "Objectives/Tasks and Duties", "labelled", "duties",
        items=[{"label": d["label"], "text": d["text"]} for d in snapshot.get("duties", [])],
    )
    add(
        "Accountability", "labelled", "accountability",
        items=[
            {"label": a["label"], "text": a["text"], "reports_to": a.get("reports_to") or "",
             "frequency": a.get("frequency") or ""}
            for a in snapshot.get("accountability_lines", [])
        ],
    )
    add(
        "Financial Governance", "labelled", "financial",
        items=[{"label": f["label"], "text": f["text"]} for f in snapshot.get("financial_items", [])],
    )

    members_number = len(sections) + 1
    chair = (fields.get("chair") or "").strip()
    subsections = [{"heading": "The Chair", "text": chair or CHAIR_TO_BE_CONFIRMED}]
    if (fields.get("vice_chair") or "").strip():
        subsections.append({"heading": "The Vice-Chair", "text": fields["vice_chair"].strip()})
    if (fields.get("quorum") or "").strip():
        subsections.append({"heading": "Quorum", "text": fields["quorum"].strip()})
    for index, subsection in enumerate(subsections, start=1):
        subsection["label"] = f"{members_number}.{index}."
    add("Members", "members", "members", members=[_member(m) for m in snapshot.get("members", [])], subsections=subsections)

    for other in snapshot.get("other_sections", []):
        add(other["heading"], "text", "other-sections", text=other["body"])

    add("Frequency of meetings", "text", "meetings", text=fields.get("meeting_frequency") or "")
    if (fields.get("resources") or "").strip():
        add("Resources Implications", "text", "meetings", text=fields["resources"])
    remit = snapshot.get("remit_items", [])
    included = [r["text"] for r in remit if r["included"]]
    excluded = [r["text"] for r in remit if not r["included"]]
    if included:
        add("What will be included within the remit of Joint Commissioning", "list", "remit", items=included)
    if excluded:
        add("What will not be included under the Joint Commissioning remit", "list", "remit", items=excluded)

    board = snapshot.get("board", {})
    return {
        "id": snapshot.get("id"),
        "title": fields.get("title") or "Terms of reference",
        "board_name": board.get("name", ""),
        "board_short_name": board.get("short_name", ""),
        "status": fields.get("status", ""),
        "status_label": dict(TermsStatus.choices).get(fields.get("status", ""), fields.get("status", "")),
        "chair": chair or CHAIR_TO_BE_CONFIRMED,
        "chair_confirmed": bool(chair),
        "review_due": _date(fields.get("review_due")),
        "sections": sections,
    }


TERMS = DocumentType(
    kind="terms",
    present=present_terms,
    body_template="governance/includes/terms_body.html",
    agree_capability=Capability.APPROVE_TERMS,
    field_labels={
        "title": "Title", "status": "Status", "purpose": "Purpose and remit", "chair": "Chair",
        "vice_chair": "Vice-chair", "quorum": "Quorum", "meeting_frequency": "Frequency of meetings",
        "resources": "Resources", "review_due": "Review due",
    },
    lists={
        "duties": ListLabel("Duties"),
        "accountability_lines": ListLabel("Accountability and reporting"),
        "financial_items": ListLabel("Financial governance"),
        "members": ListLabel("Members"),
        "remit_items": ListLabel("Remit"),
        "other_sections": ListLabel("Other sections"),
    },
    item_field_labels={
        "label": "Label", "text": "Text", "reports_to_id": "Reports to", "reports_to_name": "Reports to",
        "frequency": "Frequency", "role": "Role", "organisation_id": "Organisation",
        "organisation_name": "Organisation", "voting": "Voting", "substitute": "Substitute",
        "included": "Within the remit", "heading": "Heading", "body": "Text",
    },
    model=TermsOfReference,
    list_models={
        "duties": Duty, "accountability_lines": AccountabilityLine, "financial_items": FinancialGovernanceItem,
        "members": Member, "remit_items": RemitItem, "other_sections": TermsSection,
    },
    display={"organisation_id": show_partner},
    hidden_item_keys=frozenset({"reports_to", "organisation"}),  # names shown on pages, diffed by their id and name
    agreed_word="approved",
    agree_verb="approve",
    this_name="These terms of reference",
    rebuild=rebuild_terms,
)


# ----------------------------------------------------------------------------- boards


def present_board(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A board as it stood (now, or at an entry of its history): what its page's summary shows."""
    fields = snapshot["fields"]
    reports_to_id = fields.get("reports_to_id")
    return {
        "id": snapshot.get("id"),
        "name": fields.get("name", ""),
        "short_name": fields.get("short_name", ""),
        "description": fields.get("description", ""),
        "reports_to": show_board(reports_to_id, snapshot) if reports_to_id else "",
        "agreements": [{"reference": a["reference"], "title": a["title"]} for a in snapshot.get("agreements", [])],
    }


def show_board(value: Any, doc: dict[str, Any]) -> str:
    """A board id as the board's name, from the document's own ``boards``."""
    entry = doc.get("boards", {}).get(str(value))
    return entry["name"] if entry else f"board {value}"


BOARD = DocumentType(
    kind="board",
    present=present_board,
    body_template="governance/includes/board_body.html",
    agree_capability=Capability.EDIT_GOVERNANCE,  # a board is never agreed: this is who may restore it
    field_labels={"name": "Name", "short_name": "Short name", "reports_to_id": "Reports to", "description": "Description"},
    lists={"agreements": ListLabel("Agreements it manages", name=lambda item, doc: item["reference"])},
    model=Board,
    display={"reports_to_id": show_board},
    hidden_item_keys=frozenset({"reference", "title"}),  # shown on pages; an agreement is added or removed, by id
    this_name="This board",
    rebuild=rebuild_board,
)
