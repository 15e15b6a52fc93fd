"""Uploaded files wait for their confirm for a day at most."""

from __future__ import annotations

import os
import time

from django.core.files.storage import default_storage

from budgets.pending import pending_upload_read, pending_upload_save, pending_uploads_prune


def test_a_waiting_file_is_kept_then_pruned_after_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _token, fresh = pending_upload_save(filename="fresh.csv", content=b"a,b\n")
    _token, stale = pending_upload_save(filename="stale.csv", content=b"c,d\n")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(stale), (two_days_ago, two_days_ago))

    assert pending_uploads_prune() == 1

    assert pending_upload_read(fresh) == b"a,b\n"
    assert not default_storage.exists(stale)
