"""Fixtures for the API tests: the demo data, a token per demo user and a client sending it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from agreements.models import Schedule
from governance.demo import load_demo_data
from partnerships.tokens import api_token_create

HARINGEY = "HARINGEY-S75-2017"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data once per module (rolled back after it); each test runs in its own transaction inside."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api_for(demo, db) -> Callable[[str], APIClient]:
    """`api_for("haringey-finance")`: an API client sending a fresh token of that demo user."""

    def make(username: str) -> APIClient:
        user = get_user_model().objects.get(username=username)
        _token, key = api_token_create(user=user, name=f"test {username}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def schedule6(demo, db) -> Schedule:
    return Schedule.objects.get(agreement__reference=HARINGEY, number=6)
