"""One write path for every versioned document: apply a document dict to the database.

A document dict has the shape each document type's snapshot function produces: ``fields`` for
the parent and a list per kind of child row. Items with an ``id`` update that row, items
without one are new, rows missing from the list are deleted, and the order of the list is the
rows' order. Only rows that really change are written, so history shows exactly what changed.
Restoring an old document brings back removed rows under their old ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from documents.models import Decision, Revision, RevisionKind, Version
from documents.revisions import latest_revision, latest_version, revision_scope
from documents.text import clean_text, same_content, too_long


class EditConflict(Exception):
    """Someone else saved the document after this user opened it."""

    def __init__(self, revision: Revision | None):
        self.revision = revision
        who = "someone else"
        when = ""
        if revision is not None:
            who = (revision.user.get_full_name() or revision.user.username) if revision.user else "the system"
            when = f" at {revision.created_at:%H:%M on %-d %B %Y}"
        super().__init__(
            f"Your changes were not saved: {who} changed this{when} after you opened it. "
            "Your changes are still on this page: check theirs, then save again."
        )


class NothingChanged(Exception):
    """The submitted document is the same as the stored one."""


@dataclass(frozen=True)
class ChildList:
    name: str
    label: str
    model: type[models.Model]
    parent_field: str
    fields: tuple[str, ...]
    children: ChildList | None = None
    defaults: dict[str, Any] = field(default_factory=dict)


def _convert(model: type[models.Model], name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if value in (None, "") and model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField):
        if value is None:
            return ""
        # One line-ending form and no control characters, whatever the client sent.
        value = clean_text(str(value))
        problem = too_long(value, str(model_field.verbose_name).capitalize())
        if problem:
            raise ValidationError({name: problem})
        return value
    return model_field.to_python(value)


def apply_fields(obj: models.Model, values: dict[str, Any], names: list[str]) -> list[str]:
    """Set the named fields from `values` (missing names are left alone); return those that changed."""
    changed = []
    for name in names:
        if name not in values:
            continue
        new = _convert(type(obj), name, values[name])
        if getattr(obj, name) != new:
            setattr(obj, name, new)
            changed.append(name)
    return changed


def claim_edit(model: type[models.Model], pk: int, expected_edit_count: int | None, latest: Revision | None) -> None:
    """Atomically take the right to save: refuse when the stored edit count moved on."""
    query = model.objects.filter(pk=pk)
    if expected_edit_count is not None:
        query = query.filter(edit_count=expected_edit_count)
    if query.update(edit_count=F("edit_count") + 1) == 0:
        raise EditConflict(latest)


def _validate(obj: models.Model, spec: ChildList, position: int) -> None:
    try:
        # The parent is set but not a form field: validate it in the constraints, so two
        # identical budget lines are refused with a message rather than by the database.
        obj.full_clean(exclude=[spec.parent_field], validate_constraints=False)
        obj.validate_constraints()
    except ValidationError as error:
        messages = "; ".join(
            f"{message}" for messages in error.message_dict.values() for message in messages
        )
        raise ValidationError(f"{spec.label} {position}: {messages}") from error


def _apply(obj: models.Model, values: dict[str, Any], spec: ChildList, position: int) -> list[str]:
    try:
        return apply_fields(obj, values, [*spec.fields, "position"])
    except ValidationError as error:  # a value of the wrong type, such as "1.2.3" for an amount
        raise ValidationError(f"{spec.label} {position}: {' '.join(error.messages)}") from error


def _was_removed_from(parent: models.Model, spec: ChildList, old_id: Any) -> bool:
    """Whether `old_id` was once a row of this parent that no longer exists (so a restore may
    bring it back under its id); any other id from outside is ignored and the row is new."""
    if not isinstance(old_id, int) or spec.model.objects.filter(pk=old_id).exists():
        return False
    return spec.model.history.filter(id=old_id, **{f"{spec.parent_field}_id": parent.pk}).exists()


def sync_children(parent: models.Model, spec: ChildList, items: list[dict[str, Any]]) -> None:
    existing = {obj.pk: obj for obj in spec.model.objects.filter(**{spec.parent_field: parent})}
    kept = {item.get("id") for item in items if item.get("id") in existing}
    for pk, obj in existing.items():
        if pk not in kept:
            obj.delete()
    for position, item in enumerate(items, start=1):
        values = {**spec.defaults, **{name: item[name] for name in spec.fields if name in item}}
        values["position"] = position
        obj = existing.get(item.get("id"))
        if obj is None:
            obj = spec.model(**{spec.parent_field: parent})
            _apply(obj, values, spec, position)
            if _was_removed_from(parent, spec, item.get("id")):
                obj.pk = item["id"]  # a restored row keeps its identity
            _validate(obj, spec, position)
            obj.save(force_insert=True)
        elif _apply(obj, values, spec, position):
            _validate(obj, spec, position)
            obj.save()
        if spec.children is not None:
            sync_children(obj, spec.children, item.get(spec.children.name, []))


def expect_latest_revision(document: models.Model, expected_revision: Revision | int | None) -> None:
    """Lock the document's row; then refuse with EditConflict if its latest revision is not the
    one the user reviewed (`expected_revision`; None when there is nothing to check, as in scripts).

    Agree, approve and restore pages carry the revision they showed, so a change saved after the
    page was opened is never agreed or overwritten unseen. Call inside a transaction.
    """
    type(document).objects.select_for_update().filter(pk=document.pk).first()
    if expected_revision is None:
        return
    latest = latest_revision(document)
    if latest is None or latest.pk != getattr(expected_revision, "pk", expected_revision):
        raise EditConflict(latest)


@transaction.atomic
def document_agree(
    *, document: models.Model, decision: Decision, user=None, agreed_at=None,
    expected_revision: Revision | int | None = None,
) -> Version:
    """Mark a document's current state as agreed: it becomes version N+1, immutable.

    Shared by schedules, agreements and terms of reference (where "agreed" reads "approved").
    `expected_revision` is the revision the user reviewed: if the document has moved on since,
    EditConflict (carrying the newer revision) is raised and nothing is written. The check runs
    under the row lock, so a save cannot slip in between the check and the agreement.
    """
    expect_latest_revision(document, expected_revision)  # locks the row, reviewed or not
    current = latest_revision(document)
    if current is None:
        raise ValidationError("There is no recorded state to agree yet.")
    previous = latest_version(document)
    if previous is not None and same_content(previous.revision.snapshot, current.snapshot):
        raise ValidationError(f"Nothing has changed since version {previous.number}.")
    if decision.pk is None:
        decision.full_clean()
        decision.save()
    version = Version(
        content_type=current.content_type, object_id=document.pk,
        number=(previous.number + 1) if previous else 1, revision=current, decision=decision,
        agreed_by=user if (user is not None and user.is_authenticated) else None,
        agreed_at=agreed_at or timezone.now(),
    )
    version.full_clean()
    version.save()
    return version


def document_create(
    *, obj: models.Model, fields: dict[str, Any], field_names: list[str], write: Callable[[models.Model], None],
    snapshot: Callable[[int], dict[str, Any]], user=None, reason: str, kind: str = RevisionKind.CREATED,
    created_at=None,
) -> models.Model:
    """Create a versioned document and its child rows as its first revision (call inside a transaction)."""
    apply_fields(obj, fields, field_names)
    obj.full_clean()
    obj._change_reason = reason
    obj.save()
    del obj._change_reason  # later saves of this instance carry their own reason
    with revision_scope(
        document=obj, snapshot=snapshot, user=user, reason=reason, kind=kind, created_at=created_at
    ) as revision:
        # The parent's first historical row was written before the revision existed: link it.
        type(obj).history.filter(id=obj.pk).update(
            revision=revision, history_date=revision.created_at, history_user=revision.user
        )
        write(obj)
    return obj


def document_update(
    *, obj: models.Model, write: Callable[[models.Model], None], snapshot: Callable[[int], dict[str, Any]],
    expected_edit_count: int | None, user=None, reason: str, kind: str = RevisionKind.EDITED, summary: str = "",
) -> Revision:
    """Save a change to a versioned document as one revision, or refuse if someone saved it first.

    Raises EditConflict (someone else saved after `expected_edit_count`), NothingChanged, or
    ValidationError; in every case nothing is written (call inside a transaction).
    """
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    previous = latest_revision(obj)
    claim_edit(type(obj), obj.pk, expected_edit_count, previous)
    obj.refresh_from_db()
    with revision_scope(
        document=obj, snapshot=snapshot, user=user, reason=reason, kind=kind, summary=summary
    ) as revision:
        write(obj)
    if previous is not None and same_content(previous.snapshot, revision.snapshot):
        raise NothingChanged()
    return revision
