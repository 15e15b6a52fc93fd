"""The budget lines table in Chromium: with JavaScript, Add row and Remove work in place (no round
trip) and the renumbered rows save as the server expects; at 390 px the table scrolls inside its
box, not the page; axe finds nothing. Screenshots in test-output/screenshots/: budget-table.png
(1280 px; the README's docs/screenshots/budget-table.png is refreshed from it by hand) and budget-table-390.png."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.demo import DEMO_PASSWORD
from agreements.models import Schedule
from budgets.importing import budget_lines_import
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARINGEY = "HARINGEY-S75-2017"


def sign_in(browser, base: str, width: int, height: int):
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})  # axe's script
    page = context.new_page()
    page.goto(f"{base}/sign-in/")
    page.fill("input[name=username]", "haringey-finance")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def test_adding_and_removing_rows_in_place_then_saving(live_server, browser):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    removed = list(schedule.budget_lines.order_by("financial_year", "budget_type", "position", "id"))[1]
    url = live_server.url + reverse("schedule_budget_lines", args=[HARINGEY, 6])
    context, page = sign_in(browser, live_server.url, 1280, 900)
    try:
        page.goto(url)
        rows = page.locator("[data-budget-rows] tr")
        assert rows.count() == 18
        screenshot(page, "budget-table")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        page.evaluate("window.stillHere = true")  # gone if a button reloaded the page

        page.click("button[value='add:budget_lines']")
        assert rows.count() == 19
        assert page.evaluate("window.stillHere") is True
        assert page.input_value("[name='budget_lines-count']") == "19"
        assert page.evaluate("document.activeElement.id") == "budget_lines-18-financial_year"

        # Saved blank, the new row comes back from the server with its errors, each linked to its cell.
        page.fill("#id_reason", "Speech and language therapy pooled from 2019/20")
        page.click("button.govuk-button:has-text('Save budget lines')")
        summary = page.locator(".govuk-error-summary")
        assert "Row 19: enter the financial year, such as 2018/19" in summary.inner_text()
        assert "Row 19: enter the service" in summary.inner_text()
        assert rows.count() == 19
        page.click(".govuk-error-summary a:has-text('Row 19: enter the financial year')")
        assert page.evaluate("document.activeElement.id") == "budget_lines-18-financial_year"
        page.evaluate("window.stillHere = true")

        page.fill("#budget_lines-18-financial_year", "2019/20")
        page.fill("#budget_lines-18-service", "Speech and language therapy")
        page.select_option("#budget_lines-18-partner_id", label="Haringey Council")
        page.select_option("#budget_lines-18-budget_type", "pooled")
        page.fill("#budget_lines-18-amount", "12,500")
        page.select_option("#budget_lines-18-status", "confirmed")

        page.click("button[value='remove:budget_lines:1']")  # the second line
        assert rows.count() == 18
        assert page.evaluate("window.stillHere") is True
        assert page.input_value("[name='budget_lines-count']") == "18"
        # The rows after it moved up: the new row is now row 18, its inputs named for index 17.
        assert page.input_value("#budget_lines-17-service") == "Speech and language therapy"
        assert page.locator("label[for='budget_lines-17-service']").inner_text() == "Service, row 18"
        assert page.locator("button[value='remove:budget_lines:17']").count() == 1
        assert page.locator("[data-budget-status]").inner_text().startswith("Row 2 removed.")

        violations = axe_violations(page)  # with the errors and the rows changed in place
        assert not violations, describe_violations(violations)
        screenshot(page, "budget-table-errors")

        page.click("button.govuk-button:has-text('Save budget lines')")
        page.wait_for_url(f"{live_server.url}/agreements/{HARINGEY}/schedules/6/*")
        banner = page.locator(".govuk-notification-banner--success").inner_text()
        assert "Budget lines for Schedule 6 saved (1 added, 1 removed)" in banner
        current = page.locator("[data-testid='budget-years'] [aria-current='true']")
        assert current.inner_text() == "2019/20"  # the latest year with lines is shown first
        added = schedule.budget_lines.get(service="Speech and language therapy")
        assert (added.financial_year, added.budget_type, str(added.amount)) == (2019, "pooled", "12500.00")
        assert not schedule.budget_lines.filter(pk=removed.pk).exists()
        assert schedule.budget_lines.count() == 18
    finally:
        context.close()


def test_the_table_fits_a_390_px_phone_and_scrolls_in_its_box(live_server, browser):
    load_demo_data()
    context, page = sign_in(browser, live_server.url, 390, 844)
    try:
        page.goto(live_server.url + reverse("schedule_budget_lines", args=[HARINGEY, 6]))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(".s75-table-scroll:has([data-testid='budget-lines-table'])")
        assert box.evaluate("box => box.scrollWidth > box.clientWidth"), "the table scrolls inside its box"
        assert page.locator(".s75-table-scroll__hint").first.is_visible()
        screenshot(page, "budget-table-390")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        # The schedule page's year switcher, with a second year of lines.
        schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
        budget_lines_import(schedule=schedule, filename="2019.csv", reason="2019/20 budget", content=(
            b"Financial year,Service,Partner,Budget type,Amount\n2019/20,Health visiting,LBH,Pooled,4500000\n"))
        page.goto(live_server.url + reverse("schedule", args=[HARINGEY, 6]) + "?year=2018/19#budgets")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("[data-testid='budget-years'] [aria-current='true']").inner_text() == "2018/19"
        page.click("[data-testid='budget-years'] a:has-text('2019/20')")
        page.wait_for_url("**year=2019/20**")  # a link: read the new page, not the one being left
        expect(page.locator("[data-testid='budget-table'] caption")).to_have_text(["Pooled fund 2019/20"])
        page.locator("#budgets").scroll_into_view_if_needed()
        screenshot(page, "schedule-budget-years-390", full_page=False)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
    finally:
        context.close()
