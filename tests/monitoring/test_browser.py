"""In Chromium at 1280 px and 390 px: the demo's P6 return, the table editor and the board's report, each checked with axe."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BASE = "/agreements/HARINGEY-S75-2017/schedules/6/monitoring/"
AGREEMENT = "/agreements/HARINGEY-S75-2017/monitoring/"


def test_monitoring_pages_in_a_browser(live_server, browser):
    load_demo_data()
    context = browser.new_context(bypass_csp=True)  # lets axe's script in; the pages' own CSP is unchanged
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/?next={BASE}")
        page.fill("input[name=username]", "haringey-finance")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"**{BASE}")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for path, name in ((f"{BASE}", "index"), (f"{BASE}2018/P6/", "return"), (f"{BASE}2018/P6/edit/", "edit"),
                               (f"{AGREEMENT}", "agreement-reports"), (f"{AGREEMENT}2018/P6/report/", "agreement-report"),
                               (f"{BASE}2018/P6/report/", "report")):
                page.goto(f"{live_server.url}{path}")
                screenshot(page, f"monitoring-{name}-{width}")
                violations = axe_violations(page)
                assert not violations, f"{name} at {width}px: {describe_violations(violations)}"
        assert "Red: overspend" in page.inner_text("[data-testid=variance-lines]")
        assert page.locator("figure[data-testid=chart] svg[role=img]").count() == 2
        assert "Presented to Haringey Health and Wellbeing Board" in page.inner_text("[data-testid=report-status]")
    finally:
        context.close()
