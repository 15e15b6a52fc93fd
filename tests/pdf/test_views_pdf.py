"""PDF downloads: who may download, file names, content type, bad query values."""

from __future__ import annotations

import re

import pytest

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


# "As it stood on a date": the GOV.UK date input on the pages sends as_of-day, as_of-month, as_of-year.


def _date(day: str, month: str, year: str) -> dict[str, str]:
    return {"as_of-day": day, "as_of-month": month, "as_of-year": year}


def _is_date_page(response, status: int, error: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "govuk-error-summary" in page and error in page
    assert 'class="govuk-date-input"' in page and 'name="as_of-day"' in page
    return page


@pytest.mark.parametrize("query", [_date("", "", ""), {"as_of": ""}, {"as_of": "  "}], ids=["empty form", "as_of=", "blank"])
def test_asking_for_the_pack_as_it_stood_with_no_date_asks_for_the_date(as_user, query):
    response = as_user("haringey-legal").get(PACK, query)
    page = _is_date_page(response, 400, "Enter the date to download the agreement as it stood on")
    assert "<h1" in page and "Download the agreement as it stood on a date" in page
    assert 'href="/agreements/HARINGEY-S75-2017/"' in page  # the way back


@pytest.mark.parametrize(("parts", "error", "in_error"), [
    (("31", "2", "2024"), "The date must be a real date", ("day", "month", "year")),
    (("1", "13", "2019"), "The date must be a real date", ("day", "month", "year")),
    (("x", "1", "2019"), "The date must be a real date", ("day", "month", "year")),
    (("1", "1", ""), "The date must include a year", ("year",)),
    (("", "", "2019"), "The date must include a day and a month", ("day", "month")),
    (("1", "1", "19"), "The year must include 4 numbers", ("year",)),
    (("1", "1", "2999"), "The date must be today or in the past", ("day", "month", "year")),
])
def test_an_impossible_date_is_shown_again_with_its_error(as_user, parts, error, in_error):
    response = as_user("haringey-legal").get(PACK, _date(*parts))
    page = _is_date_page(response, 400, error)
    for name, value in zip(("day", "month", "year"), parts, strict=True):
        tag = re.search(rf'<input [^>]*name="as_of-{name}"[^>]*>', page).group(0)
        assert f'value="{value}"' in tag
        assert ("govuk-input--error" in tag) == (name in in_error), (name, tag)


def test_a_date_before_the_agreement_existed_says_there_is_no_record_then(as_user):
    response = as_user("haringey-legal").get(PACK, _date("1", "1", "2000"))
    page = _is_date_page(response, 404, "Agreement HARINGEY-S75-2017 did not exist on 1 January 2000.")
    assert 'value="2000"' in page


@pytest.mark.parametrize("month", ["1", "01", "Jan", "january"])
def test_a_real_date_downloads_the_pack_as_it_stood_then(as_user, month):
    response = as_user("haringey-legal").get(PACK, _date("1", month, "2019"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="HARINGEY-S75-2017-pack-as-of-2019-01-01.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_iso_as_of_parameter_still_works_for_the_pack(as_user):
    response = as_user("haringey-legal").get(PACK, {"as_of": "2019-01-01"})
    assert response.status_code == 200
    assert "HARINGEY-S75-2017-pack-as-of-2019-01-01.pdf" in response["Content-Disposition"]


def test_the_schedule_date_form(as_user):
    client = as_user("haringey-legal")
    _is_date_page(client.get(SCHEDULE_6, _date("", "", "")), 400, "Enter the date to download Schedule 6 as it stood on")
    _is_date_page(client.get(SCHEDULE_6, {"as_of": ""}), 400, "Enter the date to download Schedule 6 as it stood on")
    _is_date_page(client.get(SCHEDULE_6, _date("30", "2", "2019")), 400, "The date must be a real date")
    _is_date_page(client.get(SCHEDULE_6, _date("1", "1", "2000")), 404, "Schedule 6 did not exist on 1 January 2000.")
    response = client.get(SCHEDULE_6, _date("1", "1", "2019"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="HARINGEY-S75-2017-schedule-6-as-of-2019-01-01.pdf"'
    assert client.get(SCHEDULE_6, {"version": "1", **_date("1", "1", "2019")}).status_code == 400


def test_the_terms_date_form(as_user):
    from django.utils import timezone

    from governance.models import Board

    board = Board.objects.get(short_name="CHJCB")
    url = f"/boards/{board.pk}/terms.pdf"
    client = as_user("cambridgeshire-commissioner")
    page = _is_date_page(client.get(url, _date("", "", "")), 400,
                         "Enter the date to download the terms of reference as they stood on")
    assert "Download the terms of reference as they stood on a date" in page
    _is_date_page(client.get(url, _date("29", "2", "2023")), 400, "The date must be a real date")
    _is_date_page(client.get(url, _date("1", "1", "1990")), 404, "did not exist on 1 January 1990")
    today = timezone.localdate()
    response = client.get(url, _date(str(today.day), str(today.month), str(today.year)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"-terms-of-reference-as-of-{today.isoformat()}.pdf" in response["Content-Disposition"]
