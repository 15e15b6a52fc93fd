"""Load the demo boards and terms of reference in `fixtures/`, after agreements' part of the demo.

The fixtures hold the joint commissioning group managing the Haringey agreement (named in the
seed; its terms of reference illustrative) and the Cambridgeshire boards, with the joint
commissioning board's terms of reference exactly as in the Cabinet report of 15 April 2014.
`load_demo_data` loads the whole demo: agreements' partners, agreements and sign-ins
(`agreements/demo.py`), then the boards, the agreements they manage and their terms, through
governance's services so revisions and versions exist. Safe to repeat: a board that exists (by
name) or terms that exist are skipped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from agreements.demo import (
    DEMO_FIXTURES,
    DemoSummary,
    decision_from,
    load_agreements_demo,
    load_registered_demo_parts,
    london_time,
    partner_id_for,
    read_fixture,
)
from agreements.models import Agreement
from governance.models import Board, MeetingSchedule, TermsOfReference
from governance.services import board_add_agreement, board_create, meeting_schedule_set, terms_approve, terms_create

BOARD_REASON = "Loaded from the Cambridgeshire Cabinet report of 15 April 2014 (fixtures/cambridgeshire.json)"


# ----------------------------------------------------------------------------- boards and terms of reference


def load_boards(data: dict[str, Any], summary: DemoSummary) -> None:
    for item in data.get("boards", []):
        board = Board.objects.filter(name=item["name"]).first()
        if board is not None:
            summary.skip("board", f"Board {item['name']} already exists: skipped.")
            continue
        board = board_create(
            name=item["name"], short_name=item.get("short_name", ""), description=item.get("description", ""),
            reports_to=Board.objects.get(name=item["reports_to"]) if item.get("reports_to") else None,
            reason=BOARD_REASON,
        )
        summary.did("board", f"Board {board.name} created.")


def link_boards(data: dict[str, Any], summary: DemoSummary) -> None:
    for item in data.get("boards", []):
        board = Board.objects.get(name=item["name"])
        for reference in item.get("agreements", []):
            agreement = Agreement.objects.get(reference=reference)
            if not board.agreements.filter(pk=agreement.pk).exists():
                board_add_agreement(board=board, agreement=agreement, reason=BOARD_REASON)
                summary.messages.append(f"Board {board.name} manages agreement {reference}.")


def load_meetings(data: dict[str, Any], summary: DemoSummary) -> None:
    """Each board's meeting schedule, where the fixture gives one and the board has none yet."""
    for item in data.get("boards", []):
        spec = item.get("meetings")
        board = Board.objects.get(name=item["name"])
        if not spec or MeetingSchedule.objects.filter(board=board).exists():
            continue
        meeting_schedule_set(
            board=board, first_meeting=date.fromisoformat(spec["first_meeting"]), every_months=spec["every_months"],
            changes=[(date.fromisoformat(c["scheduled_for"]), date.fromisoformat(c["moved_to"]) if c.get("moved_to") else None)
                     for c in spec.get("changes", [])],
            reason=BOARD_REASON,
        )
        summary.messages.append(f"Board {board.name} meets every {spec['every_months']} months.")


def terms_document(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "fields": dict(spec["fields"]),
        "duties": [dict(d) for d in spec["duties"]],
        "accountability_lines": [
            {
                **{k: v for k, v in line.items() if k != "reports_to"},
                "reports_to_id": Board.objects.get(name=line["reports_to"]).pk if line.get("reports_to") else None,
            }
            for line in spec["accountability_lines"]
        ],
        "financial_items": [dict(f) for f in spec["financial_items"]],
        "members": [
            {
                "role": m["role"], "organisation_id": partner_id_for(m.get("organisation")),
                "organisation_name": m.get("organisation_name", ""), "voting": m.get("voting", True),
                "substitute": m.get("substitute", ""),
            }
            for m in spec["members"]
        ],
        "remit_items": [dict(r) for r in spec["remit_items"]],
        "other_sections": [dict(s) for s in spec.get("other_sections", [])],
    }


def load_terms(data: dict[str, Any], summary: DemoSummary) -> TermsOfReference | None:
    spec = data["terms"]
    board = Board.objects.get(name=spec["board"])
    if TermsOfReference.objects.filter(board=board).exists():
        summary.skip("terms", f"Terms of reference of {board.name} already exist: skipped.")
        return None
    terms = terms_create(
        board=board, document=terms_document(spec), reason=spec["reason"], created_at=london_time(spec["created_at"])
    )
    decision = decision_from(spec["decision"])
    terms_approve(terms=terms, decision=decision, approved_at=london_time(spec["approved_at"]))
    summary.did("terms", f"Terms of reference of {board.name} created and approved as version 1 ({decision}).")
    return terms


# ----------------------------------------------------------------------------- all of it


def load_governance_demo(*, fixtures_dir: Path | None = None, summary: DemoSummary | None = None) -> DemoSummary:
    """Load the boards, link them to the agreements they manage, then their terms; agreements must exist."""
    summary = summary if summary is not None else DemoSummary()
    for name in DEMO_FIXTURES:
        data = read_fixture(name, fixtures_dir)
        load_boards(data, summary)
        link_boards(data, summary)
        load_meetings(data, summary)
        load_terms(data, summary)
    return summary


@transaction.atomic
def load_demo_data(*, fixtures_dir: Path | None = None) -> DemoSummary:
    """Load every part of the demo in one transaction: agreements' part, then governance's."""
    summary = load_agreements_demo(fixtures_dir=fixtures_dir)
    summary = load_governance_demo(fixtures_dir=fixtures_dir, summary=summary)
    return load_registered_demo_parts(summary=summary, fixtures_dir=fixtures_dir)  # budgets' monitoring
