"""Writes to boards and terms of reference, through the same document mechanism as schedules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from agreements.models import Agreement
from documents.models import Decision, Revision, RevisionKind, Version
from documents.services import (
    ChildList,
    NothingChanged,
    apply_fields,
    document_agree,
    document_create,
    document_update,
    expect_latest_revision,
    sync_children,
)
from documents.text import clean_text
from governance.models import (
    AccountabilityLine,
    Board,
    Duty,
    FinancialGovernanceItem,
    MeetingChange,
    MeetingSchedule,
    Member,
    RemitItem,
    TermsOfReference,
    TermsSection,
    TermsStatus,
)
from governance.snapshots import BOARD_FIELDS, TERMS_FIELDS, board_snapshot_by_id, terms_snapshot_by_id

TERMS_CHILD_LISTS = [
    ChildList("duties", "Duty", Duty, "terms", ("label", "text")),
    ChildList(
        "accountability_lines", "Reporting line", AccountabilityLine, "terms",
        ("label", "reports_to_id", "reports_to_name", "frequency", "text"),
    ),
    ChildList("financial_items", "Financial governance item", FinancialGovernanceItem, "terms", ("label", "text")),
    ChildList(
        "members", "Member", Member, "terms", ("role", "organisation_id", "organisation_name", "voting", "substitute")
    ),
    ChildList("remit_items", "Remit item", RemitItem, "terms", ("included", "text")),
    ChildList("other_sections", "Section", TermsSection, "terms", ("heading", "body")),
]


def _write(terms: TermsOfReference, document: dict[str, Any]) -> None:
    changed = apply_fields(terms, document.get("fields", {}), TERMS_FIELDS)
    if terms._state.adding or changed:
        terms.full_clean(exclude=["board"])
        terms.save()
    for spec in TERMS_CHILD_LISTS:
        if spec.name in document:
            sync_children(terms, spec, document[spec.name])


@transaction.atomic
def terms_create(
    *, board: Board, document: dict[str, Any], user=None, reason: str, created_at=None
) -> TermsOfReference:
    return document_create(
        obj=TermsOfReference(board=board), fields=document.get("fields", {}), field_names=TERMS_FIELDS,
        write=lambda t: _write(t, document), snapshot=terms_snapshot_by_id, user=user, reason=reason,
        created_at=created_at,
    )


@transaction.atomic
def terms_update(
    *, terms: TermsOfReference, document: dict[str, Any], expected_edit_count: int | None, user=None,
    reason: str, kind: str = RevisionKind.EDITED,
) -> Revision:
    return document_update(
        obj=terms, write=lambda stored: _write(stored, document), snapshot=terms_snapshot_by_id,
        expected_edit_count=expected_edit_count, user=user, reason=reason, kind=kind,
    )


@transaction.atomic
def terms_approve(
    *, terms: TermsOfReference, decision: Decision, user=None, approved_at=None,
    expected_revision: Revision | int | None = None,
) -> Version:
    """Record who approved the terms, when and under which reference: they become approved, version N+1.

    Refused (EditConflict) if the terms moved on from `expected_revision`, the revision the user
    reviewed: checked before the approved status is written.
    """
    expect_latest_revision(terms, expected_revision)
    if terms.status != TermsStatus.APPROVED:
        document_update(
            obj=terms, write=lambda stored: _write(stored, {"fields": {"status": TermsStatus.APPROVED}}),
            snapshot=terms_snapshot_by_id, expected_edit_count=None, user=user,
            reason=f"Approved by {decision.body}, {decision.decided_on:%-d %B %Y}",
        )
    return document_agree(document=terms, decision=decision, user=user, agreed_at=approved_at)


@transaction.atomic
def terms_restore(
    *, terms: TermsOfReference, revision: Revision, user, reason: str, expected_revision: Revision | int | None = None,
) -> Revision:
    """Bring the terms and their child rows back to `revision`; the restore is a new revision.

    `expected_revision` is the latest entry the user saw: if someone saved since, EditConflict is
    raised (checked under the row lock) and nothing is written.
    """
    if revision.object_id != terms.pk or revision.snapshot.get("type") != "terms":
        raise ValidationError("That entry belongs to another document.")
    expect_latest_revision(terms, expected_revision)
    document = {key: value for key, value in revision.snapshot.items() if key not in {"id", "board"}}
    return terms_update(
        terms=terms, document=document, expected_edit_count=None, user=user,
        reason=reason, kind=RevisionKind.RESTORED,
    )


def _check_reporting(board: Board, reports_to: Board | None) -> None:
    """Refuse a reporting loop: the database only refuses a board reporting to itself directly."""
    seen: set[int] = set()
    body = reports_to
    while body is not None and body.pk not in seen:
        if body.pk == board.pk:
            raise ValidationError({"reports_to": "A board cannot report to itself, directly or through other boards."})
        seen.add(body.pk)
        body = body.reports_to


def _write_board(board: Board, fields: dict[str, Any], agreement_ids: set[int] | None) -> None:
    """Save the board's changed fields, then its agreements, each write a historical row of the open revision."""
    if apply_fields(board, fields, BOARD_FIELDS):
        board.full_clean()
        board.save()
    if agreement_ids is not None and agreement_ids != set(board.agreements.values_list("pk", flat=True)):
        board.agreements.set(sorted(agreement_ids))


@transaction.atomic
def board_create(
    *, name: str, short_name: str = "", reports_to: Board | None = None, description: str = "", agreements=(),
    user=None, reason: str, created_at=None,
) -> Board:
    """Record a new board as its first revision, with the agreements it manages."""
    fields = {"name": name, "short_name": short_name, "reports_to_id": reports_to.pk if reports_to else None,
              "description": description}
    agreement_ids = {agreement.pk for agreement in agreements}
    return document_create(
        obj=Board(), fields=fields, field_names=BOARD_FIELDS,
        write=lambda board: _write_board(board, {}, agreement_ids or None), snapshot=board_snapshot_by_id,
        user=user, reason=reason, created_at=created_at,
    )


@transaction.atomic
def board_update(
    *, board: Board, name: str, short_name: str, reports_to: Board | None, description: str,
    agreements, user=None, reason: str, kind: str = RevisionKind.EDITED, expected_edit_count: int | None = None,
) -> Board:
    """Change a board's name, the body it reports to and the agreements it manages, with a reason.

    One revision per save, like any document; NothingChanged when the form matches what is stored;
    EditConflict when `expected_edit_count` (the count when the edit page was opened) is stale.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    _check_reporting(board, reports_to)
    name, short_name, description = clean_text(name), clean_text(short_name), clean_text(description)
    new_ids = {agreement.pk for agreement in agreements}
    stored = Board.objects.get(pk=board.pk)  # a bound ModelForm has already set the instance's fields
    fields_changed = (stored.name, stored.short_name, stored.reports_to_id, stored.description) != (
        name, short_name, reports_to.pk if reports_to else None, description
    )
    agreements_changed = new_ids != set(board.agreements.values_list("pk", flat=True))
    if not (fields_changed or agreements_changed):
        raise NothingChanged()
    fields = {"name": name, "short_name": short_name, "reports_to_id": reports_to.pk if reports_to else None,
              "description": description}
    document_update(
        obj=board, write=lambda stored: _write_board(stored, fields, new_ids), snapshot=board_snapshot_by_id,
        expected_edit_count=expected_edit_count, user=user, reason=reason, kind=kind,
    )
    return board


@transaction.atomic
def board_add_agreement(*, board: Board, agreement, user=None, reason: str) -> Board:
    """Add one agreement to those the board manages (as the demo links them), as one revision."""
    return board_update(
        board=board, name=board.name, short_name=board.short_name, reports_to=board.reports_to,
        description=board.description, agreements=[*board.agreements.all(), agreement], user=user, reason=reason,
    )


@transaction.atomic
def board_restore(
    *, board: Board, revision: Revision, user, reason: str, expected_revision: Revision | int | None = None,
) -> Board:
    """Bring the board back to `revision`: its fields and the agreements it managed that still exist."""
    if revision.object_id != board.pk or revision.snapshot.get("type") != "board":
        raise ValidationError("That entry belongs to another document.")
    expect_latest_revision(board, expected_revision)
    fields = revision.snapshot["fields"]
    reports_to = Board.objects.filter(pk=fields.get("reports_to_id")).first() if fields.get("reports_to_id") else None
    agreement_ids = [item["id"] for item in revision.snapshot.get("agreements", [])]
    return board_update(
        board=board, name=fields["name"], short_name=fields["short_name"], reports_to=reports_to,
        description=fields["description"], agreements=Agreement.objects.filter(pk__in=agreement_ids),
        user=user, reason=reason, kind=RevisionKind.RESTORED,
    )


# ----------------------------------------------------------------------------- meeting schedules


@transaction.atomic
def meeting_schedule_set(
    *, board: Board, first_meeting, every_months: int, changes: list[tuple[Any, Any]] = (), reason: str = "",
) -> MeetingSchedule:
    """Set when the board meets (every `every_months` months from `first_meeting`) and the single
    meetings moved or cancelled, as (date the pattern gives, new date or None for cancelled).

    A change must name a date the pattern gives, at most once; nothing is saved otherwise.
    """
    schedule = MeetingSchedule.objects.filter(board=board).first() or MeetingSchedule(board=board)
    schedule.first_meeting, schedule.every_months = first_meeting, every_months
    schedule.full_clean()
    errors, seen = [], set()
    for index, (planned, _moved_to) in enumerate(changes, start=1):
        if planned in seen:
            errors.append(f"Change {index}: the meeting on {planned:%-d %B %Y} is already moved or cancelled above.")
        elif planned < first_meeting or planned not in _pattern_dates(schedule, planned):
            errors.append(f"Change {index}: the board does not meet on {planned:%-d %B %Y} in this pattern.")
        seen.add(planned)
    if errors:
        raise ValidationError(errors)
    if reason:
        schedule._change_reason = reason
    schedule.save()
    for old in schedule.changes.all():  # one by one, so each removal is in the history
        old.delete()
    bulk_create_with_history(
        [MeetingChange(schedule=schedule, scheduled_for=planned, moved_to=moved_to) for planned, moved_to in changes],
        MeetingChange, default_change_reason=reason or None,
    )
    return schedule


def _pattern_dates(schedule: MeetingSchedule, until) -> set:
    from governance.due import meeting_dates

    return set(meeting_dates(schedule, {}, start=schedule.first_meeting, until=until))


def _current_changes(board: Board) -> list[tuple[Any, Any]]:
    return list(MeetingChange.objects.filter(schedule__board=board).values_list("scheduled_for", "moved_to"))


def meeting_move(*, board: Board, scheduled_for, moved_to) -> MeetingSchedule:
    """Move one meeting the pattern gives to `moved_to`, or cancel it (`moved_to` None)."""
    schedule = MeetingSchedule.objects.get(board=board)
    changes = [change for change in _current_changes(board) if change[0] != scheduled_for]
    return meeting_schedule_set(board=board, first_meeting=schedule.first_meeting, every_months=schedule.every_months,
                                changes=sorted([*changes, (scheduled_for, moved_to)]))


def meeting_change_undo(*, board: Board, scheduled_for) -> MeetingSchedule:
    """Put a moved or cancelled meeting back on the date the pattern gives."""
    schedule = MeetingSchedule.objects.get(board=board)
    return meeting_schedule_set(board=board, first_meeting=schedule.first_meeting, every_months=schedule.every_months,
                                changes=[change for change in _current_changes(board) if change[0] != scheduled_for])


def meeting_pattern_set(*, board: Board, first_meeting, every_months: int) -> tuple[MeetingSchedule, int]:
    """Set the pattern; moved or cancelled meetings it still gives are kept, the others dropped (and counted)."""
    current = _current_changes(board)
    probe = MeetingSchedule(board_id=board.pk, first_meeting=first_meeting, every_months=every_months)
    kept = [c for c in current if c[0] >= first_meeting and c[0] in _pattern_dates(probe, c[0])]
    schedule = meeting_schedule_set(board=board, first_meeting=first_meeting, every_months=every_months, changes=kept)
    return schedule, len(current) - len(kept)
