"""In Chromium: a legal officer answers "what changed in Schedule 6 since it was agreed, who did it and
why?", records the council's decision on the variation that carries it (the CCG has agreed it already), and opens version 1 as it was agreed. Axe on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.demo import DEMO_PASSWORD
from agreements.models import Schedule
from agreements.services.schedules import schedule_update
from agreements.services.variations import variation_decide, variation_propose
from documents.models import Decision
from documents.revisions import latest_version
from governance.demo import load_demo_data
from partnerships.models import Partner
from tests.browser import axe_violations, describe_violations, screenshot
from tests.history.conftest import HARINGEY, current_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_TEXT = "to improve the health outcomes of 0-19 year olds"
NEW_SERVICES = (
    "Haringey CCG will commission on behalf of itself and the council a range of services and pathways "
    "to improve the health outcomes of 0-25 year olds with special educational needs and disabilities."
)
REASON = "Age range widened to 25 after the SEND review"


def check(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_legal_officer_reviews_agrees_and_opens_version_1(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    document = current_document(schedule)
    document["fields"]["services"] = NEW_SERVICES
    schedule_update(
        schedule=schedule, document=document, expected_edit_count=None, reason=REASON,
        user=get_user_model().objects.get(username="haringey-commissioner"),
    )

    variation = variation_propose(
        agreement=schedule.agreement, title="SEND age range", summary="Widens the age range to 25.",
        effective_date=timezone.localdate(), documents=[schedule],
        user=get_user_model().objects.get(username="haringey-commissioner"),
    )
    variation_decide(variation=variation, partner=Partner.objects.get(code="07M"), user=None, expected_edit_count=0,
                     decision=Decision(body="NHS Haringey CCG governing body", decided_on=timezone.localdate()))

    context = browser.new_context(bypass_csp=True)  # lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", "haringey-legal")
        page.fill("input[name=password]", DEMO_PASSWORD)
        check(page, "legal-01-sign-in")
        page.click("button[type=submit]")

        # My agreements → the agreement → Schedule 6
        page.wait_for_url(f"{live_server.url}/")
        assert "My agreements" in page.inner_text("h1")
        check(page, "legal-02-my-agreements")
        page.click(f"a[href='/agreements/{HARINGEY}/']")
        page.wait_for_url(f"**/agreements/{HARINGEY}/")
        check(page, "legal-03-agreement")
        page.click(f"a[href='/agreements/{HARINGEY}/schedules/6/']")
        page.wait_for_url("**/schedules/6/")
        body = page.inner_text("main")
        assert "Version 1" in body and "Draft changes since version 1" in body
        check(page, "legal-04-schedule-draft")

        # History: who changed what, and why.
        page.get_by_role("link", name="History", exact=True).click()
        page.wait_for_url("**/schedules/6/history/")
        entries = page.locator("[data-testid=history-entry]")
        assert entries.count() == 2
        newest = entries.first.inner_text()
        assert "Amina Okafor" in newest and REASON in newest and "The services" in newest
        check(page, "legal-05-history")

        # Compare version 1 with the current draft.
        page.select_option("#compare-older", label=page.locator("#compare-older option", has_text="Version 1")
                           .first.inner_text())
        page.select_option("#compare-newer", index=0)
        page.get_by_role("button", name="Compare").click()
        page.wait_for_url("**/schedules/6/compare/?*")
        diff = page.inner_text(".s75-diff")
        assert "The services" in diff
        assert "0-19" in diff and "0-25" in diff
        assert "[deleted:" in page.inner_html(".s75-diff") and "[inserted:" in page.inner_html(".s75-diff")
        check(page, "legal-06-compare")

        # The schedule binds both parties: the commissioner proposed a variation and the CCG agreed it;
        # the council's decision, recorded here, makes it take effect.
        page.goto(f"{page.url.split('/agreements/')[0]}/agreements/{HARINGEY}/variations/2/")
        page.get_by_role("link", name="Record Haringey Council's decision").click()
        page.wait_for_url("**/variations/2/decide/")
        check(page, "legal-07-agree")
        today = timezone.localdate()
        page.fill("input[name=body]", "Cabinet Member Signing")
        page.fill("input[name=decided_on_day]", str(today.day))
        page.fill("input[name=decided_on_month]", str(today.month))
        page.fill("input[name=decided_on_year]", str(today.year))
        page.fill("input[name=reference]", "CMS-2021-04")
        page.check("input[name=key_decision]")
        page.get_by_role("button", name="Record the decision").click()
        page.wait_for_url("**/variations/2/")
        assert "has taken effect" in page.inner_text("main")
        page.goto(f"{page.url.split('/agreements/')[0]}/agreements/{HARINGEY}/schedules/6/")
        body = page.inner_text("main")
        assert "Version 2" in body
        assert "Draft changes since" not in body
        assert "0-25 year olds" in body
        check(page, "legal-08-schedule-version-2")
        version = latest_version(schedule)
        assert (version.number, version.decision.reference, version.agreed_by.username) == (
            2, "CMS-2021-04", "haringey-legal"
        )

        # Version 1, exactly as agreed.
        page.get_by_role("link", name="History", exact=True).click()
        page.wait_for_url("**/schedules/6/history/")
        page.get_by_role("link", name="View version 1 exactly as agreed").click()
        page.wait_for_url("**/schedules/6/versions/1/")
        body = page.inner_text("main")
        assert "Version 1, exactly as agreed" in body
        assert "Agreed by every party through Variation 1" in body  # version 1 was agreed by variation 1
        assert "Haringey Council: Cabinet Member Signing, 6 February 2018" in body
        assert OLD_TEXT in body
        assert "0-25 year olds" not in body
        check(page, "legal-09-version-1")
    finally:
        context.close()
