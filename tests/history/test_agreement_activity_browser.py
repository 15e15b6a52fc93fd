"""The agreement's activity page in Chromium at 1280 px and 390 px: axe finds nothing, nothing scrolls
sideways, the filter narrows the list and an entry's link opens that entry in its schedule's history."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITY_PATH = "/agreements/HARINGEY-S75-2017/activity/"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_activity_page_at_desktop_and_phone_widths(live_server, browser, width):
    load_demo_data()
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})  # lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "haringey-legal")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/agreements/HARINGEY-S75-2017/")
        page.get_by_role("link", name="Activity", exact=True).click()
        page.wait_for_url(f"**{ACTIVITY_PATH}")
        assert page.locator("[data-testid=activity-entry]").count() >= 8
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        page.select_option("#id_document", label="Schedule 6")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(f"**{ACTIVITY_PATH}?*")
        documents = page.locator("[data-testid=activity-entry] td:nth-child(3)").all_inner_texts()
        assert documents and {text.split("\n")[0].strip() for text in documents} == {"Schedule 6"}
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"agreement-activity-{width}")
        assert not axe_violations(page)

        page.locator("[data-testid=activity-entry] td:nth-child(3) a").first.click()
        page.wait_for_url("**/schedules/6/history/**")
        entry = page.url.split("#")[1]
        assert page.locator(f"#{entry}").is_visible()
    finally:
        context.close()
