"""The history pages' breadcrumbs come from the owning app (`VersionedDocument.breadcrumbs`):
the kernel's template names no agreement, schedule or board URL."""

from __future__ import annotations

import html as entities
import re

import pytest

from governance.models import Board

pytestmark = pytest.mark.django_db


def trail(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav class="govuk-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a class="govuk-breadcrumbs__link" href="([^"]+)">([^<]+)</a>', nav)
    current = re.findall(r'aria-current="page">([^<]+)<', nav)
    return [(entities.unescape(text), url) for url, text in links] + [(current[0], "")]


def test_a_schedules_history_leads_back_through_its_agreement(client_for, schedule6):
    html = client_for("haringey-commissioner").get("/agreements/HARINGEY-S75-2017/schedules/6/history/").content.decode()
    assert trail(html) == [
        ("My agreements", "/"), ("HARINGEY-S75-2017", "/agreements/HARINGEY-S75-2017/"),
        ("Schedule 6", "/agreements/HARINGEY-S75-2017/schedules/6/"), ("History", ""),
    ]


def test_a_boards_compare_page_leads_back_through_the_board_and_its_history(client_for):
    board = Board.objects.get(short_name="CHJCB")
    html = client_for("cambridgeshire-commissioner").get(f"/boards/{board.pk}/compare/").content.decode()
    assert trail(html) == [
        ("My agreements", "/"), (board.name, f"/boards/{board.pk}/"),
        ("History", f"/boards/{board.pk}/history/"), ("Compare", ""),
    ]
