"""Plain factories for tests: partners, agreements and schedules made through the services."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agreements.models import Agreement, Schedule
from agreements.services.agreements import agreement_create
from agreements.services.schedules import schedule_create
from governance.models import Board
from partnerships.models import Partner, PartnerKind, Profile, Role

_sequence = itertools.count(1)


def make_partner(*, kind: str = PartnerKind.LOCAL_AUTHORITY, name: str | None = None, **values: Any) -> Partner:
    n = next(_sequence)
    partner = Partner(
        name=name or f"Partner {n}", short_name=values.pop("short_name", f"P{n}"), kind=kind,
        code=values.pop("code", f"T{n:05d}"), **values,
    )
    partner.full_clean()
    partner.save()
    return partner


def make_council(**values: Any) -> Partner:
    return make_partner(kind=PartnerKind.LOCAL_AUTHORITY, **values)


def make_ccg(**values: Any) -> Partner:
    return make_partner(kind=PartnerKind.CCG, **values)


def make_agreement(
    *, partners: list[Partner] | None = None, reference: str | None = None, status: str = "draft", **fields: Any
) -> Agreement:
    partners = partners if partners is not None else [make_council(), make_ccg()]
    return agreement_create(
        document={
            "fields": {"title": "Test agreement", "reference": reference or f"TEST-{next(_sequence)}",
                       "status": status, **fields},
            "parties": [{"partner_id": p.pk, "role": "party"} for p in partners],
            "clauses": [],
        },
        reason="Test agreement",
    )


def schedule_fields(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Test services", "service_name": "Test services", "status": "draft",
        "lead_commissioning": True, **fields,
    }


def make_schedule(*, agreement: Agreement | None = None, user=None, reason: str = "Test schedule",
                  **document: Any) -> Schedule:
    agreement = agreement or make_agreement()
    fields = schedule_fields(**document.pop("fields", {}))
    return schedule_create(agreement=agreement, document={"fields": fields, **document}, user=user, reason=reason)


def make_user(username: str | None = None, *, partner: Partner | None = None, role: str = Role.COMMISSIONER, **values):
    user = get_user_model().objects.create_user(
        username=username or f"user-{next(_sequence)}", password="test-password", **values
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if partner is not None:
        Profile.objects.create(user=user, partner=partner)
    return user


def make_board(name: str | None = None, **values: Any) -> Board:
    board = Board(name=name or f"Board {next(_sequence)}", **values)
    board.full_clean()
    board.save()
    return board
