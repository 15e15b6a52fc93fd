"""In Chromium: what a real browser posts must never lose or invent a word.

The test client posts what a test writes; a browser posts what it shows: dates as a `type=date`
input holds them and textareas with CRLF line breaks. These tests save every edit form as a
user would and check what was stored and what the history says, at 1280 px and at 390 px.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from agreements.demo import DEMO_PASSWORD
from agreements.models import Agreement, Schedule
from agreements.services.agreements import agreement_update
from documents.diffing import diff_documents
from documents.models import Revision
from governance.demo import load_demo_data
from governance.models import Board
from tests.agreements.conftest import HARINGEY
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
WIDTHS = {"desktop": 1280, "phone": 390}

# Every input, textarea and select of the page's form, by name, as the browser would post it.
FORM_VALUES = """() => {
  const values = {};
  for (const el of document.querySelectorAll('main form input[name], main form textarea, main form select')) {
    if (el.type === 'hidden' && el.name === 'csrfmiddlewaretoken') continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      values[el.name + '=' + el.value] = el.checked;
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}"""


def sign_in(context, base_url: str, username: str):
    page = context.new_page()
    page.goto(f"{base_url}/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def save(page) -> None:
    page.get_by_role("button", name="Save changes", exact=True).click()
    page.wait_for_load_state()


def revisions(obj) -> list[Revision]:
    return list(
        Revision.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).order_by("id")
    )


def latest_diff(obj):
    *_, before, after = revisions(obj)
    return diff_documents(before.snapshot, after.snapshot)


def changed_labels(diff) -> tuple[list[str], list[str]]:
    return [change.label for change in diff.fields], [changes.label for changes in diff.lists]


def check(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"{name} ({page.url}):\n{describe_violations(violations)}"


def edit_pages() -> list[tuple[str, str, object]]:
    """(who edits it, its edit page, the stored object) for every edit form of the demo data."""
    board = Board.objects.get(name=CHJCB)
    return [
        ("haringey-commissioner", f"/agreements/{HARINGEY}/edit/", Agreement.objects.get(reference=HARINGEY)),
        ("haringey-commissioner", f"/agreements/{HARINGEY}/schedules/6/edit/",
         Schedule.objects.get(agreement__reference=HARINGEY, number=6)),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/terms/edit/", board.terms),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/edit/", board),
    ]


def stored_fields(obj) -> dict:
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.name: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields if f.name != "edit_count"}


@pytest.mark.parametrize("width", WIDTHS)
def test_saving_each_edit_form_untouched_changes_nothing(live_server, browser, width):
    load_demo_data()
    contexts: dict[str, object] = {}
    try:
        for username, path, obj in edit_pages():
            if username not in contexts:
                contexts[username] = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True)
                sign_in(contexts[username], live_server.url, username)
            page = contexts[username].pages[0]
            before_rows, before_revisions = stored_fields(obj), len(revisions(obj))
            page.goto(live_server.url + path)
            shown = page.evaluate(FORM_VALUES)
            for name in ("dated", "effective_from", "expires", "review_due"):
                stored = before_rows.get(name)
                if stored:  # a date the page did not show back would post as empty (the GOV.UK date input's boxes)
                    assert (shown[f"{name}_day"], shown[f"{name}_month"], shown[f"{name}_year"]) == (
                        str(stored.day), str(stored.month), str(stored.year)), f"{path}: the {name} boxes are wrong"
            page.fill("textarea[name=reason]", "Checking that saving changes nothing")
            save(page)
            assert "No changes to save" in page.inner_text("[data-testid=notice]"), path
            after = page.evaluate(FORM_VALUES)
            assert {k: v for k, v in after.items() if k != "reason"} == {
                k: v for k, v in shown.items() if k != "reason"
            }, f"{path}: the page did not keep what was on it"
            assert stored_fields(obj) == before_rows, f"{path}: a field changed"
            assert len(revisions(obj)) == before_revisions, f"{path}: a revision was recorded"
            check(page, f"faithful-untouched-{path.strip('/').replace('/', '-')}-{width}")
    finally:
        for context in contexts.values():
            context.close()


def test_changing_the_agreement_title_keeps_its_dates(live_server, browser):
    load_demo_data()
    agreement = Agreement.objects.get(reference=HARINGEY)
    agreement_update(  # the demo agreement has no expiry date: give it one, so every date is checked
        agreement=agreement, document={"fields": {"expires": date(2027, 2, 28)}}, reason="Expiry agreed",
        expected_edit_count=None,
    )
    agreement.refresh_from_db()
    dates = {name: getattr(agreement, name) for name in ("dated", "effective_from", "expires", "review_due")}
    assert all(dates.values())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = sign_in(context, live_server.url, "haringey-commissioner")
        page.goto(f"{live_server.url}/agreements/{HARINGEY}/edit/")
        page.fill("#id_title", agreement.title + " (as varied)")
        page.fill("textarea[name=reason]", "Title as varied")
        save(page)
        page.wait_for_url(f"{live_server.url}/agreements/{HARINGEY}/")
        agreement.refresh_from_db()
        assert {name: getattr(agreement, name) for name in dates} == dates
        assert changed_labels(latest_diff(agreement)) == (["Title"], [])
    finally:
        context.close()


def test_editing_one_outcome_of_schedule_6_records_that_outcome_alone(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    assert "\n\n" in schedule.resources  # a multi-paragraph field the browser posts back with CRLF
    resources = schedule.resources
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = sign_in(context, live_server.url, "haringey-commissioner")
        page.goto(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/edit/")
        page.fill("#outcomes-1-text", "Improved access to therapies, measured every quarter.")
        page.fill("textarea[name=reason]", "Outcome 2 reworded")
        save(page)
        page.wait_for_url(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/")
        schedule.refresh_from_db()
        assert schedule.resources == resources and "\r" not in schedule.resources
        diff = latest_diff(schedule)
        assert changed_labels(diff) == ([], ["Outcomes"])
        [outcome] = diff.lists[0].items
        assert (outcome.kind, [change.label for change in outcome.fields]) == ("changed", ["Text"])
        assert "Improved access to therapies" in outcome.fields[0].new
        page.goto(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/history/")
        newest = page.locator("[data-testid=history-entry]").first.inner_text()
        assert "Outcome 2 reworded" in newest and "Improved access to therapies" in newest
        assert "Resources" not in newest
        screenshot(page, "faithful-schedule-6-history-one-outcome")
    finally:
        context.close()


def test_changing_the_quorum_records_the_quorum_alone(live_server, browser):
    load_demo_data()
    terms = Board.objects.get(name=CHJCB).terms
    assert "\n\n" in terms.resources or "\n\n" in terms.purpose
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = sign_in(context, live_server.url, "cambridgeshire-commissioner")
        page.goto(f"{live_server.url}/boards/{terms.board_id}/terms/edit/")
        page.fill("#id_quorum", "Three members, including one from each partner")
        page.fill("textarea[name=reason]", "Quorum agreed at the March meeting")
        save(page)
        page.wait_for_url(f"{live_server.url}/boards/{terms.board_id}/terms/")
        assert changed_labels(latest_diff(terms)) == (["Quorum"], [])
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_amount_comes_back_as_typed_on_its_own_field(live_server, browser, width):
    load_demo_data()
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True)
    try:
        page = sign_in(context, live_server.url, "haringey-commissioner")
        page.goto(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/edit/")
        before = page.evaluate(FORM_VALUES)
        page.fill("#budget_lines-2-amount", "£1,2,3")
        page.fill("#budget_lines-4-financial_year", "next year")
        page.fill("textarea[name=reason]", "Amounts for 2018/19")
        save(page)
        page.wait_for_selector(".govuk-error-summary")
        after = page.evaluate(FORM_VALUES)
        typed = {"budget_lines-2-amount": "£1,2,3", "budget_lines-4-financial_year": "next year"}
        assert {k: after[k] for k in typed} == typed
        unchanged = {k: v for k, v in before.items() if k not in typed and k != "reason"}
        assert {k: after[k] for k in unchanged} == unchanged, "lines the user did not touch came back changed"
        links = page.locator(".govuk-error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert links == ["#budget_lines-2-amount", "#budget_lines-4-financial_year"]
        summary = page.inner_text(".govuk-error-summary")
        assert "Budget line 3, amount" in summary and "Budget line 5, financial year" in summary
        for field_id in typed:
            assert "govuk-input--error" in page.get_attribute(f"#{field_id}", "class")
            assert page.locator(f"#{field_id}-error").is_visible()
        check(page, f"faithful-bad-amount-{width}")
        page.click(".govuk-error-summary a[href='#budget_lines-2-amount']")
        assert page.evaluate("document.activeElement.id") == "budget_lines-2-amount"

        # Correcting the two fields saves, and only the line whose amount changed is recorded.
        page.fill("#budget_lines-2-amount", "£1,234")
        page.fill("#budget_lines-4-financial_year", before["budget_lines-4-financial_year"])
        save(page)
        page.wait_for_url(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/")
        diff = latest_diff(Schedule.objects.get(agreement__reference=HARINGEY, number=6))
        assert changed_labels(diff) == ([], ["Budget lines"])
        [line] = diff.lists[0].items
        assert [change.label for change in line.fields] == ["Amount"]
    finally:
        context.close()
