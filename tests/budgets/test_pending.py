"""Uploaded files wait for their confirm for a day at most, in the database every node shares."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from budgets.pending import pending_upload_read, pending_upload_save, pending_uploads_prune
from documents.models import StoredFile

pytestmark = pytest.mark.django_db


def test_a_waiting_file_is_kept_then_pruned_after_a_day():
    _token, fresh = pending_upload_save(filename="fresh.csv", content=b"a,b\n")
    _token, stale = pending_upload_save(filename="stale.csv", content=b"c,d\n")
    StoredFile.objects.filter(name=stale).update(created_at=timezone.now() - timedelta(days=2))

    assert pending_uploads_prune() == 1

    assert pending_upload_read(fresh) == b"a,b\n"
    assert not default_storage.exists(stale)
