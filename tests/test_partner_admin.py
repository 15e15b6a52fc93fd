"""A partner's admin history is read-only, as every document's is.

`partnerships.admin.PartnerAdmin` sits below the kernel, so it carries its own copy of
`documents.admin.HistoryAdmin`'s two rules (no revert button, a POST to a historical record
refused); these tests hold the copy to them, for a superuser and for a staff user who holds
every permission.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from partnerships.models import Partner
from tests.factories import make_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner() -> Partner:
    partner = make_council(name="Haringey Council")
    partner.name = "London Borough of Haringey"
    partner.save()  # a second historical record, so there is something to revert to
    return partner


def _clients() -> dict[str, Client]:
    superuser = get_user_model().objects.create_superuser("root", password="root-password-2026")
    staff = get_user_model().objects.create_user("clerk", password="clerk-password-2026", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    clients = {}
    for name, user in (("superuser", superuser), ("staff", staff)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_a_partners_historical_record_opens_but_cannot_be_reverted(partner, who):
    client = _clients()[who]
    first = partner.history.order_by("history_id").first()
    assert first.name == "Haringey Council"
    assert client.get(reverse("admin:partnerships_partner_history", args=[partner.pk])).status_code == 200

    page = reverse("admin:partnerships_partner_simple_history", args=[partner.pk, first.history_id])
    response = client.get(page)
    assert response.status_code == 200
    assert b"Revert" not in response.content and b'name="_save"' not in response.content  # nothing to press

    posted = client.post(page, {"name": "Haringey Council", "short_name": first.short_name, "kind": first.kind})
    assert posted.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "London Borough of Haringey"
    assert partner.history.count() == 2


def test_no_one_holds_the_change_history_permission_on_partners():
    model_admin = admin.site._registry[Partner]
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root-2", password="root-password-2026")
    assert model_admin.has_change_history_permission(request, None) is False
