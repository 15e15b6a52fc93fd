"""In Chromium: "Download as it stood then" asks for the date, says what is wrong, then downloads that day's PDF."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pack_as_it_stood_on_a_date(live_server, browser):
    load_demo_data()
    context = browser.new_context(accept_downloads=True, bypass_csp=True)  # lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "haringey-legal")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/agreements/HARINGEY-S75-2017/")
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
        downloads = page.locator("[data-testid=agreement-downloads]")
        downloads.get_by_role("button", name="Download as it stood then (PDF)").click()
        page.wait_for_load_state()
        screenshot(page, "pdf-as-of-empty")
        assert page.locator(".govuk-error-summary").inner_text().count("Enter the date") == 1
        assert page.get_by_role("heading", level=1).inner_text() == "Download the agreement as it stood on a date"
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)

        page.get_by_label("Day").fill("31")
        page.get_by_label("Month").fill("2")
        page.get_by_label("Year").fill("2024")
        page.get_by_role("button", name="Download as it stood then (PDF)").click()
        page.wait_for_load_state()
        assert "The date must be a real date" in page.locator(".govuk-error-summary").inner_text()
        assert page.get_by_label("Day").input_value() == "31"

        page.get_by_label("Day").fill("1")
        page.get_by_label("Month").fill("1")
        page.get_by_label("Year").fill("2019")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download as it stood then (PDF)").click()
        assert download.value.suggested_filename == "HARINGEY-S75-2017-pack-as-of-2019-01-01.pdf"
    finally:
        context.close()
