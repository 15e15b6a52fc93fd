"""Shared pytest fixtures."""

from __future__ import annotations

import os

import pytest
from django.db import transaction

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


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The whole demo, loaded once per test module inside a transaction that is rolled back after it.

    Loading the demo costs seconds (every document goes through the versioned write path), and
    most test modules read it or change it a little: each test runs in its own savepoint inside
    this transaction (pytest-django's `db`), so what one test writes is gone before the next.
    A module that also needs real commits (`transactional_db`, `live_server`) keeps those tests in
    a file of their own: they cannot run inside this open transaction.
    """
    from governance.demo import load_demo_data

    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo_data()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module, db):
    """The demo data (see `demo_module`); a test's own writes are rolled back after it."""
    return demo_module
