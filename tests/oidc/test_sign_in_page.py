"""The sign-in page with and without sign-in with the organisation's account configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.browser import ROOT
from tests.oidc.conftest import CLIENT_ID, configure, oidc_settings

pytestmark = pytest.mark.django_db
ISSUER = "https://login.example.test/tenant"


def test_not_configured_no_button_and_the_oidc_urls_are_not_found():
    page = Client().get(reverse("login")).content.decode()
    assert "organisation-sign-in" not in page and 'name="username"' in page
    assert Client().get(reverse("oidc_authentication_init")).status_code == 404
    assert Client().get(reverse("oidc_authentication_callback"), {"code": "c", "state": "s"}).status_code == 404


def test_configured_the_button_starts_an_authorisation_code_flow_with_pkce(settings):
    configure(settings, oidc_settings(ISSUER))
    page = Client().get(reverse("login"), {"next": "/boards/"}).content.decode()
    assert 'href="/sign-in/oidc/?next=/boards/"' in page and "Sign in with your council or NHS account" in page
    response = Client().get("/sign-in/oidc/?next=/boards/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{ISSUER}/auth?") and f"client_id={CLIENT_ID}" in location
    for part in ("response_type=code", "code_challenge_method=S256", "code_challenge=", "nonce=", "state="):
        assert part in location


def test_configured_local_accounts_still_sign_in_with_a_password(settings):
    configure(settings, oidc_settings(ISSUER))
    get_user_model().objects.create_user("local-admin", password="a-long-local-password")
    response = Client().post(reverse("login"), {"username": "local-admin", "password": "a-long-local-password"})
    assert response.status_code == 302 and response["Location"] == "/"


def settings_from(environment: dict) -> subprocess.CompletedProcess:
    code = "import json, config.settings as s; print(json.dumps([s.OIDC_OP_ISSUER, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    env = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    return subprocess.run([sys.executable, "-c", code], env={**env, **environment}, capture_output=True, text=True, cwd=ROOT)


def test_settings_come_from_the_environment_and_let_forms_reach_the_provider():
    environment = {
        "OIDC_RP_CLIENT_ID": "app-id", "OIDC_RP_CLIENT_SECRET": "secret", "OIDC_OP_ISSUER": ISSUER,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.test/tenant/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.test/tenant/token",
        "OIDC_OP_JWKS_ENDPOINT": "https://login.example.test/tenant/keys",
        "OIDC_OP_LOGOUT_ENDPOINT": "https://logout.example.test/end",
    }
    result = settings_from(environment)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [ISSUER, ["'self'", "https://login.example.test", "https://logout.example.test"]]
    assert json.loads(settings_from({}).stdout) == ["", ["'self'"]]


def test_half_configured_settings_refuse_to_start():
    result = settings_from({"OIDC_RP_CLIENT_ID": "app-id", "OIDC_OP_ISSUER": ISSUER})
    assert result.returncode != 0
    assert "half configured: only OIDC_RP_CLIENT_ID, OIDC_OP_ISSUER are set" in result.stderr


def test_local_sign_out_stays_local_when_configured(settings):
    configure(settings, oidc_settings(ISSUER))
    client = Client()
    client.force_login(get_user_model().objects.create_user("local-user", password="x"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
