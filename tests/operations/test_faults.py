"""Faults a user may meet, in process: the storage full while keeping an upload, and the database
connection lost during a save. (The real connection loss, on real app nodes, is in
test_two_nodes.py; Redis down is in test_cache.py and tests/history/test_history_without_redis.py.)"""

from __future__ import annotations

import errno
import re
from html import unescape
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from agreements.models import BudgetLine
from budgets.views import SESSION_KEY
from documents.models import Revision, StoredFile

pytestmark = pytest.mark.django_db

IMPORT_URL = "/agreements/HARINGEY-S75-2017/schedules/6/budgets/import/"
CSV = b"Financial year,Service,Partner,Budget type,Amount\n2019/20,Fault check,LBH,Aligned,100\n"
FULL = ("budgets.csv could not be stored: the service has run out of space. Nothing was imported. "
        "Try again later, and tell your system administrator if it happens again.")


@pytest.fixture
def finance(demo) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="haringey-finance"))
    return client


def _text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _state():
    return StoredFile.objects.count(), BudgetLine.objects.count(), Revision.objects.count()


def _upload(client):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("budgets.csv", CSV, "text/csv"), "reason": "Fault"})


class _DiskFull(Exception):
    pgcode = "53100"  # what psycopg2 raises as DiskFull: "could not extend file ...: No space left on device"


@pytest.mark.parametrize("failure", [
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EDQUOT, "Disk quota exceeded"),
    "database",
], ids=["disk-full", "quota", "database-full"])
def test_the_storage_full_while_keeping_an_upload_says_so_and_keeps_nothing(finance, failure):
    if failure == "database":
        failure = OperationalError("could not extend file \"base/16384/24576\": No space left on device")
        failure.__cause__ = _DiskFull()
    before = _state()
    with mock.patch("documents.storage.DatabaseStorage._save", side_effect=failure):
        response = _upload(finance)
    assert response.status_code == 507
    page = _text(response)
    assert "There is a problem" in page and FULL in page
    assert 'href="#id_file"' in response.content.decode()  # the message links to the field
    assert _state() == before
    assert not finance.session.get(SESSION_KEY)
    assert _upload(finance).status_code == 302  # with space again, the same upload goes through


def test_another_storage_error_is_not_called_a_full_disk(finance):
    with mock.patch("documents.storage.DatabaseStorage._save", side_effect=OSError(errno.EACCES, "Permission denied")):
        with pytest.raises(OSError, match="Permission denied"):
            _upload(finance)


def test_the_database_lost_during_a_save_gives_a_try_again_page(finance):
    preview = _upload(finance)["Location"]
    before = _state()
    lost = OperationalError("terminating connection due to administrator command")
    with mock.patch("budgets.views.budget_lines_import", side_effect=lost):
        response = finance.post(preview)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = _text(response)
    assert "Sorry, there is a problem with the service" in page
    assert "Nothing you sent was saved: try again in a minute." in page
    assert "send it again" in page
    assert _state() == before
    assert finance.post(preview).status_code == 302  # the retry saves


def test_the_api_gets_its_503_as_json(demo):
    from partnerships.tokens import api_token_create

    user = get_user_model().objects.get(username="haringey-finance")
    _token, key = api_token_create(user=user, name="fault test")
    with mock.patch("agreements.api.views.AgreementViewSet.list", side_effect=OperationalError("server closed the connection")):
        response = Client().get("/api/v1/agreements/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 503
    assert response.json() == {"detail": "The service lost its connection to the database. Nothing you sent was "
                                         "saved: try again in a minute."}
