"""Uploaded files waiting between preview and confirm, as budget-imports/pending/<token>/<name>
in the default storage: the database, so the confirm may reach another app node than the preview.

Nothing touches budget lines until confirm; a file whose preview was never confirmed is removed
after a day, when the next file is uploaded.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

PENDING_DIR = "budget-imports/pending"
KEEP_FOR = timedelta(days=1)


def pending_upload_save(*, filename: str, content: bytes) -> tuple[str, str]:
    """Keep an uploaded file for its preview; returns (token, stored path)."""
    pending_uploads_prune()
    token = secrets.token_urlsafe(16)
    return token, default_storage.save(f"{PENDING_DIR}/{token}/{filename}", ContentFile(content))


def pending_upload_read(path: str) -> bytes:
    with default_storage.open(path, "rb") as stored:
        return stored.read()


def pending_upload_delete(path: str) -> None:
    default_storage.delete(path)


def pending_uploads_prune(older_than: timedelta = KEEP_FOR) -> int:
    """Remove waiting files older than `older_than`; returns how many were removed."""
    if not default_storage.exists(PENDING_DIR):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    tokens, _files = default_storage.listdir(PENDING_DIR)
    for token in tokens:
        _dirs, names = default_storage.listdir(f"{PENDING_DIR}/{token}")
        for name in names:
            path = f"{PENDING_DIR}/{token}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
