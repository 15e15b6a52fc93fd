"""Proves the browser chain works: live server, Playwright, Debian Chromium, screenshots, axe."""

import pytest

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_admin_login_page_opens_in_chromium(live_server, browser):
    page = browser.new_page()
    try:
        page.goto(live_server.url + "/admin/login/")
        assert "Log in" in page.title()
        assert screenshot(page, "smoke-admin-login").exists()
    finally:
        page.close()
