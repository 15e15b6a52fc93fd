"""Load the demo data in `fixtures/` through the services, so revisions, versions and history exist.

The fixtures hold the Haringey agreement (Schedule 6 exactly as signed on 6 February 2018; the
other schedules illustrative) with the joint commissioning group that manages it (named in the
seed; its terms of reference illustrative), the Cambridgeshire board with its terms of reference exactly as in
the Cabinet report of 15 April 2014, and their partners. Loading is safe to repeat: anything that
already exists (a partner's code, an agreement's reference, a board's name, a user name) is left
alone and reported as skipped, so a second load writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from agreements.models import Agreement
from agreements.services.agreements import agreement_agree, agreement_create
from agreements.services.schedules import schedule_agree, schedule_create
from documents.models import Decision, RevisionKind
from governance.models import Board, TermsOfReference
from governance.services import board_add_agreement, board_create, terms_approve, terms_create
from partnerships.models import Partner, Profile, Role

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-password-2026"
LONDON = ZoneInfo("Europe/London")
PARTNERS_REASON = "Loaded from the demo partners (fixtures/partners.json)"
BOARD_REASON = "Loaded from the Cambridgeshire Cabinet report of 15 April 2014 (fixtures/cambridgeshire.json)"

# username, first name, last name, partner code, group (a Role value), superuser
DEMO_USERS: list[tuple[str, str, str, str, str | None, bool]] = [
    ("haringey-commissioner", "Amina", "Okafor", "E09000014", Role.COMMISSIONER, False),
    ("haringey-legal", "Daniel", "Price", "E09000014", Role.LEGAL_OFFICER, False),
    ("haringey-finance", "Priya", "Shah", "E09000014", Role.FINANCE_OFFICER, False),
    ("haringey-viewer", "Tom", "Walsh", "E09000014", Role.VIEWER, False),
    ("cambridgeshire-commissioner", "Helen", "Brooks", "E10000003", Role.COMMISSIONER, False),
    ("admin", "Demo", "Administrator", "E09000014", None, True),
]


@dataclass
class DemoSummary:
    """What a load did: one line per part, and the sign-ins it offers."""

    messages: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    sign_ins: list[tuple[str, str]] = field(default_factory=list)

    def did(self, kind: str, message: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1
        self.messages.append(message)

    def skip(self, kind: str, message: str) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + 1
        self.messages.append(message)


def read_fixture(name: str, fixtures_dir: Path | None = None) -> dict[str, Any]:
    with open((fixtures_dir or FIXTURES_DIR) / name, encoding="utf-8") as handle:
        return json.load(handle)


def london_time(value: str) -> datetime:
    """A fixture's local date and time ("2018-02-06T10:00:00") as an aware Europe/London datetime."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def _partner_id(code: str | None) -> int | None:
    if code is None:
        return None
    return Partner.objects.only("id").get(code=code).pk


def _decision(data: dict[str, Any]) -> Decision:
    return Decision(
        body=data["body"], decided_on=date.fromisoformat(data["decided_on"]), reference=data.get("reference", ""),
        key_decision=data.get("key_decision", False), summary=data.get("summary", ""),
    )


# ----------------------------------------------------------------------------- partners


def load_partners(data: dict[str, Any], summary: DemoSummary) -> None:
    for item in data["partners"]:
        if Partner.objects.filter(code=item["code"]).exists() or Partner.objects.filter(name=item["name"]).exists():
            summary.skip("partner", f"Partner {item['name']} ({item['code']}) already exists: skipped.")
            continue
        partner = Partner(
            name=item["name"], short_name=item["short_name"], kind=item["kind"], code=item["code"],
            successor_id=_partner_id(item.get("successor")),
            active_from=date.fromisoformat(item["active_from"]) if item.get("active_from") else None,
            active_to=date.fromisoformat(item["active_to"]) if item.get("active_to") else None,
        )
        partner.full_clean()
        partner._change_reason = PARTNERS_REASON
        partner.save()
        summary.did("partner", f"Partner {partner.name} ({partner.code}) created.")


# ----------------------------------------------------------------------------- agreements and schedules


def agreement_document(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "fields": dict(data["fields"]),
        "parties": [{"partner_id": _partner_id(p["partner"]), "role": p["role"]} for p in data["parties"]],
        "clauses": [{"heading": c["heading"], "text": c["text"]} for c in data["clauses"]],
    }


def schedule_document(data: dict[str, Any]) -> dict[str, Any]:
    """A fixture's schedule in the shape `agreements.documents` uses (partners by code become ids)."""
    fields = dict(data["fields"])
    for name in ("lead_commissioner", "host"):
        fields[f"{name}_id"] = _partner_id(fields.pop(name, None))
    return {
        "fields": fields,
        **{name: [{"text": text} for text in data.get(name, [])] for name in ("aims", "outcomes", "strategy_documents", "kpis")},
        "risks": [{"risk": r["risk"], "mitigation": r["mitigation"]} for r in data.get("risks", [])],
        "specification": [
            {
                "heading": section["heading"],
                "paragraphs": [
                    {"text": p["text"], "list_items": p.get("list_items", "")} for p in section["paragraphs"]
                ],
            }
            for section in data.get("specification", [])
        ],
        "budget_lines": [
            {**{k: v for k, v in line.items() if k != "partner"}, "partner_id": _partner_id(line["partner"])}
            for line in data.get("budget_lines", [])
        ],
    }


def load_agreement(data: dict[str, Any], summary: DemoSummary) -> Agreement | None:
    """Create the agreement, agree it, then add and agree its schedules; skip it all if it exists."""
    spec = data["agreement"]
    reference = spec["fields"]["reference"]
    if Agreement.objects.filter(reference=reference).exists():
        summary.skip("agreement", f"Agreement {reference} already exists: skipped it and its schedules.")
        return None
    agreement = agreement_create(
        document=agreement_document(spec), reason=spec["reason"], created_at=london_time(spec["created_at"])
    )
    decision = _decision(spec["decision"])
    agreement_agree(agreement=agreement, decision=decision, agreed_at=london_time(spec["agreed_at"]))
    summary.did("agreement", f"Agreement {reference} created and agreed as version 1 ({decision}).")

    for item in data.get("schedules", []):
        schedule = schedule_create(
            agreement=agreement, document=schedule_document(item), reason=item["reason"],
            kind=RevisionKind.LOADED, created_at=london_time(item["created_at"]),
        )
        if "decision" in item:
            schedule_decision = _decision(item["decision"])
            agreed_at = london_time(item["agreed_at"])
        elif item.get("agree"):
            schedule_decision, agreed_at = decision, london_time(item["created_at"])
        else:
            schedule_decision = None
        if schedule_decision is not None:
            schedule_agree(schedule=schedule, decision=schedule_decision, agreed_at=agreed_at)
        summary.did(
            "schedule",
            f"  Schedule {schedule.number}: {schedule.title}"
            + (f" (agreed as version 1: {schedule_decision})" if schedule_decision else ""),
        )
    return agreement


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
                "role": m["role"], "organisation_id": _partner_id(m.get("organisation")),
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
    decision = _decision(spec["decision"])
    terms_approve(terms=terms, decision=decision, approved_at=london_time(spec["approved_at"]))
    summary.did("terms", f"Terms of reference of {board.name} created and approved as version 1 ({decision}).")
    return terms


# ----------------------------------------------------------------------------- sign-ins


def load_users(summary: DemoSummary, password: str = DEMO_PASSWORD) -> None:
    User = get_user_model()
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    for username, first_name, last_name, partner_code, role, superuser in DEMO_USERS:
        summary.sign_ins.append((username, str(Role(role).label) if role else "Superuser (admin)"))
        if User.objects.filter(username=username).exists():
            summary.skip("user", f"User {username} already exists: skipped (password unchanged).")
            continue
        email = f"{username}@example.org"
        if superuser:
            user = User.objects.create_superuser(
                username=username, email=email, password=password, first_name=first_name, last_name=last_name
            )
        else:
            user = User.objects.create_user(
                username=username, email=email, password=password, first_name=first_name, last_name=last_name
            )
        if role:
            user.groups.add(groups[role])
        profile = Profile(user=user, partner=Partner.objects.get(code=partner_code))
        profile._change_reason = "Demo sign-in"
        profile.save()
        summary.did("user", f"User {username} created.")


# ----------------------------------------------------------------------------- all of it


@transaction.atomic
def load_demo_data(*, fixtures_dir: Path | None = None) -> DemoSummary:
    """Load every part of the demo in one transaction; what already exists is skipped."""
    summary = DemoSummary()
    load_partners(read_fixture("partners.json", fixtures_dir), summary)

    haringey = read_fixture("haringey.json", fixtures_dir)
    load_agreement(haringey, summary)
    load_boards(haringey, summary)
    link_boards(haringey, summary)
    load_terms(haringey, summary)

    cambridgeshire = read_fixture("cambridgeshire.json", fixtures_dir)
    load_boards(cambridgeshire, summary)
    load_agreement(cambridgeshire, summary)
    link_boards(cambridgeshire, summary)
    load_terms(cambridgeshire, summary)

    load_users(summary)
    return summary
