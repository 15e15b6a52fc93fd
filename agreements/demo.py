"""Load the demo partners, agreements and sign-ins in `fixtures/` through the services, so
revisions, versions and history exist.

The fixtures hold the Haringey agreement (Schedule 6 exactly as signed on 6 February 2018; the
other schedules illustrative), the Cambridgeshire agreement, and their partners. The boards and
terms of reference in the same fixtures are governance's to load (`governance/demo.py`, which
loads this part first and uses the helpers here). Loading is safe to repeat: anything that
already exists (a partner's code, an agreement's reference, a user name) is left alone and
reported as skipped, so a second load writes nothing.
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

from agreements.models import Agreement, Variation
from agreements.services.agreements import agreement_agree, agreement_create
from agreements.services.schedules import schedule_agree, schedule_create
from agreements.services.variations import variation_decide, variation_propose
from documents.models import Decision, RevisionKind
from partnerships.models import LOCAL_AUTHORITY_KINDS, Partner, PartnerSignInRule, Profile, Role, RoleSignInRule

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-password-2026"
LONDON = ZoneInfo("Europe/London")
PARTNERS_REASON = "Loaded from the demo partners (fixtures/partners.json)"
# The fixtures with an agreement (and, for governance, its boards and terms), in loading order.
DEMO_FIXTURES = ("haringey.json", "cambridgeshire.json")

# username, first name, last name, partner code, group (a Role value), superuser
DEMO_USERS: list[tuple[str, str, str, str, str | None, bool]] = [
    ("haringey-commissioner", "Amina", "Okafor", "E09000014", Role.COMMISSIONER, False),
    ("haringey-legal", "Daniel", "Price", "E09000014", Role.LEGAL_OFFICER, False),
    ("haringey-finance", "Priya", "Shah", "E09000014", Role.FINANCE_OFFICER, False),
    ("haringey-viewer", "Tom", "Walsh", "E09000014", Role.VIEWER, False),
    ("haringey-ccg-legal", "Grace", "Mensah", "07M", Role.LEGAL_OFFICER, False),
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


def partner_id_for(code: str | None) -> int | None:
    """The id of the partner a fixture names by code (fixtures name partners, documents hold ids)."""
    if code is None:
        return None
    return Partner.objects.only("id").get(code=code).pk


def decision_from(data: dict[str, Any]) -> Decision:
    """A fixture's decision (body, date, reference, summary) as the unsaved Decision an agree records."""
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
            successor_id=partner_id_for(item.get("successor")),
            active_from=date.fromisoformat(item["active_from"]) if item.get("active_from") else None,
            active_to=date.fromisoformat(item["active_to"]) if item.get("active_to") else None,
        )
        partner.full_clean()
        partner._change_reason = PARTNERS_REASON
        partner.save()
        summary.did("partner", f"Partner {partner.name} ({partner.code}) created.")
    load_sign_in_rules(data.get("sign_in_rules", {}), summary)


def load_sign_in_rules(data: dict[str, Any], summary: DemoSummary) -> None:
    """Demo rules for sign-in with the organisation's account (used only when OIDC_* are set)."""
    for item in data.get("partners", []):
        rule = PartnerSignInRule(match=item["match"], value=item["value"], partner_id=partner_id_for(item["partner"]))
        if PartnerSignInRule.objects.filter(match=rule.match, value=rule.value).exists():
            summary.skip("sign-in rule", f"Sign-in rule {rule.value} already exists: skipped.")
            continue
        rule.full_clean()
        rule.save()
        summary.did("sign-in rule", f"Sign-in rule {rule.value} created.")
    for item in data.get("roles", []):
        if RoleSignInRule.objects.filter(group=item["group"], role=item["role"]).exists():
            summary.skip("sign-in rule", f"Sign-in rule {item['group']} already exists: skipped.")
            continue
        rule = RoleSignInRule(group=item["group"], role=item["role"])
        rule.full_clean()
        rule.save()
        summary.did("sign-in rule", f"Sign-in rule {rule.group} created.")


# ----------------------------------------------------------------------------- agreements and schedules


def agreement_document(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "fields": dict(data["fields"]),
        "parties": [{"partner_id": partner_id_for(p["partner"]), "role": p["role"]} for p in data["parties"]],
        "clauses": [{"heading": c["heading"], "text": c["text"]} for c in data["clauses"]],
    }


def schedule_document(data: dict[str, Any]) -> dict[str, Any]:
    """A fixture's schedule in the shape `agreements.snapshots` uses (partners by code become ids)."""
    fields = dict(data["fields"])
    for name in ("lead_commissioner", "host"):
        fields[f"{name}_id"] = partner_id_for(fields.pop(name, None))
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
            {**{k: v for k, v in line.items() if k != "partner"}, "partner_id": partner_id_for(line["partner"])}
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
    decision = decision_from(spec["decision"])
    agreement_agree(agreement=agreement, decision=decision, agreed_at=london_time(spec["agreed_at"]))
    summary.did("agreement", f"Agreement {reference} created and agreed as version 1 ({decision}).")

    for item in data.get("schedules", []):
        schedule = schedule_create(
            agreement=agreement, document=schedule_document(item), reason=item["reason"],
            kind=RevisionKind.LOADED, created_at=london_time(item["created_at"]),
        )
        if "decision" in item:  # added later by a variation every party agreed
            schedule_decision = decision_from(item["decision"])
            variation = vary_by_every_party(agreement, schedule, schedule_decision, london_time(item["agreed_at"]))
            summary.did("schedule", f"  Schedule {schedule.number}: {schedule.title} (added by variation {variation.number}, agreed "
                                    f"by every party: {schedule_decision})")
            continue
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


def vary_by_every_party(agreement: Agreement, schedule, decision: Decision, agreed_at: datetime) -> Variation:
    """Add `schedule` by variation 1: the other parties' decisions first (illustrative, as the seed
    papers give only the council's), then `decision`, the one the seed records, which takes effect."""
    variation = variation_propose(
        agreement=agreement, title=f"Adding Schedule {schedule.number}: {schedule.title}",
        summary=decision.summary or f"Adds Schedule {schedule.number} to the agreement.",
        effective_date=agreed_at.date(), documents=[schedule], user=None, proposed_at=agreed_at,
    )
    deciding = Partner.objects.filter(parties__agreement=agreement).exclude(kind__in=LOCAL_AUTHORITY_KINDS)
    for partner in deciding:
        variation_decide(
            variation=variation, partner=partner, user=None, expected_edit_count=None, illustrative=True,
            recorded_at=agreed_at,
            decision=Decision(
                body=f"{partner.name} governing body", decided_on=agreed_at.date(), key_decision=True,
                summary="Illustrative: the seed papers do not record this party's decision.",
            ),
        )
    council = Partner.objects.filter(parties__agreement=agreement, kind__in=LOCAL_AUTHORITY_KINDS).first()
    variation_decide(variation=variation, partner=council, user=None, expected_edit_count=None, decision=decision,
                     recorded_at=agreed_at)
    return variation


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
def load_agreements_demo(*, fixtures_dir: Path | None = None, summary: DemoSummary | None = None) -> DemoSummary:
    """Load the demo partners, agreements with their schedules, and sign-ins, in one transaction."""
    summary = summary if summary is not None else DemoSummary()
    load_partners(read_fixture("partners.json", fixtures_dir), summary)
    for name in DEMO_FIXTURES:
        load_agreement(read_fixture(name, fixtures_dir), summary)
    load_users(summary)
    return summary


# Parts of the demo loaded by apps above agreements, after governance's (registered from their
# AppConfig.ready(), so neither agreements nor governance imports them): loader(*, summary, fixtures_dir).
_DEMO_PARTS: list = []


def register_demo_part(loader) -> None:
    if loader not in _DEMO_PARTS:
        _DEMO_PARTS.append(loader)


def load_registered_demo_parts(*, summary: DemoSummary, fixtures_dir: Path | None = None) -> DemoSummary:
    for loader in _DEMO_PARTS:
        loader(summary=summary, fixtures_dir=fixtures_dir)
    return summary
