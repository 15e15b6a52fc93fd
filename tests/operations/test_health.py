"""/healthz and /readyz: answered first, without sign-in, data or host check."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_anyone_with_no_data(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a load balancer asks by address
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_names_what_is_unreachable(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
def test_readyz_says_when_redis_is_configured_but_down(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: redis\n"


@override_settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_readyz_with_the_machines_redis(client):
    assert client.get("/readyz").status_code == 200


def test_health_paths_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


def test_other_paths_still_check_the_host(client):
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400
