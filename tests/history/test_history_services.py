"""History through the services: one revision per user action, exact diffs, as-of, versions, restore."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import get_resolver

from agreements.models import BudgetLine, Outcome, Risk
from agreements.services.schedules import schedule_agree, schedule_restore, schedule_update
from agreements.snapshots import schedule_snapshot_by_id
from documents.diffing import diff_documents
from documents.models import Decision, Revision, RevisionKind, Version
from documents.revisions import (
    agreed_state,
    latest_version,
    revision_as_of,
    revision_scope,
    revisions_of,
    versions_of,
)
from documents.services import NothingChanged
from partnerships.models import Partner
from tests.history.conftest import current_document

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_SERVICE_TYPE = "Council lead commissioner with a pooled budget"
NEW_OUTCOME_3 = "Improved quality and safety of community health services for children and young people."
NEW_LINE = {
    "service": "Speech and language therapy", "financial_year": 2019, "budget_type": "aligned",
    "amount": "250000.00", "status": "confirmed", "ring_fenced_public_health": False, "notes": "",
}


def frozen(snapshot) -> bytes:
    return json.dumps(snapshot, sort_keys=True).encode()


def edit_field_and_outcome(schedule, user):
    document = current_document(schedule)
    document["fields"]["service_type"] = NEW_SERVICE_TYPE
    document["outcomes"][2]["text"] = NEW_OUTCOME_3
    return schedule_update(schedule=schedule, document=document, expected_edit_count=None, user=user,
                           reason="Service type and outcome 3 updated after the 2019 review")


def add_budget_line(schedule, user):
    document = current_document(schedule)
    council = Partner.objects.get(code="E09000014")
    document["budget_lines"].append({**NEW_LINE, "partner_id": council.pk})
    return schedule_update(schedule=schedule, document=document, expected_edit_count=None, user=user,
                           reason="Speech and language therapy added for 2019/20")


@pytest.fixture
def two_edits(schedule6, user):
    """Version 1 (demo), then edit 1 (1 Jan 2020) and edit 2 (1 Jan 2021), with their revisions back-dated."""
    commissioner = user("haringey-commissioner")
    first = edit_field_and_outcome(schedule6, commissioner)
    second = add_budget_line(schedule6, commissioner)
    Revision.objects.filter(pk=first.pk).update(created_at=datetime(2020, 1, 1, 12, tzinfo=LONDON))
    Revision.objects.filter(pk=second.pk).update(created_at=datetime(2021, 1, 1, 12, tzinfo=LONDON))
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def test_demo_schedule_6_is_version_1_agreed_by_cabinet_member_signing(schedule6):
    version, draft = agreed_state(schedule6)
    assert version.number == 1
    assert version.decision.body == "Cabinet Member Signing"
    assert str(version.decision.decided_on) == "2018-02-06"
    assert draft is False
    assert revisions_of(schedule6).count() == 1


def test_two_edits_are_two_revisions_whose_diffs_list_exactly_those_changes(schedule6, two_edits, user):
    first, second = two_edits
    revisions = list(revisions_of(schedule6))
    assert len(revisions) == 3
    assert [r.pk for r in revisions[:2]] == [second.pk, first.pk]
    demo = revisions[2]

    diff = diff_documents(demo.snapshot, first.snapshot)
    assert [(f.label, f.old, f.new) for f in diff.fields] == [
        ("Type of service", "CCG lead commissioner with aligned budgets", NEW_SERVICE_TYPE)
    ]
    assert len(diff.lists) == 1 and diff.lists[0].label == "Outcomes"
    [outcome] = diff.lists[0].items
    assert (outcome.kind, outcome.new_place) == ("changed", 3)
    assert [(f.label, f.old, f.new) for f in outcome.fields] == [
        ("Text", "Improved quality of community health services for children and young people.", NEW_OUTCOME_3)
    ]

    diff = diff_documents(first.snapshot, second.snapshot)
    assert diff.fields == []
    assert len(diff.lists) == 1 and diff.lists[0].label == "Budget lines"
    [line] = diff.lists[0].items
    assert line.kind == "added"
    assert line.name.startswith("Speech and language therapy · Haringey Council · 2019")

    commissioner = user("haringey-commissioner")
    assert (first.kind, first.user, second.kind, second.user) == (
        RevisionKind.EDITED, commissioner, RevisionKind.EDITED, commissioner
    )


def test_compare_version_1_with_the_current_draft_lists_both_edits(schedule6, two_edits):
    _first, second = two_edits
    version, draft = agreed_state(schedule6)
    assert (version.number, draft) == (1, True)
    diff = diff_documents(version.revision.snapshot, second.snapshot)
    assert [f.label for f in diff.fields] == ["Type of service"]
    assert [(changes.label, [item.kind for item in changes.items]) for changes in diff.lists] == [
        ("Outcomes", ["changed"]), ("Budget lines", ["added"]),
    ]


def test_as_of_a_date_between_the_edits_is_the_middle_state_with_its_child_rows(schedule6, two_edits):
    first, second = two_edits
    middle = revision_as_of(schedule6, datetime(2020, 6, 1, tzinfo=LONDON))
    assert middle.pk == first.pk
    state = middle.snapshot
    assert state["fields"]["service_type"] == NEW_SERVICE_TYPE
    assert [o["text"] for o in state["outcomes"]][2] == NEW_OUTCOME_3
    assert len(state["outcomes"]) == 8 and len(state["risks"]) == 4
    assert len(state["budget_lines"]) == 18
    assert "Speech and language therapy" not in {line["service"] for line in state["budget_lines"]}

    # At the very moment of a revision it is in force; just before it, the one before.
    assert revision_as_of(schedule6, second.created_at).pk == second.pk
    before_first = revision_as_of(schedule6, datetime(2019, 12, 31, tzinfo=LONDON))
    assert before_first.snapshot["fields"]["service_type"] == "CCG lead commissioner with aligned budgets"
    assert revision_as_of(schedule6, datetime(2010, 1, 1, tzinfo=LONDON)) is None
    latest = revision_as_of(schedule6, datetime(2030, 1, 1, tzinfo=LONDON))
    assert latest.pk == second.pk and len(latest.snapshot["budget_lines"]) == 19


def test_a_revision_snapshot_is_the_database_state_after_it(schedule6, two_edits):
    _first, second = two_edits
    assert second.snapshot == schedule_snapshot_by_id(schedule6.pk)


def test_an_agreed_version_cannot_be_altered(schedule6, user):
    legal, commissioner = user("haringey-legal"), user("haringey-commissioner")
    version1 = latest_version(schedule6)
    revision1 = Revision.objects.get(pk=version1.revision_id)
    before = frozen(revision1.snapshot)
    row_before = (revision1.created_at, revision1.reason, revision1.kind, revision1.user_id)

    # Agreeing again with nothing changed is refused.
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        schedule_agree(schedule=schedule6, decision=Decision(body="Cabinet", decided_on="2019-01-01"), user=legal)

    edit_field_and_outcome(schedule6, commissioner)
    add_budget_line(schedule6, commissioner)
    version2 = schedule_agree(
        schedule=schedule6, decision=Decision(body="Cabinet", decided_on="2021-03-01", reference="CAB-1"), user=legal
    )
    assert version2.number == 2
    with pytest.raises(ValidationError, match="Nothing has changed since version 2"):
        schedule_agree(schedule=schedule6, decision=version2.decision, user=legal)
    schedule_restore(schedule=schedule6, revision=revision1, user=legal, reason="Back to the signed text")
    document = current_document(schedule6)
    document["outcomes"].pop()
    schedule_update(schedule=schedule6, document=document, expected_edit_count=None, user=commissioner,
                    reason="Last outcome dropped")

    revision1.refresh_from_db()
    assert frozen(revision1.snapshot) == before
    assert (revision1.created_at, revision1.reason, revision1.kind, revision1.user_id) == row_before
    version1.refresh_from_db()
    assert version1.revision_id == revision1.pk and version1.number == 1
    version2_again = Version.objects.get(pk=version2.pk)
    assert version2_again.revision_id == version2.revision_id
    assert frozen(version2_again.revision.snapshot) == frozen(version2.revision.snapshot)
    assert [v.number for v in versions_of(schedule6).order_by("number")] == [1, 2]


def test_no_url_edits_a_version():
    """Every route that names a version only shows it: there is no edit, delete or restore of a version."""
    version_routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                if "version" in route or "version" in (pattern.name or ""):
                    version_routes.append((route, pattern.name, pattern.callback))

    walk(get_resolver().url_patterns)
    api_routes = [(route, callback) for route, _name, callback in version_routes if route.startswith("api/")]
    assert api_routes, "the API reads versions"
    for route, callback in api_routes:  # DRF's viewset routes: which HTTP methods each one maps
        assert set(callback.actions) <= {"get", "head", "options"}, route
    app_routes = [(route, name) for route, name, _callback in version_routes if not route.startswith(("admin/", "api/"))]
    assert app_routes, "the version pages exist"
    for route, name in app_routes:
        assert name.endswith("_version"), route
        # Nothing hangs below a version (no .../versions/2/edit/): the route ends at its number.
        assert route.endswith("versions/<int:version>/"), route


def test_restore_brings_back_removed_child_rows_with_their_old_ids(schedule6, user):
    legal, commissioner = user("haringey-legal"), user("haringey-commissioner")
    signed = latest_version(schedule6).revision
    outcomes_before = list(Outcome.objects.filter(schedule=schedule6).values_list("id", "text", "position"))
    risks_before = list(Risk.objects.filter(schedule=schedule6).values_list("id", "risk", "mitigation", "position"))

    document = current_document(schedule6)
    removed_outcomes = [document["outcomes"].pop(4)["id"], document["outcomes"].pop(1)["id"]]
    removed_risk = document["risks"].pop(0)["id"]
    schedule_update(schedule=schedule6, document=document, expected_edit_count=None, user=commissioner,
                    reason="Two outcomes and a risk removed")
    assert not Outcome.objects.filter(pk__in=removed_outcomes).exists()
    assert not Risk.objects.filter(pk=removed_risk).exists()

    restored = schedule_restore(schedule=schedule6, revision=signed, user=legal,
                                reason="Removed in error: restoring the signed schedule")
    assert list(Outcome.objects.filter(schedule=schedule6).values_list("id", "text", "position")) == outcomes_before
    assert list(Risk.objects.filter(schedule=schedule6).values_list("id", "risk", "mitigation", "position")) == (
        risks_before
    )
    assert restored.kind == RevisionKind.RESTORED
    assert restored.reason == "Removed in error: restoring the signed schedule"
    assert restored.user == legal
    assert revisions_of(schedule6).first().pk == restored.pk
    assert revisions_of(schedule6).count() == 3  # nothing lost: the removal is still an entry
    diff = diff_documents(signed.snapshot, restored.snapshot)
    assert diff.empty
    # The restored rows' history links back to the restore.
    assert Outcome.history.filter(id__in=removed_outcomes, revision=restored, history_type="+").count() == 2
    # Restoring to the state it is already in changes nothing and is refused.
    with pytest.raises(NothingChanged):
        schedule_restore(schedule=schedule6, revision=signed, user=legal, reason="Again")
    assert revisions_of(schedule6).count() == 3


def test_historical_rows_carry_the_revision_user_and_reason(schedule6, user):
    commissioner = user("haringey-commissioner")
    revision = edit_field_and_outcome(schedule6, commissioner)
    revision2 = add_budget_line(schedule6, commissioner)

    schedule_rows = list(schedule6.history.filter(revision=revision))
    outcome_rows = list(Outcome.history.filter(revision=revision))
    assert len(schedule_rows) == 1 and len(outcome_rows) == 1
    for row in [*schedule_rows, *outcome_rows]:
        assert row.history_user == commissioner
        assert row.history_change_reason == "Service type and outcome 3 updated after the 2019 review"
        assert row.history_date == revision.created_at
    assert outcome_rows[0].text == NEW_OUTCOME_3
    # Nothing else wrote history in that action.
    assert not Risk.history.filter(revision=revision).exists()
    assert not BudgetLine.history.filter(revision=revision).exists()

    [line_row] = BudgetLine.history.filter(revision=revision2)
    assert (line_row.history_type, line_row.service) == ("+", "Speech and language therapy")
    assert line_row.history_user == commissioner
    assert line_row.history_change_reason == "Speech and language therapy added for 2019/20"


def test_a_bulk_write_is_one_entry(schedule6, user):
    finance = user("haringey-finance")
    lines = list(BudgetLine.objects.filter(schedule=schedule6).order_by("id")[:2])
    council = Partner.objects.get(code="E09000014")
    summary = "Imported budget-lines.xlsx: 2 changed, 1 new"
    with transaction.atomic(), revision_scope(
        document=schedule6, snapshot=schedule_snapshot_by_id, user=finance,
        reason="Imported budget lines from budget-lines.xlsx", kind=RevisionKind.IMPORTED, summary=summary,
    ) as revision:
        for line in lines:
            line.notes = "Uplifted by the 2019 budget"
        BudgetLine.objects.bulk_update(lines, ["notes"])
        BudgetLine.history.bulk_history_create(
            lines, update=True, default_user=finance, default_change_reason=revision.reason,
            default_date=revision.created_at, custom_historical_attrs={"revision_id": revision.pk},
        )
        created = BudgetLine(schedule=schedule6, partner=council, position=99, **{
            k: v for k, v in NEW_LINE.items() if k != "amount"}, amount="250000.00")
        created.save()

    revisions = list(revisions_of(schedule6))
    assert len(revisions) == 2
    assert revisions[0].pk == revision.pk
    assert (revision.kind, revision.summary) == (RevisionKind.IMPORTED, summary)
    assert BudgetLine.history.filter(revision=revision).count() == 3
    assert set(BudgetLine.history.filter(revision=revision).values_list("history_user", flat=True)) == {finance.pk}
    diff = diff_documents(revisions[1].snapshot, revision.snapshot)
    assert diff.fields == []
    assert diff.counts == {"added": 1, "removed": 0, "changed": 2, "moved": 0}

