"""In Chromium, two people at once: the legal officer opens the agree page of Haringey Schedule 6, the
commissioner (in a second browser context) saves a change, and the legal officer's agreement is
refused with a pointer to the new changes; on the agree page again they see them and agree. Axe on
every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from agreements.demo import DEMO_PASSWORD
from agreements.models import Schedule
from agreements.services.schedules import schedule_update
from documents.revisions import latest_revision, versions_of
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot
from tests.history.conftest import HARINGEY, current_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEDULE_PATH = f"/agreements/{HARINGEY}/schedules/6/"
NEW_SERVICES = (
    "Haringey CCG will commission on behalf of itself and the council a range of services and pathways "
    "to improve the health outcomes of 0-25 year olds with special educational needs and disabilities."
)
LATE_REASON = "Pool manager named after the finance review"


def check(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def sign_in(context, base_url: str, username: str, next_path: str):
    page = context.new_page()
    page.goto(f"{base_url}/sign-in/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")
    return page


def fill_decision(page) -> None:
    page.fill("input[name=decision-body]", "Cabinet Member Signing")
    page.fill("input[name=decision-decided_on]", "2026-04-01")
    page.fill("input[name=decision-reference]", "CMS-2026-04")


def test_an_edit_saved_while_the_agree_page_is_open_is_not_agreed_unseen(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    document = current_document(schedule)
    document["fields"]["services"] = NEW_SERVICES
    schedule_update(
        schedule=schedule, document=document, expected_edit_count=None, reason="Age range widened to 25",
        user=get_user_model().objects.get(username="haringey-commissioner"),
    )
    reviewed = latest_revision(schedule)

    legal_context = browser.new_context(bypass_csp=True)  # lets axe's script in
    commissioner_context = browser.new_context(bypass_csp=True)
    try:
        # The legal officer opens the agree page from Schedule 6: it shows what they are agreeing.
        legal = sign_in(legal_context, live_server.url, "haringey-legal", SCHEDULE_PATH)
        legal.get_by_role("link", name="Agree this version").click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}agree/")
        reviewing = legal.inner_text("[data-testid=reviewed]")
        assert "Age range widened to 25" in reviewing and "0-25" in reviewing
        assert "Jo Bloggs" not in reviewing
        assert legal.locator("input[name=revision]").get_attribute("value") == str(reviewed.pk)
        check(legal, "agree-reviewed-01-agree-page")
        fill_decision(legal)

        # Meanwhile the commissioner, in another browser, names the pool manager and saves.
        commissioner = sign_in(commissioner_context, live_server.url, "haringey-commissioner", SCHEDULE_PATH)
        commissioner.get_by_role("link", name="Edit schedule").click()
        commissioner.wait_for_url(f"**{SCHEDULE_PATH}edit/")
        commissioner.fill("#id_pool_manager", "Jo Bloggs")
        commissioner.fill("#id_reason", LATE_REASON)
        commissioner.click("main button.govuk-button:has-text('Save changes')")
        commissioner.wait_for_url(f"**{SCHEDULE_PATH}")
        assert "Jo Bloggs" in commissioner.inner_text("main")
        late = latest_revision(schedule)
        assert late.pk != reviewed.pk

        # The legal officer sends the form they filled in: refused, with who, when, why and where to look.
        legal.get_by_role("button", name="Agree this version").click()
        summary = legal.locator(".govuk-error-summary")
        summary.wait_for()
        text = summary.inner_text()
        assert "This schedule changed after you opened this page: Amina Okafor saved at" in text
        assert f"(“{LATE_REASON}”). Check the new changes, then agree again." in text
        assert "Nothing was recorded." in text
        assert versions_of(schedule).count() == 1
        changed = legal.inner_text("[data-testid=changed-since-opened]")
        assert "Pool manager" in changed and "Jo Bloggs" in changed and "0-25" not in changed
        check(legal, "agree-reviewed-02-refused")

        # The pointer opens the comparison of what they had opened with the new changes.
        summary.get_by_role("link", name="Compare what you opened with the new changes").click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}compare/?older={reviewed.pk}&newer={late.pk}")
        diff = legal.inner_text(".s75-diff")
        assert "Pool manager" in diff and "Jo Bloggs" in diff and "The services" not in diff
        check(legal, "agree-reviewed-03-new-changes")

        # On the agree page again they see the new content, and can agree it.
        legal.goto(f"{live_server.url}{SCHEDULE_PATH}agree/")
        reviewing = legal.inner_text("[data-testid=reviewed]")
        assert LATE_REASON in reviewing and "Jo Bloggs" in reviewing and "0-25" in reviewing
        assert legal.locator("input[name=revision]").get_attribute("value") == str(late.pk)
        check(legal, "agree-reviewed-04-agree-page-again")
        fill_decision(legal)
        legal.get_by_role("button", name="Agree this version").click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}")
        body = legal.inner_text("main")
        assert "Version 2" in body and "Jo Bloggs" in body and "Draft changes since" not in body
        check(legal, "agree-reviewed-05-version-2")
        version = versions_of(schedule).order_by("-number").first()
        assert (version.number, version.revision_id, version.agreed_by.username) == (2, late.pk, "haringey-legal")
    finally:
        commissioner_context.close()
        legal_context.close()


def test_a_restore_page_left_open_while_someone_saves_is_refused_then_restores(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    commissioner = get_user_model().objects.get(username="haringey-commissioner")
    document = current_document(schedule)
    document["fields"]["services"] = NEW_SERVICES
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason="Age range widened to 25",
                    user=commissioner)
    loaded = versions_of(schedule).get(number=1).revision
    context = browser.new_context(bypass_csp=True)
    try:
        legal = sign_in(context, live_server.url, "haringey-legal", f"{SCHEDULE_PATH}history/")
        legal.get_by_role("link", name="Restore the document to this entry").first.click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}restore/{loaded.pk}/")
        legal.fill("#id_reason", "The age range change was not approved")

        document = current_document(schedule)
        document["fields"]["pool_manager"] = "Jo Bloggs"
        schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason=LATE_REASON,
                        user=commissioner)
        late = latest_revision(schedule)

        legal.get_by_role("button", name="Restore").click()
        summary = legal.locator(".govuk-error-summary")
        summary.wait_for()
        assert "This schedule changed after you opened this page: Amina Okafor saved at" in summary.inner_text()
        assert "then restore again." in summary.inner_text()
        assert latest_revision(schedule) == late
        check(legal, "agree-reviewed-06-restore-refused")

        # The page now shows what restoring would change from the new state: send it again.
        assert "Jo Bloggs" in legal.inner_text("[data-testid=reviewed]")
        legal.get_by_role("button", name="Restore").click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}history/")
        schedule.refresh_from_db()
        assert schedule.pool_manager == "" and "0-19" in schedule.services
        check(legal, "agree-reviewed-07-restored")
    finally:
        context.close()
