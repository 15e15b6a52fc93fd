"""Text is stored in one form whatever the client sends: LF line endings, no control characters,
at most TEXT_LIMIT characters; existing rows are cleaned without rewriting their history."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, Outcome, Schedule
from documents.diffing import diff_documents
from documents.models import Revision
from documents.text import TEXT_LIMIT, clean_text, same_content
from governance.models import Board
from tests.agreements.conftest import HARINGEY
from tests.agreements.test_pages import form_data, text_of

CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
PAYLOAD = "Haringey S75\r} } body { background-image: url(http://127.0.0.1:8299/x) }\x0c\x00\x1b end"


def as_a_browser_posts(data: dict[str, str]) -> dict[str, str]:
    """Browsers send textarea line breaks as CRLF."""
    return {name: value.replace("\n", "\r\n") for name, value in data.items()}


def revisions(obj) -> list[Revision]:
    return list(
        Revision.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).order_by("id")
    )


def latest_changes(obj) -> tuple[list[str], list[str]]:
    *_, before, after = revisions(obj)
    diff = diff_documents(before.snapshot, after.snapshot)
    return [change.label for change in diff.fields], [changes.label for changes in diff.lists]


def no_carriage_returns(*models) -> None:
    from django.db import models as m

    for model in models:
        for field in model._meta.concrete_fields:
            if isinstance(field, m.CharField | m.TextField):
                assert not model.objects.filter(**{f"{field.name}__contains": "\r"}).exists(), (model, field.name)


def test_clean_text():
    assert clean_text("a\r\n\r\nb\rc") == "a\n\nb\nc"
    assert clean_text("tab\tkept\nline\x00\x07\x0b\x0c\x1b\x7f\x85gone") == "tab\tkept\nlinegone"
    assert same_content({"a": ["x\r\ny"]}, {"a": ["x\ny"]})
    assert not same_content({"a": "x y"}, {"a": "x\ny"})


@pytest.mark.parametrize("url, username, field, value, expected", [
    (f"/agreements/{HARINGEY}/schedules/6/edit/", "haringey-commissioner", "outcomes-1-text",
     "Improved access to therapies.", ([], ["Outcomes"])),
    (f"/agreements/{HARINGEY}/edit/", "haringey-commissioner", "title", "Haringey section 75 agreement",
     (["Title"], [])),
])
def test_crlf_from_a_browser_records_only_the_field_changed(client_for, url, username, field, value, expected):
    client = client_for(username)
    data = as_a_browser_posts(form_data(client.get(url)))
    assert any("\r\n" in v for v in data.values())  # the page has multi-paragraph text
    data.update({field: value, "reason": "One field changed", "action": "save"})
    assert client.post(url, data).status_code == 302
    document = Schedule.objects.get(agreement__reference=HARINGEY, number=6) if "schedules" in url else (
        Agreement.objects.get(reference=HARINGEY)
    )
    assert latest_changes(document) == expected
    no_carriage_returns(Schedule, Outcome, Agreement)


def test_crlf_in_the_terms_and_the_board_is_stored_as_lf(client_for):
    board = Board.objects.get(name=CHJCB)
    client = client_for("cambridgeshire-commissioner")
    data = as_a_browser_posts(form_data(client.get(f"/boards/{board.pk}/terms/edit/")))
    data.update({"quorum": "Three members", "reason": "Quorum set", "action": "save"})
    assert client.post(f"/boards/{board.pk}/terms/edit/", data).status_code == 302
    assert latest_changes(board.terms) == (["Quorum"], [])

    data = form_data(client.get(f"/boards/{board.pk}/edit/"))
    data.update({"description": "First paragraph.\r\n\r\nSecond paragraph.", "reason": "Two paragraphs"})
    assert client.post(f"/boards/{board.pk}/edit/", data).status_code == 302
    board.refresh_from_db()
    assert board.description == "First paragraph.\n\nSecond paragraph."
    data = as_a_browser_posts(form_data(client.get(f"/boards/{board.pk}/edit/")))
    data["reason"] = "Saved again untouched"
    response = client.post(f"/boards/{board.pk}/edit/", data)
    assert "No changes to save" in text_of(response)
    assert board.history.count() == Board.objects.get(pk=board.pk).history.count()


def test_control_characters_are_stripped_on_input(client_for):
    client = client_for("haringey-commissioner")
    url = f"/agreements/{HARINGEY}/edit/"
    data = form_data(client.get(url))
    data.update({"title": PAYLOAD, "clauses-0-text": "Clause\x0b text\r\nwith\ttab", "reason": "Title", "action": "save"})
    assert client.post(url, data).status_code == 302
    agreement = Agreement.objects.get(reference=HARINGEY)
    assert agreement.title == "Haringey S75\n} } body { background-image: url(http://127.0.0.1:8299/x) } end"
    assert agreement.clauses.order_by("position").first().text == "Clause text\nwith\ttab"


def test_text_over_the_limit_is_refused_with_the_field_named(client_for):
    client = client_for("haringey-commissioner")
    url = f"/agreements/{HARINGEY}/schedules/6/edit/"
    before = Schedule.objects.get(agreement__reference=HARINGEY, number=6).resources
    data = form_data(client.get(url))
    data.update({"resources": "word " * (TEXT_LIMIT // 5 + 1), "reason": "Too long", "action": "save"})
    response = client.post(url, data)
    assert response.status_code == 400
    # The form trims the last space: 100,004 characters reach the service.
    assert f"Resources for managing the partnership is too long: {TEXT_LIMIT + 4:,} characters" in text_of(response)
    assert 'href="#id_resources"' in response.content.decode()
    assert Schedule.objects.get(agreement__reference=HARINGEY, number=6).resources == before


def test_the_migration_cleans_live_rows_and_leaves_history_as_recorded(demo, client_for):
    migration = importlib.import_module("agreements.migrations.0003_clean_stored_text")
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    stored = schedule.resources.replace("\n", "\r\n")
    # As a browser-made revision left things before the fix: CRLF in the row, its history and its snapshot.
    Schedule.objects.filter(pk=schedule.pk).update(resources=stored)
    Schedule.history.filter(id=schedule.pk).update(resources=stored)
    latest = revisions(schedule)[-1]
    latest.snapshot["fields"]["resources"] = stored
    Revision.objects.filter(pk=latest.pk).update(snapshot=latest.snapshot)
    board = Board.objects.get(name=CHJCB)
    Board.objects.filter(pk=board.pk).update(description="One\r\nTwo\x07")
    history_rows = Schedule.history.count()

    migration.clean_stored_text(django_apps, None)

    schedule.refresh_from_db()
    assert schedule.resources == stored.replace("\r\n", "\n")
    assert Board.objects.get(pk=board.pk).description == "One\nTwo"
    assert Schedule.history.count() == history_rows
    assert all("\r\n" in row.resources for row in Schedule.history.filter(id=schedule.pk, history_date__gte=latest.created_at))
    assert Revision.objects.get(pk=latest.pk).snapshot["fields"]["resources"] == stored
    # The cleaned row saved untouched is no change, though the last snapshot holds CRLF.
    client = client_for("haringey-commissioner")
    url = f"/agreements/{HARINGEY}/schedules/6/edit/"
    data = form_data(client.get(url))
    data.update({"reason": "Untouched", "action": "save"})
    assert "No changes to save" in text_of(client.post(url, data))
    assert revisions(schedule)[-1].pk == latest.pk
