"""The frame round every page: beta phase banner with a feedback link, the service navigation's Menu
button, and footer links to the help and accessibility pages, which show the SUPPORT_EMAIL address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_visitors_see_the_banner_menu_button_and_footer_links():
    html = Client().get(reverse("login")).content.decode()
    assert 'class="govuk-phase-banner"' in html and ">Beta</strong>" in html
    assert f'href="{reverse("help")}#feedback">Give your feedback</a>' in html
    assert 'class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation"' in html
    assert 'id="navigation"' in html
    assert f'<a class="govuk-footer__link" href="{reverse("help")}">Help and contact</a>' in html
    assert f'<a class="govuk-footer__link" href="{reverse("accessibility")}">Accessibility statement</a>' in html


@pytest.mark.parametrize("name", ["help", "accessibility"])
def test_the_pages_give_the_support_address_from_the_setting(name, settings):
    settings.SUPPORT_EMAIL = "s75-help@haringey.example.org"
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(get_user_model().objects.create_user(f"frame-{name}", password="x"))
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'href="mailto:s75-help@haringey.example.org' in response.content.decode()


def test_the_accessibility_statement_says_what_was_tested_and_what_is_not_accessible():
    text = Client().get(reverse("accessibility")).content.decode()
    assert "axe-core" in text and "1280 pixels" in text and "390 pixels" in text
    assert "partially compliant" in text and "Content that is not accessible" in text
    assert "has not yet been tested by people who use assistive technology" in text
