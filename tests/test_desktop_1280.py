"""At 1280 px in Chromium, every HTML page a signed-in user (or a visitor) reaches with the demo data, as
tests/test_mobile_390.py walks them at 390 px: nothing scrolls sideways and axe finds nothing.
Screenshots of each page's first screen go to test-output/screenshots/desktop-*.png. A file of its
own, so pytest-xdist can run it beside the phone walk."""

from __future__ import annotations

import pytest

from tests.test_mobile_390 import walk_every_page

pytestmark = [pytest.mark.browser, pytest.mark.one_database, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_every_page_fits_a_1280_px_screen_and_axe_finds_nothing(live_server, browser):
    visited, problems = walk_every_page(browser, live_server.url, DESKTOP, "desktop")
    assert visited > 60, f"only {visited} pages visited"
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
