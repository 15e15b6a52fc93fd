"""Personal API tokens: created and shown once, stored hashed, revoked or expired tokens refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from partnerships.models import ApiToken
from partnerships.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _user(name="haringey-finance"):
    return get_user_model().objects.get(username=name)


def test_the_page_creates_a_token_shown_once_and_stored_hashed(demo):
    client = Client()
    client.force_login(_user())
    response = client.post("/account/api-tokens/", {"name": "Power BI", **_expiry("", "", "")})
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("s75_") and key in response.content.decode()
    token = ApiToken.objects.get(user=_user(), name="Power BI")
    assert key not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    listing = client.get("/account/api-tokens/").content.decode()
    assert "Power BI" in listing and key not in listing  # never shown again
    assert _api(key).get("/api/v1/agreements/").status_code == 200


def test_the_page_refuses_a_past_expiry_and_a_blank_name(demo):
    client = Client()
    client.force_login(_user())
    response = client.post("/account/api-tokens/", {"name": "", **_expiry("1", "1", "2001")})
    assert response.status_code == 400
    assert "Enter a name for the token." in response.content.decode()
    response = client.post("/account/api-tokens/", {"name": "Old", **_expiry("1", "1", "2001")})
    page = response.content.decode()
    assert '<a href="#id_expires_on_0">The expiry date must be today or in the future.</a>' in page
    assert 'id="id_expires_on_0"' in page and "govuk-input--error" in page.split('id="id_expires_on_0"')[0][-200:]
    assert not ApiToken.objects.filter(user=_user()).exists()


def _expiry(day: str, month: str, year: str) -> dict[str, str]:
    return {"expires_on_day": day, "expires_on_month": month, "expires_on_year": year}


def test_the_expiry_is_the_govuk_date_input_with_its_messages(demo):
    client = Client()
    client.force_login(_user())
    page = client.get("/account/api-tokens/").content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Expiry date (optional)</legend>' in page
    for part in ("day", "month", "year"):
        assert f'name="expires_on_{part}"' in page
    assert 'type="date"' not in page
    for parts, message in [
        (("31", "", "2099"), "The expiry date must include a month"),
        (("31", "2", "2099"), "The expiry date must be a real date, for example 14 1 2027"),
        (("1", "3", "99"), "The year of the expiry date must include 4 numbers"),
    ]:
        response = client.post("/account/api-tokens/", {"name": "Ledger", **_expiry(*parts)})
        assert response.status_code == 400
        assert f'<a href="#id_expires_on_0">{message}</a>' in response.content.decode(), parts
        assert f'name="expires_on_day" type="text" inputmode="numeric" value="{parts[0]}"' in response.content.decode()
    assert not ApiToken.objects.exists()
    response = client.post("/account/api-tokens/", {"name": "Ledger", **_expiry("31", "March", "2099")})
    assert response.status_code == 200
    assert ApiToken.objects.get(name="Ledger").expires_on == date(2099, 3, 31)


def test_revoking_on_the_page(demo):
    token, key = api_token_create(user=_user(), name="Ledger")
    client = Client()
    client.force_login(_user())
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    response = _api(key).get("/api/v1/agreements/")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_someone_elses_token_cannot_be_revoked(demo):
    token, key = api_token_create(user=_user(), name="Ledger")
    other = Client()
    other.force_login(_user("haringey-viewer"))
    assert other.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert _api(key).get("/api/v1/agreements/").status_code == 200


def test_an_expired_token_is_refused(demo):
    token, key = api_token_create(user=_user(), name="Ledger", expires_on=timezone.localdate())
    assert _api(key).get("/api/v1/agreements/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    response = _api(key).get("/api/v1/agreements/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer s75_nope_nope", "Bearer not-a-token", "Bearer a b"])
def test_bad_tokens_are_401(demo, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/agreements/")
    assert response.status_code == 401 and response.json()["detail"]


def test_anonymous_is_401_with_how_to_authenticate(demo):
    response = APIClient().get("/api/v1/budget-lines/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_the_command_prints_a_working_token(demo, capsys):
    call_command("api_token", "haringey-legal", "--name", "Nightly report")
    key = capsys.readouterr().out.strip()
    assert _api(key).get("/api/v1/agreements/").status_code == 200
    assert ApiToken.objects.get(prefix=key.split("_")[1]).name == "Nightly report"


def test_a_revoked_token_keeps_its_record(demo):
    token, _key = api_token_create(user=_user(), name="Ledger")
    api_token_revoke(token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    api_token_create(user=_user(), name="Ledger")  # the name is free again
