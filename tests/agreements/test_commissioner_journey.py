"""In Chromium: a commissioner edits Schedule 6 and adds Schedule 7; two editors collide; keyboard use.

Every page of the journey is screenshotted into test-output/screenshots/ and checked with axe-core
(WCAG 2.2 A/AA).
"""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from agreements.models import Schedule
from governance.demo import load_demo_data
from tests.agreements.conftest import HARINGEY
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEDULE_PATH = f"/agreements/{HARINGEY}/schedules/6/"
NEW_OUTCOME = "Improved quality of community health services, reviewed with families every quarter."
NEW_KPI = "Percentage of children seen for speech and language therapy within 18 weeks"


def check(page, name: str) -> None:
    """Screenshot the page and assert axe finds no WCAG 2.2 A/AA violations on it."""
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"{name} ({page.url}):\n{describe_violations(violations)}"


def sign_in(page, base_url: str, username: str, next_path: str = "/") -> None:
    page.goto(f"{base_url}/sign-in/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")


def ordered_texts(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_commissioner_edits_schedule_6_and_adds_schedule_7(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    risks = list(schedule.risks.order_by("position").values_list("risk", flat=True))
    context = browser.new_context(bypass_csp=True)  # lets axe's script in; the pages' own CSP is unchanged
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.wait_for_url("**/sign-in/**")
        check(page, "journey-00-sign-in")
        page.fill("input[name=username]", "haringey-commissioner")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(live_server.url + "/")

        # My agreements
        assert page.inner_text("h1") == "My agreements"
        assert HARINGEY in page.inner_text("[data-testid=agreements]")
        check(page, "journey-01-home")

        # The Haringey agreement
        page.click(f"a:has-text('{HARINGEY}')")
        page.wait_for_url(f"**/agreements/{HARINGEY}/")
        check(page, "journey-02-agreement")

        # Schedule 6
        page.click("[data-testid=schedules] a:has-text('Schedule 6: Children')")
        page.wait_for_url(f"**{SCHEDULE_PATH}")
        assert "Schedule 6" in page.inner_text("h1")
        check(page, "journey-03-schedule-6")

        # Edit: change outcome 3, add a KPI, move risk 2 up, give a reason, save
        page.click("a:has-text('Edit the whole schedule')")
        page.wait_for_url(f"**{SCHEDULE_PATH}edit/")
        check(page, "journey-04-edit-schedule-6")
        page.fill("#outcomes-2-text", NEW_OUTCOME)
        kpi_count = int(page.locator("input[name=kpis-count]").input_value())
        page.click("#kpis-add")
        page.wait_for_selector(f"#kpis-{kpi_count}-text")
        assert page.input_value("#outcomes-2-text") == NEW_OUTCOME, "the typed outcome survives the redraw"
        page.fill(f"#kpis-{kpi_count}-text", NEW_KPI)
        page.click("#risks-1-up")
        page.wait_for_load_state()
        assert page.input_value("#risks-0-risk") == risks[1]
        assert page.input_value(f"#kpis-{kpi_count}-text") == NEW_KPI
        page.fill("#id_reason", "Outcome 3 made measurable, a KPI for therapies, risk 2 first")
        check(page, "journey-05-edit-schedule-6-filled")
        page.click("main button.govuk-button:has-text('Save changes')")
        page.wait_for_url(f"**{SCHEDULE_PATH}")

        # The schedule page shows the changes
        assert "Schedule 6 saved" in page.inner_text("main")
        assert ordered_texts(page, "[data-testid=outcomes] li")[2] == NEW_OUTCOME
        assert NEW_KPI in page.inner_text("[data-testid=kpis]")
        risk_cells = ordered_texts(page, "[data-testid=risks] tbody tr td:first-child")
        assert risk_cells[:2] == [risks[1], risks[0]]
        check(page, "journey-06-schedule-6-saved")

        # Add Schedule 7 with two outcomes
        page.goto(f"{live_server.url}/agreements/{HARINGEY}/")
        page.click("a:has-text('Add schedule 7')")
        page.wait_for_url("**/schedules/new/")
        assert page.inner_text("h1").startswith("Add schedule 7")
        assert page.input_value("#id_number") == "7"
        check(page, "journey-07-add-schedule-7")
        page.fill("#id_title", "Short breaks for disabled children")
        page.fill("#id_service_name", "Short breaks")
        page.check("#id_pooled_fund")
        page.click("#outcomes-add")
        page.wait_for_selector("#outcomes-0-text")
        page.fill("#outcomes-0-text", "More families get a short break when they need one")
        page.click("#outcomes-add")
        page.wait_for_selector("#outcomes-1-text")
        assert page.input_value("#outcomes-0-text") == "More families get a short break when they need one"
        assert page.input_value("#id_title") == "Short breaks for disabled children"
        page.fill("#outcomes-1-text", "Fewer children placed away from home")
        page.fill("#id_reason", "Cabinet agreed short breaks as a new schedule")
        check(page, "journey-08-add-schedule-7-filled")
        page.click("main button.govuk-button:has-text('Add schedule')")
        page.wait_for_url(f"**/agreements/{HARINGEY}/schedules/7/")
        assert "Schedule 7" in page.inner_text("h1")
        assert ordered_texts(page, "[data-testid=outcomes] li") == [
            "More families get a short break when they need one", "Fewer children placed away from home",
        ]
        check(page, "journey-09-schedule-7")
    finally:
        context.close()


def test_two_editors_the_second_sees_the_conflict_and_keeps_its_input(live_server, browser):
    load_demo_data()
    first_context = browser.new_context(bypass_csp=True)
    second_context = browser.new_context(bypass_csp=True)
    try:
        first, second = first_context.new_page(), second_context.new_page()
        edit_path = f"{SCHEDULE_PATH}edit/"
        sign_in(first, live_server.url, "haringey-commissioner", edit_path)
        sign_in(second, live_server.url, "haringey-commissioner", edit_path)

        first.fill("#outcomes-2-text", NEW_OUTCOME)
        first.fill("#id_reason", "First editor's change")
        second_text = "Second editor's outcome 4, typed at the same time."
        second.fill("#outcomes-3-text", second_text)
        second.fill("#id_reason", "Second editor's change")

        first.click("main button.govuk-button:has-text('Save changes')")
        first.wait_for_url(f"**{SCHEDULE_PATH}")
        assert "Schedule 6 saved" in first.inner_text("main")

        with second.expect_response(lambda r: r.request.method == "POST") as answer:
            second.click("main button.govuk-button:has-text('Save changes')")
        assert answer.value.status == 409
        second.wait_for_selector("#conflict")
        conflict = second.inner_text("[data-testid=conflict]")
        assert "Amina Okafor changed this" in conflict
        assert second.input_value("#outcomes-3-text") == second_text
        assert second.input_value("#id_reason") == "Second editor's change"
        check(second, "conflict-01-second-editor")

        schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
        outcomes = list(schedule.outcomes.order_by("position").values_list("text", flat=True))
        assert outcomes[2] == NEW_OUTCOME
        assert second_text not in outcomes
    finally:
        first_context.close()
        second_context.close()


def test_the_skip_link_is_the_first_thing_tab_reaches(live_server, browser):
    load_demo_data()
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "haringey-commissioner", SCHEDULE_PATH)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content"
    finally:
        context.close()
