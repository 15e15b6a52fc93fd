"""Uploaded files waiting between preview and confirm, as budget-imports/pending/<token>/<name>
in the default storage: the database, so the confirm may reach another app node than the preview.

Nothing touches budget lines until confirm; a file whose preview was never confirmed is removed
after a day, when the next file is uploaded.
"""

from __future__ import annotations

import errno
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

PENDING_DIR = "budget-imports/pending"
KEEP_FOR = timedelta(days=1)


class UploadNotStored(Exception):
    """The file could not be kept for its preview (the disk or the database is full): nothing was kept."""

    def __init__(self, filename: str):
        super().__init__(
            f"{filename} could not be stored: the service has run out of space. Nothing was imported. "
            "Try again later, and tell your system administrator if it happens again."
        )


def pending_upload_save(*, filename: str, content: bytes) -> tuple[str, str]:
    """Keep an uploaded file for its preview; returns (token, stored path).

    Raises UploadNotStored, with nothing kept, when the storage is full: a disk with no space left
    (ENOSPC, EDQUOT) or a database that cannot grow (PostgreSQL's disk_full, SQLSTATE 53100). The
    save runs in a savepoint so a database refusal leaves the request's transaction usable.
    """
    pending_uploads_prune()
    token = secrets.token_urlsafe(16)
    try:
        with transaction.atomic():
            return token, default_storage.save(f"{PENDING_DIR}/{token}/{filename}", ContentFile(content))
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadNotStored(filename) from error
        raise
    except DatabaseError as error:
        if getattr(getattr(error, "__cause__", None), "pgcode", None) == "53100":  # disk_full
            raise UploadNotStored(filename) from error
        raise


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
