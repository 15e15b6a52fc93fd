"""Logs are JSON lines; every line of a request carries its request id, user and partner, and
nothing secret: no password, no query string (OIDC codes), no token-like path segment."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client, override_settings

from config.logs import logging_dict
from partnerships.request_logging import safe_request_line
from tests.history.test_history_without_redis import REDIS_DOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the console handler would print, as parsed JSON objects (a callable: read them now)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_config = logging_dict("INFO")["formatters"]["structured"].copy()
    factory = formatter_config.pop("()")
    handler.setFormatter(factory(**formatter_config))
    root, requests = logging.getLogger(), logging.getLogger("django_structlog")
    old_level, old_requests_level = root.level, requests.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    requests.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    root.removeHandler(handler)
    root.setLevel(old_level)
    requests.setLevel(old_requests_level)


def test_a_requests_lines_share_its_id_user_and_partner(demo, log_lines):
    client = Client()
    password_sent = "demo-password-2026"
    client.post("/sign-in/?next=/%3Fcode%3Dsecret-code", {"username": "haringey-commissioner",
                                                                 "password": password_sent})
    with override_settings(CACHES=REDIS_DOWN):
        client.get("/agreements/HARINGEY-S75-2017/schedules/6/history/?code=secret-code&state=s")
    lines = log_lines()
    history = [line for line in lines if "history" in line.get("request", "")
               or line.get("logger") == "config.cache"]
    assert {line["event"] for line in history} >= {"request_started", "request_finished"}
    assert any(line["logger"] == "config.cache" for line in history), "a stdlib logger's line in the request"
    assert len({line["request_id"] for line in history}) == 1
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="haringey-commissioner")
    assert {line["user_id"] for line in history} == {user.pk}
    assert {line.get("partner_id") for line in history} == {user.profile.partner_id}
    text = "\n".join(json.dumps(line) for line in lines)
    assert password_sent not in text
    assert "secret-code" not in text


def test_token_like_path_segments_are_redacted():
    class Request:
        method = "GET"
        path = "/calendar/Zk3x9Q_aB-7yT0pLmN4vWc2sR8uE1hJd.ics"

    assert safe_request_line(Request()) == "GET /calendar/[redacted].ics"
    Request.path = "/agreements/HARINGEY-S75-2017/schedules/6/"
    assert safe_request_line(Request()) == "GET /agreements/HARINGEY-S75-2017/schedules/6/"


def test_a_request_reads_the_users_profile_and_partner_once_in_one_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_council, make_user

    user = make_user(partner=make_council())
    client = Client()
    client.force_login(user)
    client.get("/account/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/account/").status_code == 200
    profile_reads = [query["sql"] for query in captured if '"partnerships_profile"' in query["sql"]]
    partner_reads = [query["sql"] for query in captured if 'FROM "partnerships_partner"' in query["sql"]]
    assert len(profile_reads) == 1 and '"partnerships_partner"."name"' in profile_reads[0]
    assert partner_reads == []


def test_a_user_with_no_profile_is_logged_without_a_partner(log_lines):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("no-profile", password="test-password")
    client = Client()
    client.force_login(user)
    client.get("/account/")
    lines = [line for line in log_lines() if line.get("request") == "GET /account/"]
    assert lines and {line["user_id"] for line in lines} == {user.pk}
    assert all("partner_id" not in line for line in lines)
