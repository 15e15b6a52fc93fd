"""The admin: every page opens for the superuser, history stays read-only, edits are revisions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from agreements.demo import DEMO_PASSWORD
from agreements.models import Agreement, Schedule
from budgets.models import BudgetImport
from documents.models import Revision, RevisionKind, Version
from documents.revisions import revisions_of, versions_of
from partnerships.tokens import api_token_create

HARINGEY = "HARINGEY-S75-2017"

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(demo) -> Client:
    client = Client()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    return client


@pytest.fixture
def staff_client(demo) -> Client:
    """A staff user who is not a superuser but holds every model permission there is."""
    user = get_user_model().objects.create_user("staff-clerk", password="staff-password-2026", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def schedule_6(demo) -> Schedule:
    return Schedule.objects.get(agreement__reference=HARINGEY, number=6)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(response) -> dict:
    """The POST data of an admin change form as the browser would send it, unchanged."""
    data: dict = {}

    def add(form) -> None:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif isinstance(value, datetime | date):
                data[key] = value.isoformat()
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


# ----------------------------------------------------------------------------- every page opens


def test_every_registered_model_lists_and_opens_for_the_superuser(superuser_client, schedule_6):
    kept = BudgetImport(schedule=schedule_6, filename="schedule-6.csv", checksum="0" * 64, layout="budget_lines",
                        created_count=9)
    kept.file.save("schedule-6.csv", ContentFile(b"Service,Partner,Amount\n"), save=False)  # a StoredFile row
    kept.save()
    api_token_create(user=get_user_model().objects.get(username="haringey-finance"), name="Admin test")  # the demo has none
    empty = []
    for model in admin.site._registry:
        changelist = superuser_client.get(_url(model, "changelist"))
        assert changelist.status_code == 200, model
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = superuser_client.get(_url(model, "change", first.pk))
            assert change.status_code == 200, model
        else:
            empty.append(model._meta.app_label)
    # The demo data has a row of every model of the product (not of django-axes' sign-in log).
    assert not set(empty) & {"auth", "partnerships", "documents", "agreements", "budgets", "governance"}


def test_search_and_filters_answer(superuser_client):
    assert superuser_client.get(_url(Agreement, "changelist"), {"q": "HARINGEY"}).status_code == 200
    assert superuser_client.get(_url(Schedule, "changelist"), {"q": "children", "aligned_budgets__exact": "1"}).status_code == 200
    response = superuser_client.get(_url(Revision, "changelist"), {"kind__exact": "created"})
    assert response.status_code == 200


def test_history_view_opens_and_cannot_revert(superuser_client, schedule_6):
    assert superuser_client.get(_url(Schedule, "history", schedule_6.pk)).status_code == 200
    record = schedule_6.history.order_by("history_id").first()
    page = reverse("admin:agreements_schedule_simple_history", args=(schedule_6.pk, record.history_id))
    assert superuser_client.get(page).status_code == 200
    title = schedule_6.title
    response = superuser_client.post(page, {"title": "Reverted"})
    assert response.status_code == 403
    schedule_6.refresh_from_db()
    assert schedule_6.title == title


# ----------------------------------------------------------------------------- who may come in


@pytest.mark.parametrize("username", [None, "haringey-commissioner"])
def test_anonymous_and_non_staff_users_are_sent_to_the_admin_login(demo, username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    for url in [reverse("admin:index"), _url(Schedule, "changelist"), _url(Revision, "changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# ----------------------------------------------------------------------------- history is read-only


def test_staff_without_superuser_cannot_change_or_delete_revisions_or_versions(staff_client, schedule_6):
    revision = revisions_of(schedule_6).first()
    version = versions_of(schedule_6).first()
    assert version is not None
    for obj in [revision, version]:
        model = type(obj)
        assert staff_client.get(_url(model, "change", obj.pk)).status_code == 200  # view only
        assert staff_client.post(_url(model, "change", obj.pk), {"reason": "Tampered"}).status_code == 403
        assert staff_client.get(_url(model, "delete", obj.pk)).status_code == 403
        assert staff_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert staff_client.get(_url(model, "add")).status_code == 403
    revision.refresh_from_db()
    assert revision.reason != "Tampered"
    assert Version.objects.filter(pk=version.pk).exists()


def test_staff_without_superuser_cannot_change_historical_records(staff_client, schedule_6):
    record = schedule_6.history.order_by("history_id").first()
    page = reverse("admin:agreements_schedule_simple_history", args=(schedule_6.pk, record.history_id))
    assert staff_client.get(page).status_code == 200
    assert staff_client.post(page, {"title": "Rewritten"}).status_code == 403
    record.refresh_from_db()
    assert record.title != "Rewritten"


def test_every_registered_history_model_is_read_only_for_non_superusers(demo):
    from django.test import RequestFactory

    staff = get_user_model().objects.create_user("staff-2", is_staff=True)
    superuser = get_user_model().objects.get(username="admin")
    request = RequestFactory().get("/admin/")
    guarded = [
        model_admin for model, model_admin in admin.site._registry.items()
        if model in (Revision, Version) or model.__name__.startswith("Historical")
    ]
    assert len(guarded) >= 2
    for model_admin in guarded:
        request.user = staff
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        request.user = superuser
        assert not model_admin.has_add_permission(request)
        assert model_admin.has_change_permission(request)


# ----------------------------------------------------------------------------- edits are revisions


def test_saving_schedule_6_in_the_admin_is_one_revision_of_kind_admin(superuser_client, schedule_6):
    url = _url(Schedule, "change", schedule_6.pk)
    data = _form_data(superuser_client.get(url))
    data["title"] = "Children's commissioned services (renamed in the admin)"
    before = set(revisions_of(schedule_6).values_list("pk", flat=True))
    edit_count = schedule_6.edit_count

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    new = revisions_of(schedule_6).exclude(pk__in=before)
    assert new.count() == 1
    revision = new.get()
    assert revision.kind == RevisionKind.ADMIN
    assert revision.user.username == "admin"
    assert revision.reason.startswith("Edited in the admin: ") and "Title" in revision.reason
    assert revision.snapshot["fields"]["title"] == data["title"]
    row = schedule_6.history.latest("history_id")
    assert row.revision_id == revision.pk and row.history_user.username == "admin"
    schedule_6.refresh_from_db()
    assert schedule_6.edit_count == edit_count + 1


def test_saving_unchanged_form_writes_no_revision(superuser_client, schedule_6):
    url = _url(Schedule, "change", schedule_6.pk)
    data = _form_data(superuser_client.get(url))
    count = revisions_of(schedule_6).count()
    assert superuser_client.post(url, data).status_code == 302
    assert revisions_of(schedule_6).count() == count


def test_saving_unchanged_form_with_browser_line_endings_writes_no_revision(superuser_client, schedule_6):
    """Browsers post textareas with CRLF; the schedule's own and its inlines' text must not look changed."""
    url = _url(Schedule, "change", schedule_6.pk)
    data = _form_data(superuser_client.get(url))
    crlf = {key: value.replace("\n", "\r\n") for key, value in data.items() if isinstance(value, str) and "\n" in value}
    assert "resources" in crlf and any(key.startswith("risks-") for key in crlf)
    count = revisions_of(schedule_6).count()
    assert superuser_client.post(url, {**data, **crlf}).status_code == 302
    assert revisions_of(schedule_6).count() == count
    schedule_6.refresh_from_db()
    assert "\r" not in schedule_6.resources


def test_budget_line_saved_in_the_admin_is_a_revision_of_its_schedule(superuser_client, schedule_6):
    line = schedule_6.budget_lines.exclude(amount=None).first()
    url = _url(type(line), "change", line.pk)
    data = _form_data(superuser_client.get(url))
    data["amount"] = str(line.amount + Decimal("1.00"))
    assert superuser_client.post(url, data).status_code == 302
    revision = revisions_of(schedule_6).first()
    assert revision.kind == RevisionKind.ADMIN and "Amount" in revision.reason
    assert line.history.latest("history_id").revision_id == revision.pk


def test_agreement_with_only_one_kind_of_party_is_refused(superuser_client):
    agreement = Agreement.objects.get(reference=HARINGEY)
    url = _url(Agreement, "change", agreement.pk)
    data = _form_data(superuser_client.get(url))
    nhs_forms = [key.removesuffix("-partner") for key in data if key.startswith("parties-") and key.endswith("-partner")
                 and agreement.parties.get(pk=data[key.replace("-partner", "-id")]).partner.is_nhs_body]
    for prefix in nhs_forms:
        data[f"{prefix}-DELETE"] = "on"
    count = revisions_of(agreement).count()
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "at least one NHS body" in response.content.decode()
    assert revisions_of(agreement).count() == count


# ----------------------------------------------------------------------------- agreed documents stay


def test_agreed_schedule_and_its_agreement_cannot_be_deleted(superuser_client, schedule_6):
    assert versions_of(schedule_6).exists()
    assert superuser_client.get(_url(Schedule, "delete", schedule_6.pk)).status_code == 403
    assert superuser_client.post(_url(Schedule, "delete", schedule_6.pk), {"post": "yes"}).status_code == 403
    agreement = schedule_6.agreement
    assert superuser_client.post(_url(Agreement, "delete", agreement.pk), {"post": "yes"}).status_code == 403
    assert Schedule.objects.filter(pk=schedule_6.pk).exists()
    changelist = superuser_client.get(_url(Schedule, "changelist"))
    assert 'value="delete_selected"' not in changelist.content.decode()


def test_adding_a_schedule_in_the_admin_is_its_first_revision(superuser_client, schedule_6):
    agreement = schedule_6.agreement
    url = _url(Schedule, "add")
    data = _form_data(superuser_client.get(url, {"agreement": agreement.pk}))
    assert data["number"] == "7"
    data.update({"title": "Carers' services", "service_name": "Carers' support", "pooled_fund": "on"})
    data.update({"outcomes-TOTAL_FORMS": "1", "outcomes-0-position": "1", "outcomes-0-text": "Carers are supported"})

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    schedule = Schedule.objects.get(agreement=agreement, number=7)
    revision = revisions_of(schedule).get()
    assert revision.kind == RevisionKind.ADMIN and revision.reason == "Added in the admin"
    assert revision.snapshot["outcomes"][0]["text"] == "Carers are supported"
    assert set(schedule.history.values_list("revision_id", flat=True)) == {revision.pk}
    assert set(schedule.outcomes.get().history.values_list("revision_id", flat=True)) == {revision.pk}
