"""The uploaded budget files a user's session knows about, each kept in pending storage (`budgets.pending`).

Two kinds, under two session keys, each entry keyed by its random token and naming what it is for
(`owner`: {"schedule_id": pk} or {"agreement_id": pk}), so a token works only in the session that
uploaded the file and only for its own schedule or agreement:

- a file waiting between its preview and the confirm (`preview_*`);
- the file chosen on an upload form that came back with an error in another field (`chosen_*`),
  so the person need not choose it again. When the form is sent again without a new file, the
  kept file is the one checked, and it becomes the preview's file without being stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from budgets.pending import pending_upload_delete, pending_upload_read, pending_upload_save

PREVIEWS = "budget_imports"
CHOSEN = "budget_import_chosen"


def owner_of(obj) -> dict[str, int]:
    """{"schedule_id": 12} or {"agreement_id": 3}: what a kept file is for."""
    return {f"{obj._meta.model_name}_id": obj.pk}


def _owned(entry: dict | None, owner: dict[str, int]) -> bool:
    return bool(entry) and all(entry.get(key) == value for key, value in owner.items())


# --------------------------------------------------------------------------- waiting for confirm


def preview_remember(session, token: str, *, owner: dict[str, int], path: str, filename: str, **values) -> None:
    entries = session.get(PREVIEWS, {})
    entries[token] = {**owner, "path": path, "filename": filename, **values}
    session[PREVIEWS] = entries


def preview_entry(session, token: str, *, owner: dict[str, int]) -> dict | None:
    """The waiting file's entry (path, filename and what the upload form gave), if this session has it."""
    entry = session.get(PREVIEWS, {}).get(token)
    return entry if _owned(entry, owner) else None


def preview_content(session, token: str, *, owner: dict[str, int]) -> tuple[dict, bytes]:
    """The waiting file's entry and its bytes; Http404 when this session has no such import (expired,
    already confirmed, or another's) or pending storage has removed the file."""
    entry = preview_entry(session, token, owner=owner)
    if entry is None:
        raise Http404("This import has expired or was already confirmed.")
    try:
        return entry, pending_upload_read(entry["path"])
    except FileNotFoundError:
        raise Http404("This import has expired: upload the file again.") from None


def preview_update(session, token: str, **values) -> None:
    entries = session.get(PREVIEWS, {})
    if token in entries:
        entries[token] = {**entries[token], **values}
        session[PREVIEWS] = entries


def preview_forget(session, token: str) -> None:
    """Drop the entry and its stored file (after a confirm)."""
    entries = session.get(PREVIEWS, {})
    entry = entries.pop(token, None)
    session[PREVIEWS] = entries
    if entry:
        pending_upload_delete(entry["path"])


# --------------------------------------------------------------------------- chosen on a form with errors


@dataclass(frozen=True)
class ChosenFile:
    token: str
    filename: str
    path: str

    def read(self) -> bytes:
        """The file's bytes; FileNotFoundError once pending storage has removed it (after a day)."""
        return pending_upload_read(self.path)


def chosen_keep(session, *, owner: dict[str, int], filename: str, content: bytes) -> ChosenFile:
    """Keep the file chosen on a form that has errors; raises UploadNotStored when there is no room."""
    token, path = pending_upload_save(filename=filename, content=content)
    entries = session.get(CHOSEN, {})
    entries[token] = {**owner, "filename": filename, "path": path}
    session[CHOSEN] = entries
    return ChosenFile(token, filename, path)


def chosen_file(session, token: str | None, *, owner: dict[str, int]) -> ChosenFile | None:
    """The kept file `token` names, if this session kept it for `owner`."""
    entry = session.get(CHOSEN, {}).get(token or "")
    if not _owned(entry, owner):
        return None
    return ChosenFile(token, entry["filename"], entry["path"])


def chosen_forget(session, chosen: ChosenFile, *, delete: bool) -> None:
    """Drop the session's entry; `delete` removes the stored file too (False when a preview now holds it)."""
    entries = session.get(CHOSEN, {})
    entries.pop(chosen.token, None)
    session[CHOSEN] = entries
    if delete:
        pending_upload_delete(chosen.path)
