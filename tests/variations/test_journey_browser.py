"""In Chromium: a commissioner proposes a variation of Schedule 6; the council's and the CCG's legal
officers, each in their own browser context, record their party's decision; the variation takes
effect and the agreement's record shows both decisions. Axe on every page, at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.demo import DEMO_PASSWORD
from agreements.models import Schedule
from agreements.services.schedules import schedule_update
from documents.revisions import latest_version
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot
from tests.history.conftest import HARINGEY, current_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        violations = axe_violations(page)
        assert violations == [], f"{name} at {width}px: {describe_violations(violations)}"
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(browser, live_server, username: str):
    context = browser.new_context(bypass_csp=True)  # lets axe's script in
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def fill_date(page, name: str, day) -> None:
    page.fill(f"input[name={name}_day]", str(day.day))
    page.fill(f"input[name={name}_month]", str(day.month))
    page.fill(f"input[name={name}_year]", str(day.year))


def decide(page, body: str, reference: str) -> None:
    page.get_by_role("link", name="'s decision").click()
    page.wait_for_url("**/variations/2/decide/")
    check(page, f"variation-decide-{reference[:3].lower()}")
    page.fill("input[name=body]", body)
    fill_date(page, "decided_on", timezone.localdate())
    page.fill("input[name=reference]", reference)
    page.click("button:has-text('Record the decision')")
    page.wait_for_url("**/variations/2/")


def test_two_parties_agree_a_variation_in_their_own_browsers(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    document = current_document(schedule)
    document["fields"]["pool_manager"] = "Head of Children's Commissioning"
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason="Pool manager named",
                    user=get_user_model().objects.get(username="haringey-commissioner"))
    contexts = []
    try:
        context, commissioner = sign_in(browser, live_server, "haringey-commissioner")
        contexts.append(context)
        commissioner.goto(f"{live_server.url}/agreements/{HARINGEY}/")
        commissioner.get_by_role("link", name="Propose a variation").first.click()
        commissioner.wait_for_url("**/variations/new/")
        commissioner.click("button:has-text('Propose the variation')")  # nothing filled in: errors
        assert "Enter a title for the variation" in commissioner.inner_text(".govuk-error-summary")
        check(commissioner, "variation-propose-errors")
        commissioner.fill("input[name=title]", "Pool manager for Schedule 6")
        commissioner.fill("textarea[name=summary]", "Names the pool manager.")
        fill_date(commissioner, "effective_date", timezone.localdate())
        commissioner.get_by_label("Schedule 6").check()
        commissioner.click("button:has-text('Propose the variation')")
        commissioner.wait_for_url("**/variations/2/")
        check(commissioner, "variation-proposed")

        context, council = sign_in(browser, live_server, "haringey-legal")
        contexts.append(context)
        assert "variation 2: Pool manager for Schedule 6" in council.inner_text("[data-testid=waiting-on-you]")
        check(council, "variation-home-waiting")
        council.get_by_role("link", name="variation 2: Pool manager").click()
        decide(council, "Cabinet Member Signing", "CMS 2026/14")
        assert "waits for the other parties" in council.inner_text(".govuk-notification-banner")

        context, ccg = sign_in(browser, live_server, "haringey-ccg-legal")
        contexts.append(context)
        ccg.get_by_role("link", name="variation 2: Pool manager").click()
        decide(ccg, "NCL ICB Board", "ICB 26/101")
        assert "has taken effect" in ccg.inner_text(".govuk-notification-banner")
        check(ccg, "variation-agreed")

        council.goto(f"{live_server.url}/agreements/{HARINGEY}/")
        record = council.locator("#variations ~ dl").first.inner_text()
        assert "Agreed: Cabinet Member Signing" in record and "Agreed: NCL ICB Board" in record
        check(council, "variation-record")
        assert "As varied by variation 2" in council.inner_text("[data-testid=varied-by]")

        # Schedule 6's history: the variation is one unit, and version 2 names both parties' decisions.
        council.goto(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/history/")
        unit = council.locator("[data-testid=history-group]").first.inner_text()
        assert "Variation 2: Pool manager for Schedule 6" in unit and "Proposed by" in unit
        assert "Agreed by Haringey Council: Cabinet Member Signing" in unit and "(CMS 2026/14)" in unit
        assert "(ICB 26/101)" in unit and "Took effect, agreed by every party: Schedule 6 became version 2" in unit
        check(council, "variation-history-unit")
        council.goto(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/versions/2/")
        banner = council.inner_text("[data-testid=version-banner]")
        assert "Cabinet Member Signing" in banner and "NCL ICB Board" in banner
        check(council, "variation-version-banner")
    finally:
        for context in contexts:
            context.close()
    assert latest_version(schedule).number == 2


def test_the_proposer_changes_what_a_variation_carries_and_a_stale_decision_is_shown_what_changed(live_server, browser):
    from agreements.models import Agreement, Variation
    from agreements.services.agreements import agreement_update
    from agreements.services.variations import variation_propose

    load_demo_data()
    commissioner_user = get_user_model().objects.get(username="haringey-commissioner")
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    document = current_document(schedule)
    document["fields"]["pool_manager"] = "Head of Children's Commissioning"
    schedule_update(schedule=schedule, document=document, expected_edit_count=None, reason="Pool manager named",
                    user=commissioner_user)
    agreement = Agreement.objects.get(reference=HARINGEY)
    agreement_update(agreement=agreement, document={"fields": {"title": f"{agreement.title} (as varied)"}},
                     expected_edit_count=None, reason="Retitled", user=commissioner_user)
    variation = variation_propose(agreement=agreement, title="Pool manager", summary="Names the pool manager.",
                                  effective_date=timezone.localdate(), documents=[schedule], user=commissioner_user)
    base = f"{live_server.url}/agreements/{HARINGEY}/variations/{variation.number}"
    contexts = []
    try:
        context, council = sign_in(browser, live_server, "haringey-legal")
        contexts.append(context)
        council.goto(f"{base}/decide/")  # opened before the variation changes

        context, commissioner = sign_in(browser, live_server, "haringey-commissioner")
        contexts.append(context)
        commissioner.goto(f"{base}/")
        commissioner.get_by_role("link", name="Add or remove a drafted document").click()
        commissioner.wait_for_url("**/documents/")
        check(commissioner, "variation-documents")
        commissioner.click("button:has-text('Add to the variation')")  # nothing chosen: an error
        assert "Choose the drafted document to add" in commissioner.inner_text(".govuk-error-summary")
        check(commissioner, "variation-documents-errors")
        commissioner.get_by_label("The agreement").check()
        commissioner.click("button:has-text('Add to the variation')")
        commissioner.wait_for_url(f"{base}/")
        assert "The agreement added to variation" in commissioner.inner_text(".govuk-notification-banner")

        fill_date(council, "decided_on", timezone.localdate())
        council.fill("input[name=body]", "Cabinet Member Signing")
        council.click("button:has-text('Record the decision')")
        assert "changed after you opened this page" in council.inner_text(".govuk-error-summary")
        assert "The agreement was added to the variation" in council.inner_text("[data-testid=changed-since-opened]")
        check(council, "variation-decide-changed")

        commissioner.goto(f"{base}/withdraw/")
        commissioner.click("button:has-text('Withdraw the variation')")  # no reason: an error
        assert "Enter why the variation is withdrawn" in commissioner.inner_text(".govuk-error-summary")
        check(commissioner, "variation-withdraw-errors")
        commissioner.fill("textarea[name=reason]", "The pool manager is to be named next year")
        commissioner.click("button:has-text('Withdraw the variation')")
        commissioner.wait_for_url(f"{base}/")
        assert "next year" in commissioner.inner_text("[data-testid=withdrawn-reason]")
        check(commissioner, "variation-withdrawn")
    finally:
        for context in contexts:
            context.close()
    assert Variation.objects.get(pk=variation.pk).status == "withdrawn"
