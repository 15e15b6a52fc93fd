"""Fixtures for the history tests: the demo data, Schedule 6, signed-in clients and an edit helper."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from agreements.models import Schedule
from documents.revisions import latest_revision

HARINGEY = "HARINGEY-S75-2017"
SCHEDULE_URL = f"/agreements/{HARINGEY}/schedules/6/"
AGREEMENT_URL = f"/agreements/{HARINGEY}/"
PASSWORD = "demo-password-2026"


@pytest.fixture
def schedule6(demo) -> Schedule:
    return Schedule.objects.select_related("agreement").get(agreement__reference=HARINGEY, number=6)


@pytest.fixture
def user(demo) -> Callable[[str], Any]:
    """`user("haringey-legal")` is that demo user."""
    return lambda username: get_user_model().objects.get(username=username)


@pytest.fixture
def client_for(demo) -> Callable[[str], Client]:
    """`client_for("haringey-legal")` is a test client signed in as that demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


def current_document(schedule: Schedule) -> dict[str, Any]:
    """The schedule as it stands (its latest revision's snapshot) in the shape `schedule_update` takes."""
    snapshot = copy.deepcopy(latest_revision(schedule).snapshot)
    document = {key: value for key, value in snapshot.items() if key not in {"id", "type", "agreement", "partners"}}
    document["fields"] = {key: value for key, value in snapshot["fields"].items() if key != "number"}
    return document
