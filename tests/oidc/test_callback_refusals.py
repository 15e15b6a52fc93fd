"""The callback with ID tokens signed here with a test key: each bad one is refused, logged without
the token, and creates no user. Only the provider's token endpoint is stood in for (it hands back
the token under test); everything after it is the real backend, view and database.
"""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partnerships.models import PartnerSignInRule, RoleSignInRule, SignInRuleMatch
from partnerships.oidc.backend import OrganisationAccountBackend
from tests.oidc.conftest import CLIENT_ID, CLIENT_SECRET, configure, oidc_settings

ISSUER = "https://login.example.test/tenant"
EMAIL = "ada.commissioner@haringey.gov.uk"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def relying_party(settings, sign_in_rules):
    configure(settings, {**oidc_settings(ISSUER), "OIDC_OP_USER_ENDPOINT": "", "OIDC_RP_IDP_SIGN_KEY": PUBLIC_PEM})


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER, "aud": CLIENT_ID, "sub": "ada-1", "iat": now, "exp": now + 300, "nonce": "nonce-1",
        "email": EMAIL, "email_verified": True, "given_name": "Ada", "family_name": "Okafor", "groups": ["s75-commissioners"],
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def signed(payload: dict, key=KEY, algorithm="RS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def start_sign_in(client: Client, state="state-1", nonce="nonce-1") -> None:
    session = client.session
    session["oidc_states"] = {state: {"nonce": nonce, "code_verifier": "v" * 64, "added_on": time.time()}}
    session.save()


def callback(client: Client, monkeypatch, token: str, state="state-1"):
    monkeypatch.setattr(OrganisationAccountBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": "at"})
    return client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})


def assert_refused(response, caplog, token: str, *, reason: str) -> None:
    assert response.status_code == 403
    assert "You cannot sign in" in response.content.decode()
    assert not get_user_model().objects.filter(email__iexact=EMAIL).exists()
    refusals = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert any(reason in message for message in refusals), refusals
    assert token not in caplog.text and token.split(".")[1] not in caplog.text
    assert token not in response.content.decode()


@pytest.mark.parametrize(
    "verified", [{"email_verified": True}, {"email_verified": None, "xms_edov": True}], ids=["email_verified", "entra-xms_edov"]
)
def test_a_good_token_signs_in(verified, monkeypatch):
    client = Client()
    start_sign_in(client)
    response = callback(client, monkeypatch, signed(claims(**verified)))
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(email__iexact=EMAIL)
    assert user.profile.partner.name == "Haringey Council"
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        pytest.param(lambda: signed(claims(), key=OTHER_KEY), "InvalidSignatureError", id="bad-signature"),
        pytest.param(lambda: signed(claims(aud="someone-else")), "InvalidAudienceError", id="wrong-audience"),
        pytest.param(lambda: signed(claims(aud=None)), "MissingRequiredClaimError", id="no-audience"),
        pytest.param(lambda: signed(claims(iss="https://evil.example.test/")), "InvalidIssuerError", id="wrong-issuer"),
        pytest.param(lambda: signed(claims(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)), "ExpiredSignatureError", id="expired"),
        pytest.param(lambda: signed(claims(nonce="nonce-from-an-earlier-sign-in")), "Nonce", id="replayed-nonce"),
        pytest.param(lambda: signed(claims(), key=CLIENT_SECRET, algorithm="HS256"), "not 'RS256'", id="hs256-with-client-secret"),
        pytest.param(lambda: jwt.encode(claims(), key=None, algorithm="none"), "not 'RS256'", id="unsigned"),
        pytest.param(lambda: signed(claims(email=None)), "no email claim", id="missing-email"),
        pytest.param(lambda: signed(claims(email_verified=False)), "is not true", id="email-not-verified"),
        pytest.param(lambda: signed(claims(email_verified=None)), "is not true", id="email-verified-absent"),
        pytest.param(lambda: signed(claims(email_verified=None, xms_edov=False)), "is not true", id="entra-domain-not-verified"),
        pytest.param(lambda: signed(claims(email_verified=False, xms_edov=True)), "is not true", id="unverified-beats-entra"),
        pytest.param(lambda: signed(claims(email="not-an-address")), "not an email address", id="malformed-email"),
    ],
)
def test_bad_tokens_are_refused_and_logged_without_the_token(make_token, reason, monkeypatch, caplog):
    # Made when the test runs, not when it is collected: a token collected minutes earlier in a long
    # run (xdist gives each worker whole files) would be refused as expired instead of for its fault.
    token = make_token()
    client = Client()
    start_sign_in(client)
    with caplog.at_level("WARNING"):
        response = callback(client, monkeypatch, token)
    assert_refused(response, caplog, token, reason=reason)
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_a_replayed_state_is_refused(monkeypatch, caplog):
    token = signed(claims())
    first = Client()
    start_sign_in(first)
    assert callback(first, monkeypatch, token).status_code == 302
    get_user_model().objects.filter(email__iexact=EMAIL).delete()
    for client in (first, Client()):  # the same browser again, and another browser with the stolen URL
        caplog.clear()
        with caplog.at_level("WARNING"):
            response = callback(client, monkeypatch, token)
        assert_refused(response, caplog, token, reason="state")


def test_administrator_accounts_are_not_taken_over(monkeypatch, caplog):
    admin = get_user_model().objects.create_user("admin", email=EMAIL, password="x", is_staff=True, is_superuser=True)
    client = Client()
    start_sign_in(client)
    with caplog.at_level("WARNING"):
        response = callback(client, monkeypatch, signed(claims()))
    assert response.status_code == 403 and "administrator account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_superuser and not hasattr(admin, "profile") and not admin.groups.exists()


def test_a_switched_off_account_cannot_sign_in(monkeypatch):
    get_user_model().objects.create_user("ada", email=EMAIL, is_active=False)
    client = Client()
    start_sign_in(client)
    response = callback(client, monkeypatch, signed(claims()))
    assert response.status_code == 403 and "switched off" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_failures_do_not_lock_out_the_office(monkeypatch):
    """Refusals are not counted as failed password sign-ins: everyone behind one address would share them."""
    for _ in range(8):
        client = Client()
        start_sign_in(client)
        assert callback(client, monkeypatch, signed(claims(aud="someone-else"))).status_code == 403
    client = Client()
    start_sign_in(client)
    assert callback(client, monkeypatch, signed(claims())).status_code == 302


def test_a_returning_persons_sign_in_takes_the_same_queries_however_many_rules_and_groups(monkeypatch, django_assert_max_num_queries, sign_in_rules):
    groups = ["s75-commissioners", "s75-finance", *(f"unmapped-{number}" for number in range(40))]
    client = Client()
    start_sign_in(client)
    assert callback(client, monkeypatch, signed(claims(groups=groups))).status_code == 302
    for number in range(50):
        PartnerSignInRule.objects.create(match=SignInRuleMatch.EMAIL_DOMAIN, value=f"council-{number}.gov.uk", partner=sign_in_rules["icb"])
        RoleSignInRule.objects.create(group=f"group-{number}", role="viewer")
    client = Client()
    start_sign_in(client)
    with django_assert_max_num_queries(27):  # session, rules, user, profile, roles, sign-in, axes
        assert callback(client, monkeypatch, signed(claims(groups=groups))).status_code == 302
    assert set(get_user_model().objects.get(email__iexact=EMAIL).groups.values_list("name", flat=True)) == {"commissioner", "finance officer"}
