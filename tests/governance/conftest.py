"""Fixtures for the board and terms of reference tests: the demo data and signed-in test clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from partnerships.models import Partner, Profile, Role

CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
PROGRAMME_BOARD = "Cambridgeshire and Peterborough CCG Children's Programme Board"


def _add_user(username: str, role: Role, partner_code: str) -> None:
    user = get_user_model().objects.create_user(username=username, password="test-password-2026", first_name=username)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    Profile.objects.create(user=user, partner=Partner.objects.get(code=partner_code))


@pytest.fixture
def demo(demo_module, db):
    """The demo data (once per module, see tests/conftest.py), plus a Cambridgeshire legal officer and viewer."""
    summary = demo_module
    _add_user("cambridgeshire-legal", Role.LEGAL_OFFICER, "E10000003")
    _add_user("cambridgeshire-viewer", Role.VIEWER, "E10000003")
    return summary


@pytest.fixture
def client_for(demo) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def chjcb(demo):
    from governance.models import Board

    return Board.objects.get(name=CHJCB)
