"""Confirming an import: every line written or none, as one revision of the schedule.

The fast path is ours: new lines with one bulk insert, changed lines with one bulk update of the
changed fields, and their historical rows with `bulk_history_create`, all linked to the revision
that `revision_scope` opens, so the import is one entry in the schedule's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from agreements.documents import schedule_snapshot_by_id
from agreements.models import RevisionKind, Schedule
from agreements.revisions import revision_scope
from agreements.services.documents import claim_edit
from budgets.importing.parsing import normalise
from budgets.importing.preview import ImportPreview, RowError, build_preview
from budgets.models import BudgetImport, BudgetLine

BATCH = 1000


class ImportRefused(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview
        self.errors: list[RowError] = preview.errors
        super().__init__("\n".join([preview.summary(), *(str(e) for e in preview.errors)]))


class ImportConflict(Exception):
    """Lines the preview showed were changed by someone else before the import was confirmed."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__(
            "The import was not confirmed: someone changed this schedule's budget lines after the preview was "
            "shown, so the preview is out of date. Nothing has been changed; check the new preview and confirm again."
        )


@dataclass
class ImportResult:
    preview: ImportPreview
    budget_import: BudgetImport | None  # None when the file changed nothing
    created: int
    changed: int
    unchanged: int
    previously_imported: BudgetImport | None = None

    @property
    def message(self) -> str:
        if self.budget_import is None:
            text = (f"Nothing was changed: all {self.unchanged} lines in {self.preview.filename} are already in "
                    f"Schedule {self.preview.schedule.number} exactly as they are.")
            if self.previously_imported is not None:
                who = self.previously_imported.imported_by
                by = f" by {who.get_full_name() or who.username}" if who else ""
                text += (f" This same file was imported{by} on "
                         f"{self.previously_imported.imported_at:%-d %B %Y at %H:%M}.")
            return text
        return (f"Imported {self.preview.filename}: {self.created} new, {self.changed} changed, "
                f"{self.unchanged} unchanged.")


class _NothingToDo(Exception):
    def __init__(self, preview: ImportPreview):
        self.preview = preview


def _summary(preview: ImportPreview) -> str:
    counts = f": {len(preview.changed)} changed, {len(preview.new)} new"
    name = preview.filename
    room = 300 - len("Imported ") - len(counts)
    if len(name) > room:
        name = name[: room - 1] + "…"
    return f"Imported {name}{counts}"


def _positions(schedule: Schedule, preview: ImportPreview) -> dict[str, int]:
    """Where each service sits in the table: its place among the schedule's lines, new ones after them."""
    positions: dict[str, int] = {}
    highest = 0
    for service, position in BudgetLine.objects.filter(schedule=schedule).values_list("service", "position"):
        positions.setdefault(normalise(service), position)
        highest = max(highest, position)
    for change in preview.new:
        key = normalise(change.parsed.service)
        if key not in positions:
            highest += 1
            positions[key] = highest
    return positions


def _write(preview: ImportPreview, *, revision, user, reason: str) -> None:
    schedule = preview.schedule
    history_user = user if (user is not None and user.is_authenticated) else None
    history = {
        "default_user": history_user, "default_change_reason": reason, "default_date": revision.created_at,
        "custom_historical_attrs": {"revision_id": revision.pk}, "batch_size": BATCH,
    }
    positions = _positions(schedule, preview)
    created = []
    for change in preview.new:
        parsed = change.parsed
        created.append(BudgetLine(
            schedule_id=schedule.pk, position=positions[normalise(parsed.service)], service=parsed.service,
            partner_id=parsed.partner_id, financial_year=parsed.financial_year, budget_type=parsed.budget_type,
            amount=parsed.amount, status=parsed.status,
            ring_fenced_public_health=bool(parsed.ring_fenced_public_health), notes=parsed.notes or "",
        ))
    if created:
        BudgetLine.objects.bulk_create(created, batch_size=BATCH)
        BudgetLine.history.bulk_history_create(created, **history)
    updated = []
    fields: set[str] = set()
    for change in preview.changed:
        line, parsed = change.line, change.parsed
        for name in ("amount", "status", "ring_fenced_public_health", "notes"):
            value = getattr(parsed, name)
            if value is not None and getattr(line, name) != value:
                setattr(line, name, value)
                fields.add(name)
        updated.append(line)
    if updated:
        BudgetLine.objects.bulk_update(updated, sorted(fields), batch_size=BATCH // 2)
        BudgetLine.history.bulk_history_create(updated, update=True, **history)


def budget_lines_import(
    *, schedule: Schedule, filename: str, content: bytes, user=None, reason: str = "",
    layout: str | None = None, financial_year: int | None = None, budget_type: str = "",
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Import a budget file into a schedule: all lines or none, as one revision.

    Raises ImportRefused when the file has any error and ImportConflict when `expected_fingerprint`
    (from the preview the user saw) no longer matches the stored lines; in both cases nothing is
    written. A file that changes nothing writes nothing and says so. Raises the schedule's
    edit count, so an edit form opened before the import is refused on save.
    """
    reason = reason.strip() or f"Imported budget lines from {filename}"
    try:
        with transaction.atomic():
            # Take the schedule's write lock first, so no one changes its lines between check and write.
            claim_edit(Schedule, schedule.pk, None, None)
            schedule.refresh_from_db()
            preview = build_preview(
                schedule=schedule, filename=filename, content=content, layout=layout,
                financial_year=financial_year, budget_type=budget_type,
            )
            if preview.errors:
                raise ImportRefused(preview)
            if expected_fingerprint is not None and preview.fingerprint != expected_fingerprint:
                raise ImportConflict(preview)
            if not preview.has_changes:
                raise _NothingToDo(preview)
            with revision_scope(
                document=schedule, snapshot=schedule_snapshot_by_id, user=user, reason=reason,
                kind=RevisionKind.IMPORTED, summary=_summary(preview),
            ) as revision:
                _write(preview, revision=revision, user=user, reason=reason)
            record = BudgetImport(
                schedule=schedule, filename=filename[:255], checksum=preview.checksum, layout=preview.layout,
                financial_year=preview.financial_year, budget_type=preview.budget_type or "",
                imported_by=user if (user is not None and user.is_authenticated) else None,
                imported_at=revision.created_at, created_count=len(preview.new),
                changed_count=len(preview.changed), unchanged_count=preview.unchanged_count, revision=revision,
            )
            record.file.save(filename, ContentFile(content), save=False)
            record.save()
            return ImportResult(preview, record, len(preview.new), len(preview.changed), preview.unchanged_count)
    except _NothingToDo as nothing:
        previous = BudgetImport.objects.filter(schedule=schedule, checksum=nothing.preview.checksum).first()
        return ImportResult(nothing.preview, None, 0, 0, nothing.preview.unchanged_count, previous)


