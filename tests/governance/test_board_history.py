"""A board's own history: each save of the board page is one revision on the kernel's history pages."""

from __future__ import annotations

import pytest
from django.apps import apps as live_apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import RevisionKind
from documents.revisions import latest_revision, revisions_of
from documents.text import same_content
from governance.models import Board
from governance.services import board_update
from governance.snapshots import board_snapshot_by_id
from tests.agreements.test_pages import form_data, text_of
from tests.factories import make_board

pytestmark = pytest.mark.django_db


def history_url(board: Board) -> str:
    return f"/boards/{board.pk}/history/"


def edit(client, board: Board, reason: str, **changes: str):
    data = form_data(client.get(f"/boards/{board.pk}/edit/"))
    return client.post(f"/boards/{board.pk}/edit/", {**data, **changes, "reason": reason})


def test_the_demo_boards_have_history_from_their_loading(client_for, chjcb):
    revisions = list(revisions_of(chjcb))
    assert revisions[-1].kind == RevisionKind.CREATED
    assert same_content(revisions[0].snapshot, board_snapshot_by_id(chjcb.pk))
    response = client_for("cambridgeshire-viewer").get(f"/boards/{chjcb.pk}/")
    assert f'href="{history_url(chjcb)}"' in response.content.decode()


def test_an_edit_is_one_history_entry_naming_what_changed(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    before = revisions_of(chjcb).count()
    assert edit(client, chjcb, "As the terms call it", short_name="CCHJCB").status_code == 302
    assert revisions_of(chjcb).count() == before + 1
    latest = latest_revision(chjcb)
    assert (latest.reason, latest.user.username, latest.kind) == (
        "As the terms call it", "cambridgeshire-commissioner", RevisionKind.EDITED,
    )
    row = chjcb.history.first()
    assert (row.revision_id, row.history_user_id, row.history_change_reason) == (
        latest.pk, latest.user_id, "As the terms call it",
    )

    response = client.get(history_url(chjcb))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="history-entry"') == before + 1
    newest = html.split('data-testid="history-entry"')[1]
    assert "Short name" in newest and "CCHJCB" in newest and "As the terms call it" in newest
    assert "Description" not in newest  # only what changed
    assert "Mark the current state as agreed" not in html  # a board is not agreed


def test_removing_an_agreement_names_it(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    data = form_data(client.get(f"/boards/{chjcb.pk}/edit/"))
    data.pop("agreements", None)
    response = client.post(f"/boards/{chjcb.pk}/edit/", {**data, "reason": "Agreement ended"})
    assert response.status_code == 302
    assert not chjcb.agreements.exists()
    newest = client.get(history_url(chjcb)).content.decode().split('data-testid="history-entry"')[1]
    assert "Agreements it manages" in newest and "CAMBS-CHJC-S75-2014" in newest


def test_crlf_in_a_board_field_is_no_phantom_entry(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    assert edit(client, chjcb, "Two lines", description="First line\nSecond line").status_code == 302
    count = revisions_of(chjcb).count()
    response = edit(client, chjcb, "The browser sent CRLF", description="First line\r\nSecond line")
    assert response.status_code == 200
    assert "No changes to save" in text_of(response)
    assert revisions_of(chjcb).count() == count


def test_compare_and_as_it_stood_on(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    edit(client, chjcb, "Renamed", name="Cambridgeshire Children's Joint Commissioning Board")
    compare = client.get(f"/boards/{chjcb.pk}/compare/")
    assert compare.status_code == 200
    assert "Cambridgeshire Children&#x27;s Joint Commissioning Board" in compare.content.decode()
    as_of = client.get(f"/boards/{chjcb.pk}/as-of/", {"date": "2000-01-01"})
    assert as_of.status_code == 200 and 'data-testid="as-of-missing"' in as_of.content.decode()
    today = latest_revision(chjcb).created_at.date().isoformat()
    as_of = client.get(f"/boards/{chjcb.pk}/as-of/", {"date": today})
    assert 'data-testid="board-body"' in as_of.content.decode()
    assert client.get(f"/boards/{chjcb.pk}/agree/").status_code == 404  # no such page: a board is not agreed


def test_a_commissioner_restores_an_earlier_state(client_for, chjcb):
    client = client_for("cambridgeshire-commissioner")
    first = latest_revision(chjcb)
    edit(client, chjcb, "Shorter", short_name="CCHJCB")
    page = client.get(f"/boards/{chjcb.pk}/restore/{first.pk}/")
    assert page.status_code == 200
    data = form_data(page)
    response = client.post(f"/boards/{chjcb.pk}/restore/{first.pk}/", {**data, "reason": "Back as it was"})
    assert response.status_code == 302
    chjcb.refresh_from_db()
    assert chjcb.short_name == first.snapshot["fields"]["short_name"]
    assert latest_revision(chjcb).kind == RevisionKind.RESTORED
    assert same_content(latest_revision(chjcb).snapshot["fields"], first.snapshot["fields"])
    assert client_for("cambridgeshire-viewer").get(f"/boards/{chjcb.pk}/restore/{first.pk}/").status_code == 403


def test_outsiders_get_404(client_for, chjcb):
    revision = latest_revision(chjcb)
    for username in ("haringey-commissioner", "haringey-legal", "haringey-viewer"):
        client = client_for(username)
        for url in (
            history_url(chjcb), f"/boards/{chjcb.pk}/compare/", f"/boards/{chjcb.pk}/as-of/",
            f"/boards/{chjcb.pk}/restore/{revision.pk}/",
        ):
            assert client.get(url).status_code == 404, (username, url)


def test_board_history_queries_do_not_grow_with_entries(client_for, chjcb, django_assert_num_queries):
    client = client_for("cambridgeshire-commissioner")
    user = get_user_model().objects.get(username="cambridgeshire-commissioner")

    def edits(count: int) -> None:
        start = revisions_of(chjcb).count()
        for n in range(start, start + count):
            board_update(
                board=chjcb, name=chjcb.name, short_name=f"B{n}", reports_to=chjcb.reports_to,
                description=chjcb.description, agreements=list(chjcb.agreements.all()), user=user, reason=f"Edit {n}",
            )

    edits(4)
    client.get(history_url(chjcb))  # warm the session and the diff cache
    with CaptureQueriesContext(connection) as few:
        client.get(history_url(chjcb))
    expected = len(few.captured_queries)  # read now: the connection keeps only its latest 9,000 queries
    edits(12)
    client.get(history_url(chjcb))
    with django_assert_num_queries(expected):
        response = client.get(history_url(chjcb))
    assert response.content.decode().count('data-testid="history-entry"') == revisions_of(chjcb).count()


def test_the_migration_records_a_baseline_for_boards_without_history(db):
    """The data migration's own snapshot reads exactly as the app's, and it records each board once."""
    from importlib import import_module

    migration = import_module("governance.migrations.0003_board_revisions")
    board = make_board("A board from before boards had history", short_name="ABBH")
    assert not revisions_of(board).exists()
    migration.record_baselines(live_apps, None)
    migration.record_baselines(live_apps, None)
    (baseline,) = revisions_of(board)
    assert (baseline.user, baseline.kind, baseline.reason) == (None, "created", "History recorded from this date")
    assert baseline.snapshot == board_snapshot_by_id(board.pk)


def test_an_admin_save_is_one_revision_of_kind_admin(client_for, chjcb):
    admin = client_for("admin")
    url = f"/admin/governance/board/{chjcb.pk}/change/"
    data = form_data(admin.get(url))
    before = revisions_of(chjcb).count()
    response = admin.post(url, {**data, "short_name": "CCHJCB"})
    assert response.status_code == 302, text_of(response)
    latest = latest_revision(chjcb)
    assert revisions_of(chjcb).count() == before + 1
    assert (latest.kind, latest.reason, latest.snapshot["fields"]["short_name"]) == (
        RevisionKind.ADMIN, "Edited in the admin: Short name", "CCHJCB",
    )
    assert chjcb.history.first().revision_id == latest.pk


def test_a_save_after_someone_elses_is_refused_with_what_was_typed_kept(client_for, chjcb):
    """Two commissioners open the board's edit page; the second to save is told, and nothing of theirs is written."""
    first, second = client_for("cambridgeshire-commissioner"), client_for("cambridgeshire-commissioner")
    opened_first = form_data(first.get(f"/boards/{chjcb.pk}/edit/"))
    opened_second = form_data(second.get(f"/boards/{chjcb.pk}/edit/"))
    assert opened_second["edit_count"] == str(chjcb.edit_count)

    assert first.post(f"/boards/{chjcb.pk}/edit/", {**opened_first, "short_name": "CCHJCB",
                                                      "reason": "As the terms call it"}).status_code == 302
    before = revisions_of(chjcb).count()
    response = second.post(f"/boards/{chjcb.pk}/edit/", {**opened_second, "description": "Typed by the second",
                                                          "reason": "A later thought"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "after you opened it" in html
    assert 'href="#conflict"' in html  # the error summary leads to the warning
    assert "Typed by the second" in html  # what they typed is still on the page
    chjcb.refresh_from_db()
    assert (chjcb.short_name, revisions_of(chjcb).count()) == ("CCHJCB", before)
    assert "Typed by the second" not in chjcb.description
