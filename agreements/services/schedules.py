"""Writes to schedules: create, edit, restore, agree, withdraw, delete."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from agreements.models import (
    Agreement,
    Aim,
    BudgetLine,
    KeyPerformanceIndicator,
    Outcome,
    Risk,
    Schedule,
    ScheduleStatus,
    SpecificationParagraph,
    SpecificationSection,
    StrategyDocument,
    Variation,
)
from agreements.services.variations import guard_edit
from agreements.snapshots import BUDGET_LINE_FIELDS, SCHEDULE_FIELDS, schedule_snapshot_by_id
from documents.models import Decision, Revision, RevisionKind, Version
from documents.revisions import revision_scope, versions_of
from documents.services import (
    ChildList,
    apply_fields,
    document_agree,
    document_create,
    document_update,
    expect_latest_revision,
    sync_children,
)


def schedule_child_lists() -> list[ChildList]:
    return [
        ChildList("aims", "Aim", Aim, "schedule", ("text",)),
        ChildList("outcomes", "Outcome", Outcome, "schedule", ("text",)),
        ChildList("strategy_documents", "Strategy document", StrategyDocument, "schedule", ("text",)),
        ChildList("kpis", "Key performance indicator", KeyPerformanceIndicator, "schedule", ("text",)),
        ChildList("risks", "Risk", Risk, "schedule", ("risk", "mitigation")),
        ChildList(
            "specification", "Specification section", SpecificationSection, "schedule", ("heading",),
            children=ChildList(
                "paragraphs", "Specification paragraph", SpecificationParagraph, "section", ("text", "list_items")
            ),
        ),
        ChildList("budget_lines", "Budget line", BudgetLine, "schedule", tuple(BUDGET_LINE_FIELDS)),
    ]


def schedule_next_number(agreement: Agreement) -> int:
    """The next free number: above every number the agreement has ever used, even by a deleted schedule."""
    used = Schedule.history.filter(agreement_id=agreement.pk).aggregate(highest=Max("number"))["highest"] or 0
    live = agreement.schedules.aggregate(highest=Max("number"))["highest"] or 0
    return max(used, live) + 1


def _check_number_never_used(agreement: Agreement, number: int, schedule_id: int | None) -> None:
    reused = Schedule.history.filter(agreement_id=agreement.pk, number=number)
    if schedule_id is not None:
        reused = reused.exclude(id=schedule_id)
    if reused.exclude(id__in=agreement.schedules.values("id")).exists():
        raise ValidationError(
            {"number": f"Schedule {number} was used before in this agreement and its number cannot be reused. "
                       f"The next free number is {schedule_next_number(agreement)}."}
        )


def _write(schedule: Schedule, document: dict[str, Any]) -> None:
    fields = document.get("fields", {})
    changed = apply_fields(schedule, fields, [name for name in SCHEDULE_FIELDS if name != "number"])
    if schedule._state.adding or changed:
        schedule.full_clean(exclude=["agreement"])
        schedule.save()
    for spec in schedule_child_lists():
        if spec.name in document:
            sync_children(schedule, spec, document[spec.name])


@transaction.atomic
def schedule_create(
    *, agreement: Agreement, document: dict[str, Any], user=None, reason: str,
    kind: str = RevisionKind.CREATED, created_at=None,
) -> Schedule:
    number = int(document.get("fields", {}).get("number") or schedule_next_number(agreement))
    _check_number_never_used(agreement, number, None)
    return document_create(
        obj=Schedule(agreement=agreement, number=number), fields=document.get("fields", {}),
        field_names=[n for n in SCHEDULE_FIELDS if n != "number"], write=lambda s: _write(s, document),
        snapshot=schedule_snapshot_by_id, user=user, reason=reason, kind=kind, created_at=created_at,
    )


@transaction.atomic
def schedule_update(
    *, schedule: Schedule, document: dict[str, Any], expected_edit_count: int | None, user=None,
    reason: str, kind: str = RevisionKind.EDITED, summary: str = "", variation: Variation | None = None,
) -> Revision:
    """Save an edited schedule as one revision, or refuse if someone saved it first.

    Raises EditConflict (someone else saved after `expected_edit_count`), NothingChanged, or
    ValidationError (InOpenVariation when an open variation carries it and this is not a change
    made inside that `variation`); in every case nothing is written.
    """
    guard_edit(schedule, variation)
    return document_update(
        obj=schedule, write=lambda s: _write(s, document), snapshot=schedule_snapshot_by_id,
        expected_edit_count=expected_edit_count, user=user, reason=reason, kind=kind, summary=summary,
    )


@transaction.atomic
def schedule_restore(
    *, schedule: Schedule, revision: Revision, user, reason: str, expected_revision: Revision | int | None = None,
) -> Revision:
    """Bring the schedule and its child rows back to `revision`; the restore is a new revision.

    `expected_revision` is the latest entry the user saw: if someone saved since, EditConflict is
    raised (checked under the row lock) and nothing is written.
    """
    if revision.object_id != schedule.pk or revision.snapshot.get("type") != "schedule":
        raise ValidationError("That entry belongs to another document.")
    expect_latest_revision(schedule, expected_revision)
    document = {key: value for key, value in revision.snapshot.items() if key not in {"id", "agreement", "partners"}}
    document["fields"] = {k: v for k, v in revision.snapshot["fields"].items() if k != "number"}
    return schedule_update(
        schedule=schedule, document=document, expected_edit_count=None, user=user,
        reason=reason, kind=RevisionKind.RESTORED,
    )


def schedule_agree(
    *, schedule: Schedule, decision: Decision, user=None, agreed_at=None, expected_revision: Revision | int | None = None,
) -> Version:
    """Mark the schedule's current state as agreed by `decision`: it becomes version N+1
    (refused if it moved on from `expected_revision`, the revision the user reviewed)."""
    return document_agree(
        document=schedule, decision=decision, user=user, agreed_at=agreed_at, expected_revision=expected_revision
    )


def schedule_withdraw(*, schedule: Schedule, expected_edit_count: int | None, user, reason: str) -> Revision:
    """Withdraw a schedule: it keeps its number and its history."""
    return schedule_update(
        schedule=schedule, document={"fields": {"status": ScheduleStatus.WITHDRAWN}},
        expected_edit_count=expected_edit_count, user=user, reason=reason,
    )


@transaction.atomic
def schedule_delete(*, schedule: Schedule, user, reason: str) -> None:
    """Delete a draft schedule that was never agreed; its number is never offered again.

    The deletion is one history entry: every row removed (the schedule, its items and budget
    lines) gets its historical row, with the user and reason, linked to it.
    """
    if versions_of(schedule).exists():
        raise ValidationError(
            f"Schedule {schedule.number} has agreed versions and cannot be deleted. Withdraw it instead."
        )
    if schedule.budget_imports.exists():
        raise ValidationError(
            f"Schedule {schedule.number} has imported budget files on record and cannot be deleted. Withdraw it instead."
        )
    number, schedule_id = schedule.number, schedule.pk  # read before the delete clears the pk
    with revision_scope(
        document=schedule, snapshot=lambda pk: {"type": "schedule", "id": schedule_id, "number": number, "deleted": True},
        user=user, reason=reason, kind=RevisionKind.DELETED,
    ):
        schedule.delete()
