"""Shared pytest fixtures."""

from __future__ import annotations

import os

import pytest

from tests.browser import in_ci, launch_chromium

# Playwright's sync API runs an event loop in the test thread; Django's ORM (used by live_server
# and by tests that set up data) would otherwise refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium for the whole session: skipped locally if unavailable, fails under CI=true."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = launch_chromium(playwright)
    except Exception as error:  # missing binary, missing libraries, sandbox trouble...
        playwright.stop()
        reason = f"Chromium could not be started: {error}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    yield chromium
    chromium.close()
    playwright.stop()
