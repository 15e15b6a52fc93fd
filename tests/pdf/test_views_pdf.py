"""PDF downloads: who may download, file names, content type, bad query values."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.urls("tests.pdf.urls")

SCHEDULE_6 = "/agreements/HARINGEY-S75-2017/schedules/6.pdf"
PACK = "/agreements/HARINGEY-S75-2017/pack.pdf"


@pytest.fixture
def as_user(client, demo, db):
    from django.contrib.auth import get_user_model

    def sign_in(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in


def test_url_names(demo, db):
    from django.urls import reverse

    assert reverse("pdf:schedule", args=["HARINGEY-S75-2017", 6]) == SCHEDULE_6
    assert reverse("pdf:pack", args=["HARINGEY-S75-2017"]) == PACK
    assert reverse("pdf:terms", args=[4]) == "/boards/4/terms.pdf"


@pytest.mark.parametrize("username", ["haringey-legal", "haringey-viewer"])
def test_anyone_who_may_read_the_agreement_downloads_schedule_6(as_user, username):
    response = as_user(username).get(SCHEDULE_6)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="HARINGEY-S75-2017-schedule-6-v1.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_version_and_as_of_downloads(as_user):
    client = as_user("haringey-legal")
    response = client.get(SCHEDULE_6, {"as_of": "2019-01-01"})
    assert response.status_code == 200
    assert "HARINGEY-S75-2017-schedule-6-as-of-2019-01-01.pdf" in response["Content-Disposition"]
    assert client.get(SCHEDULE_6, {"version": "1"}).status_code == 200


@pytest.mark.parametrize(("query", "status", "message"), [
    ({"version": "abc"}, 400, "is not a version number"),
    ({"as_of": "2019-13-01"}, 400, "is not a date"),
    ({"version": "1", "as_of": "2019-01-01"}, 400, "not both"),
    ({"version": "9"}, 404, "Schedule 6 has no version 9"),
    ({"as_of": "2000-01-01"}, 404, "did not exist on 1 January 2000"),
])
def test_bad_query_values_get_a_clear_page(as_user, query, status, message):
    response = as_user("haringey-legal").get(SCHEDULE_6, query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_pack_download(as_user):
    response = as_user("haringey-legal").get(PACK)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="HARINGEY-S75-2017-pack.pdf"'


def test_outsider_gets_404(as_user):
    client = as_user("cambridgeshire-commissioner")
    assert client.get(SCHEDULE_6).status_code == 404
    assert client.get(PACK).status_code == 404
    assert client.get("/agreements/HARINGEY-S75-2017/schedules/99.pdf").status_code == 404


def test_terms_download_for_board_members_only(as_user):
    from governance.models import Board

    board = Board.objects.get(terms__isnull=False, name__startswith="Cambridgeshire Children")
    url = f"/boards/{board.pk}/terms.pdf"
    response = as_user("cambridgeshire-commissioner").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert as_user("haringey-legal").get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, demo, db):
    response = client.get(SCHEDULE_6)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign" in response["Location"]
