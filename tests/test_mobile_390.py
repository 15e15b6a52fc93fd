"""At 390 px in Chromium, every HTML page a signed-in user (or a visitor) reaches with the demo data:
nothing scrolls sideways (document width <= 390), summary lists stack and axe finds nothing. Screenshots of each page go
to test-output/screenshots/mobile-*.png.

The pages come from the URL conf, through the authorisation matrix (tests/security/), so a new page
is walked here as soon as it has its matrix entry. Each page is opened by a role that may change it
where there is one (so its form shows), otherwise by a viewer. Skipped, because they are not HTML
pages: the API (JSON) and its docs (Redoc, a third party's page), PDFs, csv/xlsx/ics downloads;
the POST-only actions (sign out, revoke a token, a new calendar address) answer GET with 405;
an import preview needs a file uploaded in the same session (tested in tests/budgets/); a board's
terms approve and restore pages are for its partners' legal officers, and the demo has none.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data
from tests.browser import axe_violations, describe_violations, screenshot
from tests.security.matrix_api import API
from tests.security.test_authorization_matrix import (
    MATRIX,
    C,
    F,
    L,
    V,
    action_plan_for_matrix,
    monitoring_return_for_matrix,
    url_for,
)

# What it checks (page widths, stacking, axe) does not depend on the database, so CI walks it once, on SQLite.
pytestmark = [pytest.mark.browser, pytest.mark.one_database, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
USERS = {C: "haringey-commissioner", L: "haringey-legal", F: "haringey-finance", V: "haringey-viewer"}
BOARD_USER = "cambridgeshire-commissioner"
NOT_HTML = ("pdf:", "api:", "budgets:schedule_export", "budgets:agreement_export", "_xlsx", "_pdf", "_ics",
            "_import_template", "budgets:import_template")
NOT_PAGES = {"logout", "api_token_revoke", "calendar_address_regenerate", "calendar_feed",
             "oidc_authentication_init", "oidc_authentication_callback",
             "budgets:import_preview", "budgets:monitoring_import_preview", "budgets:agreement_import_preview",
             "variation_notice", "due_item_ics"}  # a PDF download, a calendar file

# The outermost elements that reach past the right edge: what makes the page scroll sideways.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.parentElement.closest('*') || e.parentElement.getBoundingClientRect().right
                <= document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}px`)
  .join(', ')"""

# Summary list rows whose key and value sit side by side (GOV.UK stacks them on a phone).
UNSTACKED_SUMMARY_ROWS = """() => [...document.querySelectorAll('.govuk-summary-list__row')].filter(row => {
  const key = row.querySelector('.govuk-summary-list__key'), value = row.querySelector('.govuk-summary-list__value');
  return key && value && key.getBoundingClientRect().bottom > value.getBoundingClientRect().top + 1;
}).map(row => row.querySelector('.govuk-summary-list__key').textContent.trim()).slice(0, 3).join(', ')"""


def demo_world():
    """The arguments the matrix's `url_for` needs, from the demo plus a budget import and a notice."""
    from agreements.models import DecisionNotice, PartyDecision, Schedule
    from budgets.importing import budget_lines_import
    from documents.revisions import revisions_of
    from governance.models import Board

    schedule = Schedule.objects.get(agreement__reference="HARINGEY-S75-2017", number=6)
    agreement = schedule.agreement
    board = Board.objects.get(short_name="CHJCB")
    csv = b"Financial year,Service,Partner,Budget type,Amount\n2019/20,Health visiting,LBH,Aligned,100\n"
    imported = budget_lines_import(schedule=schedule, filename="mobile.csv", content=csv, reason="Mobile test")
    decision = PartyDecision.objects.get(variation__agreement=agreement, variation__number=1,
                                         partner__name="Haringey Council")
    DecisionNotice.objects.create(party_decision=decision, file_name="notice.pdf", size=8, sha256="0" * 64,
                                  content=b"%PDF-1.4")
    monitoring = monitoring_return_for_matrix(schedule)
    return {"args": {
        "haringey": {
            "period": [agreement.reference, schedule.number, 2018, 6],
            "return_revision": revisions_of(monitoring).last().pk,
            **action_plan_for_matrix(schedule),
            "reference": agreement.reference, "number": schedule.number, "version": 1,
            "schedule_revision": revisions_of(schedule).last().pk,
            "agreement_revision": revisions_of(agreement).last().pk,
            "token": "not-a-real-token", "import_pk": imported.budget_import.pk,
            "party_decision": decision.pk,
            "review_item": f"agreement-{agreement.pk}-review-{agreement.review_due.isoformat()}",
        },
        "board": {"pk": board.pk, "terms_revision": revisions_of(board.terms).last().pk,
                  "board_revision": revisions_of(board).last().pk},
    }}


def pages(world) -> list[tuple[str, str, str]]:
    """(name for the screenshot, URL, username) for every page, as the roles that reach it."""
    found = []
    for name, spec in MATRIX.items():
        if name in API or name in NOT_PAGES or name.startswith(NOT_HTML) or name.endswith(NOT_HTML):
            continue
        url = url_for(name, world)
        if spec.scope == "board":
            if C in spec.get:  # the demo has no legal officer at a board's partner: its approve/restore pages are skipped
                found.append((name, url, BOARD_USER))
            continue
        if spec.scope == "public":
            found.append((name, url, ""))
            continue
        writer = next((role for role in (C, L, F) if role in spec.post and role in spec.get), None)
        for role in {writer or V, V} & spec.get:
            found.append((f"{name}-{role.split()[0]}", url, USERS[role]))
    for number in range(1, 7):  # every schedule of the demo agreement, read and edited
        for name in ("schedule", "schedule_edit"):
            url = reverse(name, args=["HARINGEY-S75-2017", number])
            found.append((f"{name}-{number}", url, USERS[C]))
    return found


def sign_in(browser, base: str, username: str, viewport=None):
    context = browser.new_context(bypass_csp=True, viewport=viewport or PHONE)  # bypass_csp lets axe's script in
    page = context.new_page()
    if username:
        page.goto(f"{base}/sign-in/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
    return context, page


def walk_every_page(browser, base: str, viewport: dict, prefix: str) -> tuple[int, list[str]]:
    """Open every page as the roles that reach it at `viewport`: (pages visited, problems found). A
    problem is a page wider than the window, summary rows side by side on a phone, or an axe finding."""
    load_demo_data()
    world = demo_world()
    by_user: dict[str, list[tuple[str, str]]] = {}
    for name, url, username in pages(world):
        by_user.setdefault(username, []).append((name, url))
    problems, visited = [], 0
    for username, visits in by_user.items():
        context, page = sign_in(browser, base, username, viewport)
        try:
            for name, url in visits:
                response = page.goto(base + url)
                if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                    problems.append(f"{name} {url} as {username or 'visitor'}: {response.status}")
                    continue
                visited += 1
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    problems.append(f"{name} {url}: {width} px wide, because of {page.evaluate(WIDE_ELEMENTS)}")
                side_by_side = page.evaluate(UNSTACKED_SUMMARY_ROWS) if viewport["width"] <= PHONE["width"] else []
                if side_by_side:
                    problems.append(f"{name} {url}: summary list rows not stacked: {side_by_side}")
                # The first screen only: full-page pictures of the longest edit pages take seconds each.
                screenshot(page, f"{prefix}-{name.replace(':', '-')}", full_page=False)
                violations = axe_violations(page)
                if violations:
                    problems.append(f"{name} {url}: {describe_violations(violations)}")
                print(name, width, len(violations), flush=True)
        finally:
            context.close()
    return visited, problems


def test_every_page_fits_a_390_px_phone(live_server, browser):
    visited, problems = walk_every_page(browser, live_server.url, PHONE, "mobile")
    assert visited > 60, f"only {visited} pages visited"
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)


def test_the_menu_button_folds_the_navigation_on_a_phone_under_the_sites_csp(live_server, browser):
    context = browser.new_context(viewport=PHONE)  # the page's own CSP applies: GOV.UK's script must run under it
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(f"{live_server.url}/help/")
        menu = page.locator("button.govuk-service-navigation__toggle")
        assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
        assert not page.locator("#navigation").is_visible()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.locator("#navigation a:has-text('Sign in')").is_visible()
        menu.click()
        assert not page.locator("#navigation").is_visible()
        page.set_viewport_size({"width": 1280, "height": 900})  # no button on a wide screen: the list shows
        # GOV.UK's script hears the media query change as an event, after the resize: wait for it.
        expect(menu).to_be_hidden()
        expect(page.locator("#navigation")).to_be_visible()
        assert not errors, errors
    finally:
        context.close()
