"""Fixtures for the agreement page tests: the demo data and signed-in test clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

HARINGEY = "HARINGEY-S75-2017"


@pytest.fixture
def client_for(demo) -> Callable[[str], Client]:
    """`client_for("haringey-commissioner")` is a test client signed in as that demo user."""
    from django.contrib.auth import get_user_model

    def make(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make
