"""Fixtures for sign-in with the organisation's account: a real OpenID provider, the settings, the rules."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from partnerships.models import Partner, PartnerSignInRule, RoleSignInRule, SignInRuleMatch
from tests.browser import ROOT, in_ci

PROVIDER_SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "s75-agreements-test"
CLIENT_SECRET = "test-client-secret-not-used-anywhere-else"
SUPPORT = "the section 75 team (s75-admin@haringey.gov.uk)"

# The provider's test users: the login typed on its sign-in page -> the claims it sends.
USERS = {
    "ada": {"email": "Ada.Commissioner@haringey.gov.uk", "email_verified": True, "given_name": "Ada", "family_name": "Okafor", "groups": ["s75-commissioners"]},
    "ben": {"email": "ben.finance@haringey.gov.uk", "email_verified": True, "given_name": "Ben", "family_name": "Shah", "groups": ["s75-finance"]},
    "nia": {"email": "nia.legal@nhs.net", "email_verified": True, "given_name": "Nia", "family_name": "Evans", "groups": ["ncl-icb-staff", "s75-legal"]},
    "eve": {"email": "eve@example.org", "email_verified": True, "given_name": "Eve", "family_name": "Stranger", "groups": ["s75-commissioners"]},
}


def oidc_settings(issuer: str) -> dict:
    return {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_ISSUER": issuer,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/auth",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/me",
        "OIDC_OP_LOGOUT_ENDPOINT": f"{issuer}/session/end",
        "OIDC_RP_SCOPES": "openid email profile groups",
        "OIDC_PROVIDER_NAME": "your council or NHS",
        "OIDC_SUPPORT_CONTACT": SUPPORT,
    }


def configure(settings, values: dict) -> None:
    """Apply OIDC settings (pytest-django's `settings` fixture undoes them), with the CSP that goes with them."""
    for name, value in values.items():
        setattr(settings, name, value)
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(values["OIDC_OP_AUTHORIZATION_ENDPOINT"]))
    if origin not in policy["DIRECTIVES"]["form-action"]:
        policy["DIRECTIVES"]["form-action"].append(origin)
    settings.CONTENT_SECURITY_POLICY = policy


@pytest.fixture(scope="module")
def identity_provider(live_server, tmp_path_factory):
    """oidc-provider (npm) on a free 127.0.0.1 port, knowing this live server as its client."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        reason = "Node.js or node_modules/oidc-provider is missing (run `make assets`)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("oidc")
    config = folder / "provider.json"
    config.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{live_server.url}/sign-in/oidc/callback/"],
                    "post_logout_redirect_uris": [f"{live_server.url}/sign-in/"],
                },
                "users": USERS,
            }
        )
    )
    log = (ROOT / "test-output" / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT), str(config)], cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True, env=os.environ
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"The OpenID provider did not start; see {log.name}")
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def make_sign_in_rules() -> dict[str, Partner]:
    """Haringey staff by email domain; NCL ICB staff by group (nhs.net serves many bodies); three role groups."""
    haringey = Partner.objects.get_or_create(name="Haringey Council", defaults={"short_name": "LBH", "kind": "local_authority"})[0]
    icb = Partner.objects.get_or_create(name="NHS North Central London ICB", defaults={"short_name": "NCL ICB", "kind": "icb"})[0]
    # get_or_create: the demo data has a rule for haringey.gov.uk too.
    PartnerSignInRule.objects.get_or_create(match=SignInRuleMatch.EMAIL_DOMAIN, value="haringey.gov.uk", partner=haringey)
    PartnerSignInRule.objects.create(match=SignInRuleMatch.GROUP, value="ncl-icb-staff", partner=icb)
    RoleSignInRule.objects.create(group="s75-commissioners", role="commissioner")
    RoleSignInRule.objects.create(group="s75-finance", role="finance officer")
    RoleSignInRule.objects.create(group="s75-legal", role="legal officer")
    return {"haringey": haringey, "icb": icb}


@pytest.fixture
def sign_in_rules(db):
    return make_sign_in_rules()
