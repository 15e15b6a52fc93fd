"""In Chromium, against a real OpenID provider (oidc-provider on 127.0.0.1): sign in with the
organisation's account through the provider's own login page, and out again at both ends; an
unmapped domain is refused; a role taken away in the rules is gone at the next sign-in.

The sign-in journeys run with the pages' real Content Security Policy (signing out is a form POST
redirected to the provider, which form-action must allow); the pages are checked with axe in a
second context that lets axe's script in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from governance.demo import load_demo_data
from partnerships.models import RoleSignInRule
from tests.agreements.conftest import HARINGEY
from tests.browser import axe_violations, describe_violations, screenshot
from tests.oidc.conftest import SUPPORT, configure, make_sign_in_rules, oidc_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def configured(settings, identity_provider):
    configure(settings, oidc_settings(identity_provider))
    load_demo_data()
    make_sign_in_rules()
    return identity_provider


def sign_in_at_provider(page, base_url: str, issuer: str, login: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.click("[data-testid=organisation-sign-in]")
    page.wait_for_url(f"{issuer}/interaction/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password: the test provider's login page accepts it")
    page.click("button[type=submit]")


def check(page, name: str) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
    violations = axe_violations(page)
    assert not violations, f"{name} ({page.url}):\n{describe_violations(violations)}"


def roles_of(email: str) -> set[str]:
    user = get_user_model().objects.get(email__iexact=email)
    return set(user.groups.values_list("name", flat=True))


def test_commissioner_signs_in_with_their_council_account_and_out_again(live_server, browser, configured):
    issuer = configured
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in_at_provider(page, live_server.url, issuer, "ada")
        page.wait_for_url(f"{live_server.url}/")
        assert page.inner_text("h1") == "My agreements"
        assert page.inner_text("[data-testid=signed-in-user]") == "Ada Okafor, Haringey Council"
        assert HARINGEY in page.inner_text("[data-testid=agreements]")
        user = get_user_model().objects.get(email__iexact="ada.commissioner@haringey.gov.uk")
        assert (user.username, user.profile.partner.name) == ("ada.commissioner@haringey.gov.uk", "Haringey Council")
        assert roles_of(user.email) == {"commissioner"}
        assert not user.has_usable_password()

        # Signing out here sends them to the provider, which ends its session and sends them back.
        page.click("button:has-text('Sign out')")
        page.wait_for_url(f"{issuer}/session/end**")
        page.click("button[value=yes]")
        page.wait_for_url(f"{live_server.url}/sign-in/")
        page.goto(f"{live_server.url}/")
        page.wait_for_url(f"{live_server.url}/sign-in/?next=/")
        page.click("[data-testid=organisation-sign-in]")
        page.wait_for_url(f"{issuer}/interaction/**")  # asked to sign in again: signed out there too
        assert page.locator("input[name=login]").is_visible()
    finally:
        context.close()


def test_unmapped_email_domain_is_refused_with_whom_to_ask(live_server, browser, configured):
    issuer = configured
    users_before = get_user_model().objects.count()
    context = browser.new_context(bypass_csp=True)  # lets axe's script in
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        check(page, "oidc-00-sign-in-page")
        sign_in_at_provider(page, live_server.url, issuer, "eve")
        page.wait_for_url(f"{live_server.url}/sign-in/oidc/callback/**")
        assert page.inner_text("h1") == "You cannot sign in"
        message = page.inner_text("[data-testid=sign-in-refused]")
        assert "example.org" in message and SUPPORT in message
        check(page, "oidc-01-refused-unmapped-domain")
        page.goto(f"{live_server.url}/")
        page.wait_for_url("**/sign-in/?next=/")  # not signed in
    finally:
        context.close()
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(email__iexact="eve@example.org").exists()


def test_role_taken_away_in_the_rules_is_gone_at_the_next_sign_in(live_server, browser, configured):
    issuer = configured
    import_page = f"{live_server.url}/agreements/{HARINGEY}/schedules/6/budgets/import/"
    for expected_roles, import_allowed in (({"finance officer"}, True), ({"viewer"}, False)):
        context = browser.new_context()  # a fresh browser each time: a new sign-in at the provider
        page = context.new_page()
        try:
            sign_in_at_provider(page, live_server.url, issuer, "ben")
            page.wait_for_url(f"{live_server.url}/")
            assert roles_of("ben.finance@haringey.gov.uk") == expected_roles
            response = page.goto(import_page)
            assert response.status == (200 if import_allowed else 403), page.url
        finally:
            context.close()
        RoleSignInRule.objects.filter(group="s75-finance").delete()
