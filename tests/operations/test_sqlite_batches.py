"""The embedded SQLite database batches bulk inserts by the connection's real parameter limit
(config/sqlite), so what `send_reminders` records is one insert however many users it wrote to."""

import sqlite3

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import SentReminder
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own limit; PostgreSQL has no such batches")
def test_a_thousand_records_are_one_insert():
    limit = connection.features.max_query_params
    assert limit == connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) > 999
    user = make_user("many")
    with CaptureQueriesContext(connection) as captured:
        SentReminder.objects.bulk_create([SentReminder(user=user, key=f"reminder:{n}") for n in range(1000)])
    inserts = [q["sql"] for q in captured if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert SentReminder.objects.filter(user=user).count() == 1000
