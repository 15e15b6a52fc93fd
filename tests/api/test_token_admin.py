"""API tokens in the Django admin (list, search by user, revoke; never the hash) and the link from /account/."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from partnerships.models import ApiToken
from partnerships.tokens import TokenRefused, api_token_create, api_token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    staff = get_user_model().objects.create_user("token-staff", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def tokens():
    users = get_user_model().objects
    alice, bob = users.create_user("alice-finance"), users.create_user("bob-viewer")
    return api_token_create(user=alice, name="Ledger sync"), api_token_create(user=bob, name="Power BI")


def test_the_list_searches_by_user_and_never_shows_the_hash(staff_client, tokens):
    (alice_token, alice_key), (bob_token, _bob_key) = tokens
    page = staff_client.get("/admin/partnerships/apitoken/?q=alice").content.decode()
    assert "Ledger sync" in page and "Power BI" not in page
    assert f"s75_{alice_token.prefix}_…" in page
    detail = staff_client.get(f"/admin/partnerships/apitoken/{alice_token.pk}/change/").content.decode()
    for shown in (page, detail):
        assert alice_token.key_hash not in shown and alice_key not in shown


def test_the_revoke_action_revokes_and_the_token_stops_working(staff_client, tokens):
    (alice_token, alice_key), (bob_token, bob_key) = tokens
    response = staff_client.post("/admin/partnerships/apitoken/", {
        "action": "revoke", "_selected_action": [alice_token.pk]}, follow=True)
    assert "Revoked 1 token." in response.content.decode()
    alice_token.refresh_from_db()
    assert alice_token.revoked_at is not None and ApiToken.objects.filter(pk=alice_token.pk).exists()
    with pytest.raises(TokenRefused):
        api_token_user(alice_key)
    assert api_token_user(bob_key).username == "bob-viewer"


def test_tokens_cannot_be_added_or_deleted_in_the_admin(staff_client, tokens):
    (alice_token, _key), _bob = tokens
    assert staff_client.get("/admin/partnerships/apitoken/add/").status_code == 403
    assert staff_client.post(f"/admin/partnerships/apitoken/{alice_token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=alice_token.pk).exists()


def test_the_account_page_links_to_the_tokens_page():
    user = get_user_model().objects.create_user("linker")
    client = Client()
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert 'href="/account/api-tokens/"' in page
