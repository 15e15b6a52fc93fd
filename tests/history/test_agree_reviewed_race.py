"""Agree only what was reviewed, under real concurrency: an agree racing an edit, each in its own
thread and connection. Kept apart from test_agree_reviewed.py because it needs real commits, which
cannot happen inside the demo's per-module transaction there."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from agreements.models import Schedule
from agreements.services.schedules import schedule_create, schedule_update
from documents.models import Decision, Revision, Version
from documents.revisions import latest_revision, versions_of
from documents.services import EditConflict, document_agree
from tests.factories import make_agreement, schedule_fields


def _edit_schedule(schedule, user, reason):
    return schedule_update(schedule=schedule, document={"fields": {"pool_manager": reason}},
                           expected_edit_count=None, user=user, reason=reason)


@pytest.mark.django_db(transaction=True)
def test_an_agreement_racing_an_edit_records_only_the_reviewed_state():
    """Real threads, each with its own connection: whichever wins, a version never holds the edit unseen."""
    schedule = schedule_create(agreement=make_agreement(), document={"fields": schedule_fields()}, reason="Created")
    reviewed = latest_revision(schedule)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # the refusal is a result too
            results[index] = error
        finally:
            connection.close()

    jobs = [
        lambda: document_agree(document=Schedule.objects.get(pk=schedule.pk),
                               decision=Decision(body="Cabinet", decided_on="2026-04-01"), expected_revision=reviewed.pk),
        lambda: _edit_schedule(Schedule.objects.get(pk=schedule.pk), None, "Saved while legal was agreeing"),
    ]
    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    agreed, edit = results
    assert isinstance(edit, Revision), edit
    if isinstance(agreed, Version):
        assert agreed.revision_id == reviewed.pk
    else:
        assert isinstance(agreed, EditConflict), agreed
        assert agreed.revision.pk == edit.pk
        assert not versions_of(schedule).exists()
