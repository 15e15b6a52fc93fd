"""The history pages keep working, from the database, when the shared Redis cache is down."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_schedule_history_and_compare_with_redis_down(client_for, schedule6, caplog):
    client = client_for("haringey-commissioner")
    with override_settings(CACHES=REDIS_DOWN):
        history = client.get("/agreements/HARINGEY-S75-2017/schedules/6/history/")
        compare = client.get("/agreements/HARINGEY-S75-2017/schedules/6/compare/")
    assert history.status_code == 200
    assert compare.status_code == 200
    assert "Redis unreachable" in caplog.text
