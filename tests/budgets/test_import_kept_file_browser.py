"""In Chromium: a schedule table sent without its year keeps the chosen file and marks the fields; the preview
shows totals and new lines; the agreement-wide import previews each schedule. Every page is checked with axe."""

from __future__ import annotations

import pytest

from agreements.demo import DEMO_PASSWORD
from agreements.models import BudgetLine
from governance.demo import load_demo_data
from tests.budgets.test_import_browser import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REF = "HARINGEY-S75-2017"


def test_the_kept_file_the_field_errors_and_the_agreement_wide_preview(live_server, browser, shared_budgets,
                                                                       tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_data()
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/?next=/agreements/{REF}/schedules/6/budgets/import/")
        page.fill("input[name=username]", "haringey-finance")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/budgets/import/")

        # The table without its year and type: both fields in the error state, the file kept.
        page.set_input_files("input[name=file]", str(shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx"))
        page.click("text=Check the file")
        assert "enter the financial year" in page.inner_text("#id_financial_year-error")
        assert "govuk-input--error" in page.get_attribute("#id_financial_year", "class")
        assert "govuk-select--error" in page.get_attribute("#id_budget_type", "class")
        assert "haringey-schedule-6-aligned-budgets.xlsx" in page.inner_text("[data-testid=chosen-file]")
        check_axe(page, "budgets-import-kept-file")
        page.click(".govuk-error-summary a[href='#id_financial_year']")
        assert page.evaluate("document.activeElement.id") == "id_financial_year"

        # Only the year and type this time: the kept file is checked.
        page.fill("input[name=financial_year]", "2019/20")
        page.select_option("select[name=budget_type]", "aligned")
        page.click("text=Check the file")
        page.wait_for_url("**/budgets/import/*/")
        assert page.inner_text("[data-testid=count-new]") == "18"
        assert "2019/20" in page.inner_text("[data-testid=import-totals]")
        assert page.locator("[data-testid=new-lines] tbody tr").count() == 18
        check_axe(page, "budgets-import-preview-totals")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.set_viewport_size({"width": 1280, "height": 720})

        # The agreement-wide import, from the agreement page.
        page.goto(f"{live_server.url}/agreements/{REF}/")
        page.click("[data-testid=agreement-budget-import]")
        page.wait_for_url("**/budgets/import/")
        check_axe(page, "budgets-agreement-import-upload")
        wide = tmp_path / "agreement.csv"
        wide.write_text("Schedule,Financial year,Service,Partner,Budget type,Amount (£)\r\n"
                        "1,2019/20,Agreement-wide service,LBH,Pooled,1000\r\n"
                        "6,2019/20,Agreement-wide service,NHS Haringey CCG,Aligned,2500.50\r\n", encoding="utf-8")
        page.set_input_files("input[name=file]", str(wide))
        page.click("text=Check the file")
        page.wait_for_url("**/budgets/import/*/")
        assert page.locator("[data-testid=schedule-section-1] [data-testid=new-lines] tbody tr").count() == 1
        assert page.locator("[data-testid=schedule-section-6] [data-testid=new-lines] tbody tr").count() == 1
        check_axe(page, "budgets-agreement-import-preview")
        page.set_viewport_size({"width": 390, "height": 844})  # on a phone the wide tables scroll in their box
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.set_viewport_size({"width": 1280, "height": 720})
        page.click("text=Confirm import")
        page.wait_for_url(f"**/agreements/{REF}/")
        assert "Schedule 1: 1 new, 0 changed; Schedule 6: 1 new, 0 changed" in page.inner_text("main")
        assert BudgetLine.objects.filter(service="Agreement-wide service").count() == 2
    finally:
        context.close()
