"""Changing one section of Schedule 6 in Chromium, at 1280 px and 390 px: the summary's Change link, the
short section page, the error that names its field, the save and the banner that names what changed."""

from __future__ import annotations

import pytest

from agreements.models import Schedule
from documents.revisions import latest_revision
from governance.demo import load_demo_data
from tests.agreements.conftest import HARINGEY
from tests.agreements.test_commissioner_journey import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEDULE_PATH = f"/agreements/{HARINGEY}/schedules/6/"
WIDTHS = {"desktop": 1280, "phone": 390}
NEW_KPI = "Children seen for speech and language therapy within 18 weeks"


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px window"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_commissioner_changes_the_kpis_from_the_schedule_summary(live_server, browser, width):
    load_demo_data()
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    kpis = list(schedule.kpis.order_by("position").values_list("text", flat=True))
    context = browser.new_context(bypass_csp=True, viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "haringey-commissioner", SCHEDULE_PATH)
        fits(page)
        check(page, f"sections-01-schedule-summary-{width}")

        page.click("[data-testid=change-key-performance-indicators]")
        page.wait_for_url(f"**{SCHEDULE_PATH}edit/kpis/")
        assert page.inner_text("main h1") == "Key performance indicators"
        fields = page.locator("main form textarea, main form input:not([type=hidden]), main form select").count()
        assert fields == len(kpis) + 1  # one box per KPI and the reason
        fits(page)
        check(page, f"sections-02-kpis-page-{width}")

        # Save without a reason: the error names the field and links to it; nothing is written.
        before = latest_revision(schedule).pk
        page.click("#kpis-add")
        page.wait_for_selector(f"#kpis-{len(kpis)}-text")
        page.fill(f"#kpis-{len(kpis)}-text", NEW_KPI)
        page.click("main button.govuk-button:has-text('Save changes')")
        summary = page.locator(".govuk-error-summary")
        assert "Enter the reason for this change" in summary.inner_text()
        assert summary.locator("a[href='#id_reason']").count() == 1
        assert page.input_value(f"#kpis-{len(kpis)}-text") == NEW_KPI, "what was typed is still there"
        assert latest_revision(schedule).pk == before
        check(page, f"sections-03-kpis-error-{width}")

        page.fill("#id_reason", "A KPI for speech and language therapy waits")
        page.click("main button.govuk-button:has-text('Save changes')")
        page.wait_for_url(f"**{SCHEDULE_PATH}")
        banner = page.locator(".govuk-notification-banner--success").inner_text()
        assert "Schedule 6 saved." in banner and "Key performance indicators: 1 added" in banner
        assert NEW_KPI in page.inner_text("[data-testid=kpis]")
        fits(page)
        check(page, f"sections-04-saved-{width}")
        assert latest_revision(schedule).reason == "A KPI for speech and language therapy waits"
    finally:
        context.close()
