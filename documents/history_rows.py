"""Stamp every historical row with the revision being written, its user, reason and date.

Services open a revision with `documents.revisions.revision_scope`; while it is open, each
historical row simple-history writes through a model save or delete is linked to it. Bulk
writes pass the same values themselves (``custom_historical_attrs``, ``default_user``, …).
The receiver is connected by `DocumentsConfig.ready()`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


@dataclass(frozen=True)
class OpenRevision:
    revision_id: int
    user_id: int | None
    reason: str
    date: datetime


open_revision: ContextVar[OpenRevision | None] = ContextVar("open_revision", default=None)


@receiver(pre_create_historical_record)
def link_history_row_to_revision(sender, instance, history_instance, **kwargs) -> None:
    current = open_revision.get()
    if current is None or not hasattr(history_instance, "revision_id"):
        return
    history_instance.revision_id = current.revision_id
    history_instance.history_date = current.date
    if current.user_id is not None:
        history_instance.history_user_id = current.user_id
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = current.reason
