"""Printing a page from the browser (Chromium's print media) shows its content and none of the frame:
no service navigation, phase banner, breadcrumbs, footer or buttons."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FRAME = (".govuk-service-navigation", ".govuk-phase-banner", ".govuk-footer", ".govuk-button")


def test_a_printed_page_has_its_content_without_the_frame(live_server, browser):
    get_user_model().objects.create_user("printer", password="print-password-2026")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", "printer")
        page.fill("#id_password", "print-password-2026")
        page.click("button[type=submit]")
        page.goto(live_server.url + reverse("account"))
        heading = page.locator("main h1")
        for selector in FRAME:
            assert page.locator(selector).first.is_visible(), f"{selector} is on the screen page"
        page.emulate_media(media="print")
        assert heading.is_visible()
        for selector in FRAME:
            for element in page.locator(selector).all():
                assert not element.is_visible(), f"{selector} would print"
        screenshot(page, "print-account")
        assert page.pdf()[:4] == b"%PDF"
    finally:
        page.close()
