"""Leaving an edit form with unsaved changes asks first (static/js/unsaved-changes.js, issue 14,
item 9): a changed form warns on the way out, an unchanged one lets the user go, and submitting
does not warn. A form the server shows again after a post holds unsaved work, so it warns at once."""

from __future__ import annotations

import pytest
from django.test import Client

from governance.demo import load_demo_data
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARINGEY = "HARINGEY-S75-2017"
EDIT = f"/agreements/{HARINGEY}/edit/"
SCHEDULE_EDIT = f"/agreements/{HARINGEY}/schedules/6/edit/"
DEMO_PASSWORD = "demo-password-2026"


@pytest.fixture
def page(live_server, browser):
    load_demo_data()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []

    def answer(dialog):
        page.dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("input[name=username]", "haringey-commissioner")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.base = live_server.url
    yield page
    context.close()


def leave_by_the_breadcrumb(page, *, warned: bool = True) -> None:
    """Follow the first breadcrumb; when the page should warn, wait (up to 10 s) for the browser's question."""
    page.locator(".govuk-breadcrumbs__link").first.click(no_wait_after=True)
    for _ in range(100 if warned else 0):
        if page.dialogs:
            break
        page.wait_for_timeout(100)


def type_into(page, selector: str, text: str) -> None:
    page.click(selector)  # a real click and key presses: Chromium asks only after the user has acted
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_the_edit_pages_mark_their_forms():
    from django.contrib.auth import get_user_model

    from governance.models import Board

    load_demo_data()
    board = Board.objects.get(name="Cambridgeshire Children's Health Joint Commissioning Board")

    def signed_in(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    pages = [
        ("haringey-commissioner", EDIT), ("haringey-commissioner", SCHEDULE_EDIT),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/terms/edit/"),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/edit/"),
        ("haringey-finance", f"/agreements/{HARINGEY}/schedules/6/monitoring/2018/P6/edit/"),
    ]
    for username, url in pages:
        response = signed_in(username).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<form method="post" novalidate data-unsaved-warning>' in html or \
            '<form method="post" novalidate data-unsaved-warning data-focus' in html, url
        assert 'src="/static/js/unsaved-changes.js"' in html
    reshown = signed_in("haringey-commissioner").post(EDIT, {"reason": ""}).content.decode()  # refused: shown again
    assert 'data-unsaved-warning="changed"' in reshown


def test_a_changed_form_warns_before_leaving_and_stays_when_asked(page):
    page.goto(page.base + EDIT)
    type_into(page, "#id_title", " (draft)")
    leave_by_the_breadcrumb(page)
    assert page.dialogs == ["beforeunload"]
    assert page.url == page.base + EDIT  # stayed: nothing typed is lost
    assert page.input_value("#id_title").endswith(" (draft)")
    screenshot(page, "unsaved-changes-stayed")


def test_an_unchanged_form_lets_the_user_leave(page):
    page.goto(page.base + EDIT)
    page.click("#id_title")  # focus alone is not a change
    leave_by_the_breadcrumb(page, warned=False)
    page.wait_for_url(lambda url: url != page.base + EDIT)
    assert page.dialogs == []


def test_submitting_does_not_warn_and_a_form_shown_again_warns_at_once(page):
    page.goto(page.base + EDIT)
    type_into(page, "#id_title", " (draft)")
    page.click("button:has-text('Save changes')")  # no reason given: the page comes back with its error
    page.wait_for_selector(".govuk-error-summary")
    assert page.dialogs == []
    assert page.input_value("#id_title").endswith(" (draft)")
    leave_by_the_breadcrumb(page)  # the typed title is still not saved
    assert page.dialogs == ["beforeunload"]
