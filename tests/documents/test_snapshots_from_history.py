"""Every revision's snapshot is a view of django-simple-history's rows: rebuilt from them, it is equal.

For each revision, its document type's ``rebuild(revision)`` (`agreements.rebuild`,
`governance.rebuild`, over `documents.history_as_of`) reads only historical tables: for every
object, its newest historical row written at or before the revision (by date, then revision id),
deletions left out. The rebuilt dict is compared with the stored snapshot with ``==``, the whole
dict: fields, every child list in order, and the denormalised names (a schedule's agreement
reference and title, the partners' names, a terms' board and its reporting lines' boards, a board's
agreements and the board it reports to), which are read from the named object's historical rows
as of the revision's date.

One approximation, said here rather than skipped: the demo and the bench load documents dated
years back (2014, 2018) after recording the partners, boards and agreements they name today, so
for those names "as of the revision's date" finds no row yet; the rebuild then takes the named
object's first historical row (it existed when the revision was written, as its foreign key
requires). Nothing in these data renames a named object between its first row and a revision,
so the comparison stays exact; `documents.history_as_of.row_as_of` documents the rule.

Data: the demo (schedules, agreements, terms of reference, boards, with their edits and
approvals) and the bench's scale data at scale 0.01 (10 agreements, 50 schedules, ~270 revisions,
1,000 budget lines; scale 1 has 50,000 revisions and would take far too long rebuilt one revision
at a time in a test).
"""

from __future__ import annotations

import pytest

from documents.models import Revision
from documents.registry import document_type
from tests.factories import make_schedule

pytestmark = pytest.mark.django_db

SCALE = 0.01


def assert_every_snapshot_rebuilds(expected_types: set[str]) -> None:
    seen: dict[str, int] = {}
    for revision in Revision.objects.order_by("created_at", "id"):
        kind = revision.snapshot["type"]
        rebuild = document_type(kind).rebuild
        assert rebuild is not None, f"{kind} has no rebuild"
        assert rebuild(revision) == revision.snapshot, (revision.pk, kind, revision.reason)
        seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == expected_types, seen


def test_every_demo_revision_rebuilds_from_the_historical_rows():
    from governance.demo import load_demo_data

    load_demo_data()
    assert_every_snapshot_rebuilds({"schedule", "agreement", "terms", "board", "monitoring_return"})


def test_every_demo_revision_rebuilds_after_edits_deletions_and_restores():
    """Edits through the services: items removed, moved and added, a restore bringing rows back
    under their ids, a board renamed and its agreements removed, a draft schedule deleted."""
    from agreements.models import Schedule
    from agreements.services.schedules import schedule_delete, schedule_restore, schedule_update
    from agreements.snapshots import schedule_snapshot_by_id
    from documents.revisions import revisions_of
    from governance.demo import load_demo_data
    from governance.models import Board
    from governance.services import board_update

    load_demo_data()
    schedule = Schedule.objects.order_by("pk").first()
    first = revisions_of(schedule).last()
    document = schedule_snapshot_by_id(schedule.pk)
    outcomes = document["outcomes"]
    document = {"fields": document["fields"], "outcomes": [*reversed(outcomes[1:]), {"text": "A new outcome"}]}
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, user=None, reason="Reordered")
    schedule_restore(schedule=schedule, revision=first, user=None, reason="Back as loaded")
    board = Board.objects.order_by("pk").first()
    board_update(
        board=board, name=board.name + " (renamed)", short_name=board.short_name, reports_to=board.reports_to,
        description=board.description, agreements=[], user=None, reason="Renamed, no agreements",
    )
    draft = make_schedule(agreement=schedule.agreement, outcomes=[{"text": "Gone with the schedule"}])
    schedule_delete(schedule=draft, user=None, reason="Entered by mistake")
    assert_every_snapshot_rebuilds({"schedule", "agreement", "terms", "board", "monitoring_return"})


def test_every_scale_data_revision_rebuilds_from_the_historical_rows():
    from bench.make_scale_data import fill

    fill(scale=SCALE, out=lambda *args: None)
    assert Revision.objects.count() >= 250
    assert_every_snapshot_rebuilds({"schedule", "agreement", "monitoring_return"})
