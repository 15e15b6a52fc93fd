"""An administrator keeps the sign-in rules in the admin; a bad domain is refused with a message naming it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from partnerships.models import PartnerSignInRule, RoleSignInRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(sign_in_rules) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="root-password-2026"))
    return client


@pytest.mark.parametrize("model", ["partnersigninrule", "rolesigninrule"])
def test_rule_pages_open(admin_client_, model):
    for page in ("", "add/"):
        assert admin_client_.get(f"/admin/partnerships/{model}/{page}").status_code == 200


def test_a_domain_rule_is_kept_in_lower_case_and_a_bad_one_named(admin_client_, sign_in_rules):
    partner = sign_in_rules["haringey"].pk
    response = admin_client_.post("/admin/partnerships/partnersigninrule/add/", {"match": "email_domain", "value": "@Enfield.GOV.uk", "partner": partner})
    assert response.status_code == 302
    assert PartnerSignInRule.objects.filter(value="enfield.gov.uk").exists()
    response = admin_client_.post("/admin/partnerships/partnersigninrule/add/", {"match": "email_domain", "value": "enfield", "partner": partner})
    assert response.status_code == 200 and "“enfield” is not an email domain" in response.content.decode()
    response = admin_client_.post("/admin/partnerships/partnersigninrule/add/", {"match": "email_domain", "value": "haringey.gov.uk", "partner": partner})
    assert "There is already a rule for this email domain or group." in response.content.decode()


def test_a_role_rule_is_added(admin_client_):
    response = admin_client_.post("/admin/partnerships/rolesigninrule/add/", {"group": "0f8e-legal", "role": "legal officer", "partner": ""})
    assert response.status_code == 302 and RoleSignInRule.objects.filter(group="0f8e-legal").exists()
