"""Whether a schedule is a draft (changes since its agreed version) is remembered: the page reads no
revision snapshot once the answer for its latest revision and agreed version is known, and any edit,
or an edit put back, gives the right answer at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Schedule
from agreements.services.schedules import schedule_update
from agreements.snapshots import schedule_queryset, schedule_snapshot
from tests.agreements.conftest import HARINGEY

URL = f"/agreements/{HARINGEY}/schedules/6/"
pytestmark = pytest.mark.django_db


def _set_outcome_1(text: str) -> None:
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    snapshot = schedule_snapshot(schedule_queryset().get(pk=schedule.pk))
    outcomes = snapshot["outcomes"]
    outcomes[0]["text"] = text
    schedule_update(schedule=schedule, document={"outcomes": outcomes}, expected_edit_count=None, reason="Test edit")


def _snapshot_reads(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(URL).content.decode()
    return page, sum('_revision"."snapshot"' in q["sql"] for q in captured)


def test_the_draft_answer_is_remembered_and_follows_every_edit(client_for):
    cache.clear()
    client = client_for("haringey-commissioner")
    original = Schedule.objects.get(agreement__reference=HARINGEY, number=6).outcomes.first().text

    _set_outcome_1("A rewritten first outcome that was never agreed.")
    page, reads = _snapshot_reads(client)
    assert "Draft changes" in page and reads == 1  # first asked: the two snapshots are compared
    page, reads = _snapshot_reads(client)
    assert "Draft changes" in page and reads == 0  # remembered

    _set_outcome_1(original)  # put back as agreed: a new revision, the same content as version 1
    page, reads = _snapshot_reads(client)
    assert "Draft changes" not in page and reads == 1
    page, reads = _snapshot_reads(client)
    assert "Draft changes" not in page and reads == 0
