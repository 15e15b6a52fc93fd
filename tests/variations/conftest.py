"""Fixtures for variations: a two-party agreement with a drafted schedule, and each party's staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from agreements.models import Agreement, Schedule
from agreements.services.schedules import schedule_create
from documents.models import Decision
from documents.services import document_agree
from partnerships.models import Partner, Profile, Role
from tests.factories import make_agreement, make_ccg, make_council, schedule_fields


@dataclass
class World:
    agreement: Agreement
    schedule: Schedule
    council: Partner
    ccg: Partner
    outsider: Partner
    users: dict[str, object]


def make_user(username: str, partner: Partner, role: Role):
    user = get_user_model().objects.create_user(username, password="x", first_name=username.title())
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    Profile.objects.create(user=user, partner=partner)
    return user


@pytest.fixture
def world(db) -> World:
    council, ccg, outsider = make_council(name="Test Council"), make_ccg(name="Test CCG"), make_council(name="Other Council")
    agreement = make_agreement(partners=[council, ccg], reference="VAR-TEST")
    document_agree(document=agreement, decision=Decision(body="Cabinet", decided_on="2020-01-01"))
    schedule = schedule_create(agreement=agreement, document={"fields": schedule_fields(number=1)}, reason="Draft")
    users = {
        "council-commissioner": make_user("council-commissioner", council, Role.COMMISSIONER),
        "council-legal": make_user("council-legal", council, Role.LEGAL_OFFICER),
        "council-viewer": make_user("council-viewer", council, Role.VIEWER),
        "ccg-legal": make_user("ccg-legal", ccg, Role.LEGAL_OFFICER),
        "outsider-legal": make_user("outsider-legal", outsider, Role.LEGAL_OFFICER),
    }
    return World(agreement, schedule, council, ccg, outsider, users)


@pytest.fixture
def client_of(world):
    """A test client signed in as one of the world's users, by name."""
    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client
    return make
