"""Two people saving one schedule at the same moment: one wins, the other is told, nothing is mixed.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL the second save waits for the first's row lock and then finds the edit count moved
on; on SQLite writers are serialised by IMMEDIATE transactions. Either way: one success, one
clear refusal, and the stored schedule is exactly the winner's.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from agreements.models import Outcome, Schedule
from agreements.services.schedules import schedule_update
from documents.models import Revision
from documents.services import EditConflict
from tests.factories import make_agreement, schedule_fields

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # the refusal is a result too
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def schedule():
    from agreements.services.schedules import schedule_create

    agreement = make_agreement()
    return schedule_create(
        agreement=agreement, document={"fields": schedule_fields(), "outcomes": [{"text": "Original"}]},
        reason="Created for the concurrency test",
    )


def test_two_simultaneous_saves_one_wins_one_is_refused(schedule):
    start = Schedule.objects.get(pk=schedule.pk).edit_count
    outcome_id = Outcome.objects.get(schedule=schedule).pk

    def save(text):
        def job():
            fresh = Schedule.objects.get(pk=schedule.pk)
            return schedule_update(
                schedule=fresh, document={"outcomes": [{"id": outcome_id, "text": text}]},
                expected_edit_count=start, reason=f"Set to {text}",
            )
        return job

    results = _run_together(save("Alice's wording"), save("Bob's wording"))

    successes = [r for r in results if isinstance(r, Revision)]
    refusals = [r for r in results if isinstance(r, EditConflict)]
    assert len(successes) == 1 and len(refusals) == 1, results
    assert "changed this" in str(refusals[0])
    winner = successes[0]
    stored = Outcome.objects.get(pk=outcome_id).text
    assert stored == winner.snapshot["outcomes"][0]["text"]
    assert Revision.objects.filter(object_id=schedule.pk, reason__startswith="Set to").count() == 1
    assert Schedule.objects.get(pk=schedule.pk).edit_count == start + 1


def test_two_simultaneous_form_posts_one_wins_one_sees_the_conflict(schedule, django_user_model):
    from django.contrib.auth.models import Group

    from partnerships.models import Profile, Role

    partner = schedule.agreement.parties.first().partner
    users = []
    for name in ("alice", "bob"):
        user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
        user.groups.add(Group.objects.get_or_create(name=Role.COMMISSIONER.value)[0])
        Profile.objects.create(user=user, partner=partner)
        users.append(user)
    url = f"/agreements/{schedule.agreement.reference}/schedules/{schedule.number}/edit/"
    outcome_id = Outcome.objects.get(schedule=schedule).pk
    start = Schedule.objects.get(pk=schedule.pk).edit_count
    form = {
        **{key: value for key, value in schedule_fields().items() if not isinstance(value, bool)},
        "lead_commissioning": "on", "agreement_type": "Section 75", "specification_title": "Outline specification",
        "edit_count": str(start), "outcomes-count": "1", "outcomes-0-id": str(outcome_id), "action": "save",
    }

    def post(user, text):
        def job():
            client = Client()
            client.force_login(user)
            return client.post(url, {**form, "outcomes-0-text": text, "reason": f"{user.username} edits"})
        return job

    responses = _run_together(post(users[0], "Alice's wording"), post(users[1], "Bob's wording"))

    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    refused = next(r for r in responses if r.status_code == 409)
    body = refused.content.decode()
    assert 'id="conflict"' in body
    loser_text = "Bob's wording" if "Bob" in body and "Bob&#x27;s wording" in body else "Alice's wording"
    assert loser_text.replace("'", "&#x27;") in body  # the refused user's input is still on the page
    stored = Outcome.objects.get(pk=outcome_id).text
    assert stored != loser_text
    assert stored in ("Alice's wording", "Bob's wording")


def test_two_simultaneous_imports_into_one_schedule_one_wins(schedule):
    from agreements.models import BudgetLine
    from budgets.importing import ImportConflict, budget_lines_import, build_preview
    from budgets.models import BudgetImport

    partner = schedule.agreement.parties.first().partner
    header = "Financial year,Service,Partner,Budget type,Amount\n"
    files = {
        "alice.csv": (header + f"2019/20,Health visiting,{partner.name},Aligned,100\n").encode(),
        "bob.csv": (header + f"2019/20,Health visiting,{partner.name},Aligned,200\n").encode(),
    }
    # Both previews are taken before either import is confirmed, as two finance officers would.
    fingerprints = {
        name: build_preview(schedule=schedule, filename=name, content=content).fingerprint
        for name, content in files.items()
    }

    def confirm(name):
        def job():
            fresh = Schedule.objects.get(pk=schedule.pk)
            return budget_lines_import(
                schedule=fresh, filename=name, content=files[name], expected_fingerprint=fingerprints[name],
                reason=f"Import {name}",
            )
        return job

    results = _run_together(confirm("alice.csv"), confirm("bob.csv"))

    refusals = [r for r in results if isinstance(r, ImportConflict)]
    successes = [r for r in results if not isinstance(r, Exception)]
    assert len(successes) == 1 and len(refusals) == 1, results
    assert BudgetImport.objects.filter(schedule=schedule).count() == 1
    line = BudgetLine.objects.get(schedule=schedule, service="Health visiting")
    winner = successes[0].budget_import.filename
    assert line.amount == (100 if winner == "alice.csv" else 200)
    assert BudgetLine.history.filter(id=line.pk).count() == 1
