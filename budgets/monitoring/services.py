"""Writes to monitoring returns, through the kernel's one write path (documents.services).

A return is created by its first save and changed by later ones, each one revision; marking it
presented to a board is agreeing a version (the kernel's `document_agree`), which freezes it: later
corrections are new revisions, and the version prints again exactly as presented.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.budget_values import financial_year_label
from agreements.models import BudgetLine, Schedule, ScheduleStatus
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.snapshots import RETURN_FIELDS, return_snapshot_by_id
from budgets.monitoring.writing import write_entries
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

ENTRIES = ChildList("entries", "Budget line", MonitoringEntry, "monitoring_return", ("budget_line_id", "actual_to_date", "forecast_outturn", "notes"))


def current_financial_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


def check_period(schedule: Schedule, financial_year: int, period: int, *, today: date | None = None) -> None:
    """Refuse a return the schedule cannot have: withdrawn, an unknown period, or a year not yet begun."""
    if schedule.status == ScheduleStatus.WITHDRAWN:
        raise ValidationError(f"Schedule {schedule.number} is withdrawn: it takes no monitoring returns.")
    if period not in range(1, 13):
        raise ValidationError(f"“P{period}” is not a period: use P1 (April) to P12 (March).")
    if financial_year > current_financial_year(today):
        raise ValidationError(
            f"{financial_year_label(financial_year)} has not begun yet: returns can be made up to the current "
            f"financial year, {financial_year_label(current_financial_year(today))}."
        )


def monitored_lines(schedule: Schedule, financial_year: int):
    """The schedule's budget lines of the year, in the schedule's order: what a return reports against."""
    return BudgetLine.objects.filter(schedule=schedule, financial_year=financial_year).select_related("partner")


def _entries(monitoring_return: MonitoringReturn | None, values: dict[int, dict[str, Any]],
             line_ids: list[int]) -> list[dict[str, Any]]:
    """The entries' list in the schedule's line order (`line_ids`), keeping each stored entry's id."""
    stored = {}
    if monitoring_return is not None and monitoring_return.pk:
        stored = dict(monitoring_return.entries.values_list("budget_line_id", "pk"))
    unknown = set(values) - set(line_ids)
    if unknown:
        raise ValidationError(f"Budget line {min(unknown)} is not a line of this schedule for this year.")
    return [{"id": stored.get(pk), "budget_line_id": pk, **values[pk]} for pk in line_ids if pk in values]


def _write(obj: MonitoringReturn, entries: list[dict[str, Any]], note: str | None = None, *, fast: bool = False) -> None:
    if note is not None and apply_fields(obj, {"note": note}, ["note"]):
        obj.save()
    if fast:
        write_entries(obj, entries)
    else:
        sync_children(obj, ENTRIES, entries)


@transaction.atomic
def return_save(
    *, schedule: Schedule, financial_year: int, period: int, values: dict[int, dict[str, Any]], user=None,
    reason: str, expected_edit_count: int | None = None, today: date | None = None, note: str | None = None,
    fast: bool = True,
) -> MonitoringReturn:
    """Save a period's figures (budget line id -> actual_to_date, forecast_outturn, notes) as one revision.

    Lines missing from `values` have no entry. Raises ValidationError, EditConflict or NothingChanged,
    writing nothing in each case. The entries go through the fast path (`writing.write_entries`)
    unless `fast=False`, which writes them row by row through the kernel's `sync_children`: the same
    rows, revision and history (a test holds them to it).
    """
    check_period(schedule, financial_year, period, today=today)
    line_ids = list(monitored_lines(schedule, financial_year).values_list("pk", flat=True))
    existing = MonitoringReturn.objects.filter(schedule=schedule, financial_year=financial_year, period=period).first()
    entries = _entries(existing, values, line_ids)
    reason = reason.strip() or f"Monitoring return for {financial_year_label(financial_year)} P{period}"
    if existing is None:
        return document_create(
            obj=MonitoringReturn(schedule=schedule),
            fields={"financial_year": financial_year, "period": period, "note": note or ""},
            field_names=RETURN_FIELDS, write=lambda obj: _write(obj, entries, fast=fast), snapshot=return_snapshot_by_id,
            user=user, reason=reason,
        )
    document_update(
        obj=existing, write=lambda obj: _write(obj, entries, note, fast=fast), snapshot=return_snapshot_by_id,
        expected_edit_count=expected_edit_count, user=user, reason=reason,
    )
    return existing


@transaction.atomic
def return_present(
    *, monitoring_return: MonitoringReturn, decision: Decision, user=None,
    expected_revision: Revision | int | None = None,
) -> Version:
    """Mark the return as presented to a board (`decision.body`, `decision.decided_on`): version N+1, frozen."""
    return document_agree(document=monitoring_return, decision=decision, user=user,
                          expected_revision=expected_revision)


@transaction.atomic
def return_restore(
    *, monitoring_return: MonitoringReturn, revision: Revision, user, reason: str,
    expected_revision: Revision | int | None = None,
) -> Revision:
    if revision.object_id != monitoring_return.pk or revision.snapshot.get("type") != "monitoring_return":
        raise ValidationError("That entry belongs to another document.")
    expect_latest_revision(monitoring_return, expected_revision)
    entries = [{key: item[key] for key in ("id", *ENTRIES.fields)} for item in revision.snapshot["entries"]]
    return document_update(
        obj=monitoring_return, write=lambda obj: _write(obj, entries), snapshot=return_snapshot_by_id,
        expected_edit_count=None, user=user, reason=reason, kind=RevisionKind.RESTORED,
    )

