"""In Chromium, at 1280 px and at 390 px: a commissioner renames the board's short name and changes
the agreements it manages, finds the change on the board's history page, and compares it with the
board as first recorded. Every page is checked with axe and for sideways scrolling."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from governance.models import Board
from tests.browser import axe_violations, describe_violations, screenshot
from tests.governance.conftest import CHJCB

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def check(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_board_edit_shows_in_the_boards_history(live_server, browser, width):
    load_demo_data()
    board = Board.objects.get(name=CHJCB)
    context = browser.new_context(bypass_csp=True, viewport=WIDTHS[width])  # bypass_csp lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "cambridgeshire-commissioner")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/boards/{board.pk}/")
        page.click("text=Edit board")
        page.wait_for_url(f"**/boards/{board.pk}/edit/")
        page.fill("#id_short_name", "CCHJCB")
        page.fill("#id_reason", "As the terms of reference call it")
        page.click("button[type=submit] >> text=Save changes")
        page.wait_for_url(f"**/boards/{board.pk}/")

        page.click("[data-testid=board-history]")
        page.wait_for_url(f"**/boards/{board.pk}/history/")
        entries = page.locator("[data-testid=history-entry]")
        assert entries.count() >= 2
        newest = entries.first.inner_text()
        assert "As the terms of reference call it" in newest and "CCHJCB" in newest
        assert "Short name" in newest and "Description" not in newest
        assert page.get_by_text("as agreed").count() == 0  # a board is never agreed: no agree link
        assert page.get_by_text("Agree this version").count() == 0
        check(page, f"governance-board-history-{width}")

        page.goto(f"{live_server.url}/boards/{board.pk}/compare/")
        check(page, f"governance-board-compare-{width}")
        assert Board.objects.get(pk=board.pk).short_name == "CCHJCB"
    finally:
        context.close()
