"""In Chromium: a finance officer signs in, uploads the Haringey table, checks the preview, confirms;
a broken CSV shows its rows and changes nothing. Every page is checked with axe."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from agreements.models import BudgetLine
from budgets.models import BudgetImport
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REF = "HARINGEY-S75-2017"


def check_axe(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_upload_preview_confirm_in_a_browser(live_server, browser, shared_budgets, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_data()
    context = browser.new_context(bypass_csp=True)  # lets axe's script in; the pages' own CSP is unchanged
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/?next=/agreements/{REF}/schedules/6/budgets/import/")
        page.fill("input[name=username]", "haringey-finance")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/budgets/import/")
        check_axe(page, "budgets-import-upload")

        # A broken CSV: the preview names the rows and offers no confirm.
        broken = tmp_path / "broken.csv"
        broken.write_bytes("Financial year,Service,Partner,Budget type,Amount (£)\r\n"
                           "2018/19,Health visiting,LBH,Aligned,lots\r\n".encode("cp1252"))
        before = BudgetLine.objects.count(), BudgetLine.history.count()
        page.set_input_files("input[name=file]", str(broken))
        page.click("text=Check the file")
        page.wait_for_url("**/budgets/import/*/")
        assert "Row 2, column “Amount (£)”" in page.inner_text(".govuk-error-summary")
        assert "2\tAmount (£)\tlots" in page.inner_text("#errors")
        assert page.locator("text=Confirm import").count() == 0
        check_axe(page, "budgets-import-errors")
        assert (BudgetLine.objects.count(), BudgetLine.history.count()) == before

        page.goto(f"{live_server.url}/agreements/{REF}/schedules/6/budgets/import/")
        page.set_input_files("input[name=file]", str(shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx"))
        page.fill("input[name=financial_year]", "2019/20")
        page.select_option("select[name=budget_type]", "aligned")
        page.click("text=Check the file")
        page.wait_for_url("**/budgets/import/*/")
        assert page.inner_text("[data-testid=count-new]") == "18"
        assert page.inner_text("[data-testid=count-errors]") == "0"
        check_axe(page, "budgets-import-preview")
        assert BudgetImport.objects.count() == 0

        page.click("text=Confirm import")
        page.wait_for_url("**/budgets/imports/*/")
        assert "Budget lines imported" in page.inner_text("h1")
        check_axe(page, "budgets-import-result")
        assert BudgetLine.objects.filter(financial_year=2019, schedule__number=6).count() == 18

        page.click("text=Budget totals and the ring-fenced public health report")
        assert "2019/20" in page.inner_text("[data-testid=totals]")
        check_axe(page, "budgets-reports")
    finally:
        context.close()
