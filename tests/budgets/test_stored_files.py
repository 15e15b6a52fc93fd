"""The file kept as evidence of an import lives in the database with the import: every app node
reads it, the database backup holds it, and an import that rolls back leaves no file behind."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import Client

from agreements.models import BudgetType
from budgets.importing import services
from budgets.importing.services import budget_lines_import
from documents.models import StoredFile
from tests.budgets.test_import import HARINGEY, _import_haringey

pytestmark = pytest.mark.django_db


def test_the_evidence_file_is_stored_in_the_database(schedule, shared_budgets):
    result = _import_haringey(schedule, shared_budgets)
    name = result.budget_import.file.name
    stored = StoredFile.objects.get(name=name)
    assert bytes(stored.content) == (shared_budgets / HARINGEY).read_bytes()
    assert stored.size == len(bytes(stored.content))
    with result.budget_import.file.open("rb") as kept:
        assert kept.read() == bytes(stored.content)


def test_an_import_that_fails_after_storing_its_file_leaves_no_file(schedule, shared_budgets):
    with mock.patch.object(services.BudgetImport, "save", side_effect=RuntimeError("disk said no")):
        with pytest.raises(RuntimeError):
            budget_lines_import(schedule=schedule, filename=HARINGEY, content=(shared_budgets / HARINGEY).read_bytes(),
                                financial_year=2018, budget_type=BudgetType.ALIGNED)
    assert not StoredFile.objects.exists()
    assert not schedule.budget_lines.exists()


def test_only_a_superuser_downloads_a_stored_file_from_the_admin(schedule, shared_budgets):
    name = _import_haringey(schedule, shared_budgets).budget_import.file.name
    url = default_storage.url(name)
    users = get_user_model().objects
    admin = Client()
    admin.force_login(users.create_superuser("root", "root@example.org", "a-long-password-1"))
    response = admin.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == (shared_budgets / HARINGEY).read_bytes()
    staff = Client()
    staff.force_login(users.create_user("staff", password="a-long-password-2", is_staff=True))
    assert staff.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the admin sign-in
