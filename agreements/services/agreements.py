"""Writes to agreements: create, edit (fields, parties, clauses), agree a version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import AGREEMENT_TRANSITIONS, Agreement, BudgetLine, Clause, Party, Variation
from agreements.services.variations import guard_edit
from agreements.snapshots import AGREEMENT_FIELDS, agreement_snapshot_by_id
from documents.models import Decision, Revision, RevisionKind, Version
from documents.services import (
    ChildList,
    apply_fields,
    document_agree,
    document_create,
    document_update,
    expect_latest_revision,
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


def validate_removed_parties_unused(agreement: Agreement) -> None:
    """A partner still named by a schedule or a budget line cannot stop being a party."""

    parties = set(agreement.parties.values_list("partner_id", flat=True))
    uses: dict[str, set[str]] = {}
    for schedule in agreement.schedules.select_related("lead_commissioner", "host"):
        for role, partner in (("lead commissioner", schedule.lead_commissioner), ("host", schedule.host)):
            if partner is not None and partner.pk not in parties:
                uses.setdefault(partner.name, set()).add(f"Schedule {schedule.number} names it as {role}")
    lines = BudgetLine.objects.filter(schedule__agreement=agreement).exclude(partner_id__in=parties)
    for name, number in lines.values_list("partner__name", "schedule__number").distinct():
        uses.setdefault(name, set()).add(f"Schedule {number} has budget lines for it")
    if uses:
        raise ValidationError({"parties": [
            f"{name} cannot stop being a party: {'; '.join(sorted(reasons))}." for name, reasons in sorted(uses.items())
        ]})


def validate_status_change(old: str, new: str) -> None:
    if old != new and new not in AGREEMENT_TRANSITIONS.get(old, set()):
        allowed = ", ".join(sorted(str(s) for s in AGREEMENT_TRANSITIONS.get(old, set()))) or "none"
        raise ValidationError(
            {"status": f"An agreement cannot go from {old.replace('_', ' ')} to {new.replace('_', ' ')}; "
                       f"it can go to: {allowed.replace('_', ' ')}."}
        )


def _write(agreement: Agreement, document: dict[str, Any]) -> None:
    stored_status = agreement.status  # as stored: the document is applied on a fresh copy
    changed = apply_fields(agreement, document.get("fields", {}), AGREEMENT_FIELDS)
    validate_status_change(stored_status, agreement.status)
    if agreement._state.adding or changed:
        agreement.full_clean()
        agreement.save()
    for spec in AGREEMENT_CHILD_LISTS:
        if spec.name in document:
            sync_children(agreement, spec, document[spec.name])
    validate_party_mix([party.partner for party in agreement.parties.select_related("partner")])
    validate_removed_parties_unused(agreement)


@transaction.atomic
def agreement_create(*, document: dict[str, Any], user=None, reason: str, created_at=None) -> Agreement:
    return document_create(
        obj=Agreement(), fields=document.get("fields", {}), field_names=AGREEMENT_FIELDS,
        write=lambda a: _write(a, document), snapshot=agreement_snapshot_by_id, user=user, reason=reason,
        created_at=created_at,
    )


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, document: dict[str, Any], expected_edit_count: int | None, user=None,
    reason: str, kind: str = RevisionKind.EDITED, variation: Variation | None = None,
) -> Revision:
    """Save an edited agreement as one revision (refused as `schedule_update` refuses)."""
    guard_edit(agreement, variation)
    return document_update(
        obj=agreement, write=lambda a: _write(a, document), snapshot=agreement_snapshot_by_id,
        expected_edit_count=expected_edit_count, user=user, reason=reason, kind=kind,
    )


def agreement_agree(
    *, agreement: Agreement, decision: Decision, user=None, agreed_at=None,
    expected_revision: Revision | int | None = None,
) -> Version:
    """Mark the agreement's current state as agreed by `decision`: it becomes version N+1
    (refused if it moved on from `expected_revision`, the revision the user reviewed)."""
    return document_agree(
        document=agreement, decision=decision, user=user, agreed_at=agreed_at, expected_revision=expected_revision
    )


@transaction.atomic
def agreement_restore(
    *, agreement: Agreement, revision: Revision, user, reason: str, expected_revision: Revision | int | None = None,
) -> Revision:
    """Bring the agreement's fields, parties and clauses back to `revision`, as a new revision.

    `expected_revision` is the latest entry the user saw: if someone saved since, EditConflict is
    raised (checked under the row lock) and nothing is written.
    """
    if revision.object_id != agreement.pk or revision.snapshot.get("type") != "agreement":
        raise ValidationError("That entry belongs to another document.")
    expect_latest_revision(agreement, expected_revision)
    document = {key: revision.snapshot[key] for key in ("fields", "parties", "clauses")}
    document["fields"] = {k: v for k, v in document["fields"].items() if k not in ("reference", "status")}
    return agreement_update(
        agreement=agreement, document=document, expected_edit_count=None, user=user,
        reason=reason, kind=RevisionKind.RESTORED,
    )
