"""In Chromium at 1280 px and 390 px: a finance officer creates an API token, sees it once, and revokes it.
Every page is checked with axe and for sideways scrolling."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def check(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_create_see_once_and_revoke_a_token(live_server, browser, width):
    load_demo_data()
    context = browser.new_context(bypass_csp=True, viewport=WIDTHS[width])  # bypass_csp lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "haringey-finance")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/account/api-tokens/")
        check(page, f"api-tokens-empty-{width}")
        page.click("button:has-text('Create token')")
        assert "Enter a name for the token." in page.inner_text(".govuk-error-summary")
        check(page, f"api-tokens-error-{width}")
        page.fill("input[name=name]", "Power BI budget report")
        page.fill("input[name=expires_on_day]", "31")
        page.fill("input[name=expires_on_month]", "3")
        page.fill("input[name=expires_on_year]", "2099")
        page.click("button:has-text('Create token')")
        key = page.inner_text("#new-token").strip()
        assert key.startswith("s75_")
        check(page, f"api-tokens-created-{width}")
        page.goto(f"{live_server.url}/account/api-tokens/")
        assert key not in page.content()
        page.click("button:has-text('Revoke')")
        assert "is revoked" in page.inner_text(".govuk-notification-banner")
        assert "Revoked" in page.inner_text("[data-testid=token]")
        check(page, f"api-tokens-revoked-{width}")
    finally:
        context.close()
