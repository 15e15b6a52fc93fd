"""In Chromium, at 1280 px and at 390 px: a Cambridgeshire commissioner opens What's due from the
header, filters it to board meetings, follows a meeting to the board's meetings page, moves a meeting there (typing the new date in the GOV.UK date input, first wrongly), and opens
Your settings. Every page is checked with axe and for sideways scrolling."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.governance.test_board_history_browser import WIDTHS, check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu(page) -> None:
    """On a phone the service navigation folds behind its "Menu" button: open it, as a person would."""
    toggle = page.locator("button.govuk-service-navigation__toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_whats_due_meetings_and_settings(live_server, browser, width):
    load_demo_data()
    context = browser.new_context(bypass_csp=True, viewport=WIDTHS[width])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "cambridgeshire-commissioner")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        open_menu(page)
        page.click("#navigation >> text=What's due")
        page.wait_for_url(f"{live_server.url}/due/")
        assert "Cambridgeshire Children's Health Joint Commissioning Board meets" in page.content()
        assert "HARINGEY" not in page.content()
        check(page, f"due-{width}")

        page.select_option("#filter-kind", "board_meeting")
        page.click("button:has-text('Filter')")
        assert "Review the terms of reference" not in page.inner_text("main")
        check(page, f"due-filtered-{width}")

        page.click("main a[href$='/meetings/'] >> nth=0")  # a meeting, to the board's meetings page
        check(page, f"board-meetings-{width}")

        page.fill("#id_change-moved_to_0", "31")
        page.fill("#id_change-moved_to_1", "2")
        page.fill("#id_change-moved_to_2", "2027")
        page.click("button:has-text('Save the change')")
        assert "The new date must be a real date" in page.inner_text(".govuk-error-summary")
        check(page, f"board-meetings-error-{width}")
        page.fill("#id_change-moved_to_0", "20")
        page.click("button:has-text('Save the change')")
        assert "moved to 20 February 2027" in page.inner_text("main") or "is moved to" in page.content()

        open_menu(page)
        page.click("#navigation >> text=Your settings")
        assert "/calendar/" in page.input_value("#feed-url")
        check(page, f"account-{width}")
    finally:
        context.close()
