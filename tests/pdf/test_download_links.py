"""The download links on the agreement, schedule and terms pages promise only what the PDFs hold."""

from __future__ import annotations

import html
import re

import pytest

HARINGEY = "/agreements/HARINGEY-S75-2017/"


@pytest.fixture
def as_user(client, demo, db):
    from django.contrib.auth import get_user_model

    def sign_in(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in


def _unlink_boards(agreement) -> None:
    from governance.models import Board

    Board.agreements.through.objects.filter(agreement=agreement).delete()


def _pack_link(page: str) -> str:
    link = re.search(r'<a [^>]*data-testid="pack-link"[^>]*>(.*?)</a>', page, re.S)
    assert link, "no pack link on the page"
    return html.unescape(re.sub(r"\s+", " ", link.group(1))).strip()


def test_without_a_board_the_pack_link_names_only_clauses_and_schedules(as_user):
    from agreements.models import Agreement

    _unlink_boards(Agreement.objects.get(reference="HARINGEY-S75-2017"))
    page = as_user("haringey-legal").get(HARINGEY).content.decode()
    assert _pack_link(page) == "Download the whole agreement: the clauses and 6 schedules (PDF)"


def test_a_board_without_terms_of_reference_is_not_promised(as_user):
    from agreements.models import Agreement
    from governance.models import Board

    agreement = Agreement.objects.get(reference="HARINGEY-S75-2017")
    _unlink_boards(agreement)
    board = Board.objects.create(name="Haringey board with no terms yet")
    Board.agreements.through.objects.create(board=board, agreement=agreement)
    page = as_user("haringey-legal").get(HARINGEY).content.decode()
    assert _pack_link(page) == "Download the whole agreement: the clauses and 6 schedules (PDF)"


def test_with_a_board_the_pack_link_names_its_terms_of_reference(as_user):
    page = as_user("cambridgeshire-commissioner").get("/agreements/CAMBS-CHJC-S75-2014/").content.decode()
    assert _pack_link(page) == (
        "Download the whole agreement: the clauses and 1 schedule, with the terms of reference of "
        "Cambridgeshire Children's Health Joint Commissioning Board (PDF)"
    )


def test_the_pack_holds_what_the_link_names(demo, db):
    from agreements.models import Agreement
    from agreements.pdf import agreement_pack_pdf
    from tests.pdf.conftest import pages_text

    agreement = Agreement.objects.get(reference="CAMBS-CHJC-S75-2014")
    pages = pages_text(agreement_pack_pdf(agreement).content)
    contents = next(page for page in pages if page.startswith("Contents"))
    assert "Clauses" in contents and "Schedule 1" in contents and "Annex A:" in contents
    assert "and its 1 schedule, with the terms of reference of the board that manages it in an annex" in pages[0]
    _unlink_boards(agreement)
    cover = pages_text(agreement_pack_pdf(agreement).content)[0]
    assert "This pack shows the agreement and its 1 schedule as they stand on" in cover
    assert "terms of reference" not in cover


def _as_of_form(page: str) -> str:
    form = re.search(r'<form [^>]*data-testid="as-of-form".*?</form>', page, re.S)
    assert form, "no 'as it stood on a date' form on the page"
    return form.group(0)


@pytest.mark.parametrize(("username", "url", "action", "legend"), [
    ("haringey-legal", HARINGEY, "/agreements/HARINGEY-S75-2017/pack.pdf",
     "Or download the agreement as it stood on a date"),
    ("haringey-legal", f"{HARINGEY}schedules/6/", "/agreements/HARINGEY-S75-2017/schedules/6.pdf",
     "Or download Schedule 6 as it stood on a date"),
    ("cambridgeshire-commissioner", "terms", "terms.pdf", "Download the terms of reference as they stood on a date"),
])
def test_each_page_asks_for_the_date_with_a_govuk_date_input(as_user, username, url, action, legend):
    from governance.models import Board

    if url == "terms":
        pk = Board.objects.get(short_name="CHJCB").pk
        url, action = f"/boards/{pk}/terms/", f"/boards/{pk}/{action}"
    form = _as_of_form(as_user(username).get(url).content.decode())
    assert f'action="{action}"' in form and 'method="get"' in form
    assert legend in form
    for name in ("day", "month", "year"):
        assert f'name="as_of-{name}"' in form
    assert 'name="as_of"' not in form and 'type="date"' not in form
