"""In Chromium, two people at once: the legal officer opens the decision page of a variation of Haringey
Schedule 6, the commissioner (in a second browser context) saves a change inside it, and the legal
officer's decision is refused; on the decision page again they record it. Axe on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.demo import DEMO_PASSWORD
from agreements.models import PartyDecision, Schedule
from agreements.services.schedules import schedule_update
from agreements.services.variations import variation_decide, variation_propose
from documents.models import Decision
from documents.revisions import latest_revision, versions_of
from governance.demo import load_demo_data
from partnerships.models import Partner
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
    today = timezone.localdate()
    page.fill("input[name=body]", "Cabinet Member Signing")
    page.fill("input[name=decided_on_day]", str(today.day))
    page.fill("input[name=decided_on_month]", str(today.month))
    page.fill("input[name=decided_on_year]", str(today.year))
    page.fill("input[name=reference]", "CMS-2026-04")


def test_an_edit_saved_while_the_decision_page_is_open_is_not_agreed_unseen(live_server, browser):
    """Schedule 6 is agreed by a variation of every party: the council's legal officer opens the
    decision page; the commissioner changes the schedule inside the variation; the decision is refused
    until the legal officer has seen the variation as it now stands."""
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    commissioner_user = get_user_model().objects.get(username="haringey-commissioner")
    document = current_document(schedule)
    document["fields"]["services"] = NEW_SERVICES
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason="Age range widened to 25",
                    user=commissioner_user)
    variation = variation_propose(
        agreement=schedule.agreement, title="SEND age range", summary="Widens the age range to 25.",
        effective_date=timezone.localdate(), documents=[schedule], user=commissioner_user,
    )
    variation_path = f"/agreements/{HARINGEY}/variations/{variation.number}/"

    legal_context = browser.new_context(bypass_csp=True)  # lets axe's script in
    commissioner_context = browser.new_context(bypass_csp=True)
    try:
        # The legal officer opens the decision page from the variation: it shows what they are agreeing.
        legal = sign_in(legal_context, live_server.url, "haringey-legal", variation_path)
        legal.get_by_role("link", name="Record Haringey Council's decision").click()
        legal.wait_for_url(f"**{variation_path}decide/")
        assert "SEND age range" in legal.inner_text("[data-testid=reviewed]")
        assert legal.locator("input[name=edit_count]").get_attribute("value") == "0"
        check(legal, "agree-reviewed-01-agree-page")
        fill_decision(legal)

        # Meanwhile the commissioner, in another browser, names the pool manager inside the variation.
        commissioner = sign_in(commissioner_context, live_server.url, "haringey-commissioner", variation_path)
        commissioner.get_by_role("link", name="schedule 6", exact=True).click()
        commissioner.wait_for_url(f"**{SCHEDULE_PATH}edit/?variation={variation.number}")
        assert "This change is part of variation" in commissioner.inner_text("[data-testid=in-variation]")
        commissioner.fill("#id_pool_manager", "Jo Bloggs")
        commissioner.fill("#id_reason", LATE_REASON)
        commissioner.click("main button.govuk-button:has-text('Save changes')")
        commissioner.wait_for_url(f"**{SCHEDULE_PATH}")
        late = latest_revision(schedule)

        # The legal officer sends the form they filled in: refused, and the page carries the new state.
        legal.get_by_role("button", name="Record the decision").click()
        summary = legal.locator(".govuk-error-summary")
        summary.wait_for()
        text = summary.inner_text()
        assert f"Variation {variation.number} changed after you opened this page" in text
        assert "Nothing was recorded." in text
        assert not PartyDecision.objects.filter(variation=variation).exists()
        assert legal.locator("input[name=edit_count]").get_attribute("value") == "1"
        check(legal, "agree-reviewed-02-refused")

        # The compare link shows the schedule as the variation now carries it.
        legal.locator("[data-testid=reviewed]").get_by_role("link", name="Schedule 6").click()
        legal.wait_for_url(f"**{SCHEDULE_PATH}compare/?*")
        diff = legal.inner_text(".s75-diff")
        assert "Pool manager" in diff and "Jo Bloggs" in diff
        check(legal, "agree-reviewed-03-new-changes")

        # On the decision page again they record the decision; the CCG's decision makes it take effect.
        legal.goto(f"{live_server.url}{variation_path}decide/")
        fill_decision(legal)
        legal.get_by_role("button", name="Record the decision").click()
        legal.wait_for_url(f"**{variation_path}")
        assert "waits for the other parties" in legal.inner_text("main")
        check(legal, "agree-reviewed-04-decided")
        variation_decide(
            variation=variation, partner=Partner.objects.get(code="07M"), user=None, expected_edit_count=1,
            decision=Decision(body="Governing body", decided_on=timezone.localdate()),
        )
        legal.goto(f"{live_server.url}{SCHEDULE_PATH}")
        body = legal.inner_text("main")
        assert "Version 2" in body and "Jo Bloggs" in body and "Draft changes since" not in body
        check(legal, "agree-reviewed-05-version-2")
        version = versions_of(schedule).order_by("-number").first()
        assert (version.number, version.revision_id) == (2, late.pk)
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
