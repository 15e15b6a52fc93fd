"""Writes to agreements: create, edit (fields, parties, clauses), agree a version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.documents import AGREEMENT_FIELDS, agreement_snapshot_by_id
from agreements.models import AGREEMENT_TRANSITIONS, Agreement, Clause, Decision, Party, Revision, RevisionKind, Version
from agreements.revisions import latest_revision, revision_scope
from agreements.services.documents import (
    ChildList,
    NothingChanged,
    apply_fields,
    claim_edit,
    document_agree,
    sync_children,
)
from partnerships.models import Partner

AGREEMENT_CHILD_LISTS = [
    ChildList("parties", "Party", Party, "agreement", ("partner_id", "role")),
    ChildList("clauses", "Clause", Clause, "agreement", ("heading", "text")),
]


def validate_party_mix(partners: list[Partner]) -> None:
    """Section 75 needs at least one NHS body and one local authority among the parties."""
    missing = []
    if not any(p.is_nhs_body for p in partners):
        missing.append("an NHS body (a CCG, ICB, NHS England or an NHS trust)")
    if not any(p.is_local_authority for p in partners):
        missing.append("a local authority")
    if missing:
        raise ValidationError(
            {"parties": "A section 75 agreement needs at least one NHS body and one local authority among its "
                        f"parties; add {' and '.join(missing)}."}
        )


def validate_status_change(old: str, new: str) -> None:
    if old != new and new not in AGREEMENT_TRANSITIONS.get(old, set()):
        allowed = ", ".join(sorted(str(s) for s in AGREEMENT_TRANSITIONS.get(old, set()))) or "none"
        raise ValidationError(
            {"status": f"An agreement cannot go from {old.replace('_', ' ')} to {new.replace('_', ' ')}; "
                       f"it can go to: {allowed.replace('_', ' ')}."}
        )


def _write(agreement: Agreement, document: dict[str, Any]) -> None:
    changed = apply_fields(agreement, document.get("fields", {}), AGREEMENT_FIELDS)
    if agreement._state.adding or changed:
        agreement.full_clean()
        agreement.save()
    for spec in AGREEMENT_CHILD_LISTS:
        if spec.name in document:
            sync_children(agreement, spec, document[spec.name])
    validate_party_mix([party.partner for party in agreement.parties.select_related("partner")])


@transaction.atomic
def agreement_create(*, document: dict[str, Any], user=None, reason: str, created_at=None) -> Agreement:
    agreement = Agreement()
    apply_fields(agreement, document.get("fields", {}), AGREEMENT_FIELDS)
    agreement.full_clean()
    agreement._change_reason = reason
    agreement.save()
    del agreement._change_reason  # later saves of this instance carry their own reason
    with revision_scope(
        document=agreement, snapshot=agreement_snapshot_by_id, user=user, reason=reason,
        kind=RevisionKind.CREATED, created_at=created_at,
    ) as revision:
        Agreement.history.filter(id=agreement.pk).update(
            revision=revision, history_date=revision.created_at, history_user=revision.user
        )
        _write(agreement, document)
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, document: dict[str, Any], expected_edit_count: int | None, user=None,
    reason: str, kind: str = RevisionKind.EDITED,
) -> Revision:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    previous = latest_revision(agreement)
    claim_edit(Agreement, agreement.pk, expected_edit_count, previous)
    old_status = agreement.status
    agreement.refresh_from_db()
    new_status = document.get("fields", {}).get("status", old_status)
    validate_status_change(old_status, new_status)
    with revision_scope(
        document=agreement, snapshot=agreement_snapshot_by_id, user=user, reason=reason, kind=kind
    ) as revision:
        _write(agreement, document)
    if previous is not None and revision.snapshot == previous.snapshot:
        raise NothingChanged()
    return revision


def agreement_agree(*, agreement: Agreement, decision: Decision, user=None, agreed_at=None) -> Version:
    """Mark the agreement's current state as agreed by `decision`: it becomes version N+1."""
    return document_agree(document=agreement, decision=decision, user=user, agreed_at=agreed_at)


def agreement_restore(*, agreement: Agreement, revision: Revision, user, reason: str) -> Revision:
    """Bring the agreement's fields, parties and clauses back to `revision`, as a new revision."""
    if revision.object_id != agreement.pk or revision.snapshot.get("type") != "agreement":
        raise ValidationError("That entry belongs to another document.")
    document = {key: revision.snapshot[key] for key in ("fields", "parties", "clauses")}
    document["fields"] = {k: v for k, v in document["fields"].items() if k not in ("reference", "status")}
    return agreement_update(
        agreement=agreement, document=document, expected_edit_count=None, user=user,
        reason=reason, kind=RevisionKind.RESTORED,
    )
