"""Confirming an import: every line written or none, as one revision of the schedule.

The fast path is ours: new lines with multi-row INSERTs (`writing.insert_rows`), changed lines with
one bulk update of the changed fields, and a historical row for each of them written the same way,
all linked to the revision that `revision_scope` opens (its user, reason and date), so the import
is one entry in the schedule's history. The lines are read back once, as plain values, for the
history rows' ids and for the revision's snapshot (`writing.schedule_snapshot_with_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from agreements.models import BudgetLine, Schedule
from agreements.services.variations import guard_edit
from budgets.importing.parsing import normalise
from budgets.importing.preview import ImportPreview, RowError, build_preview, build_preview_from_rows
from budgets.importing.records import rows_from_records
from budgets.importing.writing import LINE_VALUES, insert_rows, schedule_snapshot_with_lines, stored_lines
from budgets.models import BudgetImport
from documents.models import Revision, RevisionKind
from documents.revisions import latest_revision, revision_scope
from documents.services import claim_edit
from partnerships.models import Partner

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


NEW_LINE_FIELDS = ("schedule_id", "position", "service", "partner_id", "financial_year", "budget_type", "amount",
                   "status", "ring_fenced_public_health", "notes")


def _write(preview: ImportPreview, *, revision, user, reason: str) -> list[tuple]:
    """Write the new and changed lines and a historical row for each, linked to `revision`.

    Returns the schedule's lines as written (`stored_lines`), for the revision's snapshot.
    """
    schedule = preview.schedule
    positions = _positions(schedule, preview)
    insert_rows(BudgetLine, NEW_LINE_FIELDS, [
        (schedule.pk, positions[normalise(parsed.service)], parsed.service, parsed.partner_id,
         parsed.financial_year, parsed.budget_type, parsed.amount, parsed.status,
         bool(parsed.ring_fenced_public_health), parsed.notes or "")
        for parsed in (change.parsed for change in preview.new)
    ])
    updated = []
    fields: set[str] = set()
    for change in preview.changed:
        line, parsed = change.line, change.parsed
        for name in ("amount", "status", "ring_fenced_public_health", "notes"):
            value = getattr(parsed, name)
            if value is None and name in ("ring_fenced_public_health", "notes"):
                continue  # the file has no such column: keep what is stored (a blank amount is a blank amount)
            if getattr(line, name) != value:
                setattr(line, name, value)
                fields.add(name)
        updated.append(line)
    if updated:
        BudgetLine.objects.bulk_update(updated, sorted(fields), batch_size=BATCH // 2)

    # Read the lines back once: the new lines' ids for their history, and the state for the snapshot.
    lines = stored_lines(schedule.pk)
    new_keys = {(change.parsed.service, change.parsed.partner_id, change.parsed.financial_year,
                 change.parsed.budget_type) for change in preview.new}
    changed_ids = {line.pk for line in updated}
    history_model = BudgetLine.history.model
    constants = {
        "schedule_id": schedule.pk, "history_date": revision.created_at,
        "history_user_id": user.pk if (user is not None and user.is_authenticated) else None,
        "history_change_reason": reason, "revision_id": revision.pk,
    }
    columns = [field.attname for field in history_model._meta.concrete_fields if not field.primary_key]
    missing = set(columns) - set(LINE_VALUES) - set(constants) - {"history_type"}
    if missing:  # a field added to the historical model that this fast path does not know how to fill
        raise RuntimeError(f"The import cannot write historical budget lines: no value for {sorted(missing)}.")
    rows = []
    for values in lines:
        line_id, _position, service, partner_id, financial_year, budget_type = values[:6]
        if line_id in changed_ids:
            kind = "~"
        elif (service, partner_id, financial_year, budget_type) in new_keys:
            kind = "+"
        else:
            continue
        row = {**constants, **dict(zip(LINE_VALUES, values, strict=True)), "history_type": kind}
        rows.append(tuple(row[name] for name in columns))
    written = len(preview.new) + len(updated)
    if len(rows) != written:
        raise RuntimeError(f"The import wrote {written} lines but found {len(rows)} of them to record in history.")
    insert_rows(history_model, columns, rows)
    return lines


def preview_write(preview: ImportPreview, *, content: bytes, user, reason: str) -> BudgetImport:
    """Write a checked preview's new and changed lines as one revision of its schedule, and record the import.

    Call inside the transaction that took the schedule's write lock and built `preview` (with no
    errors and some changes): `budget_lines_import` for one schedule, `agreement_budget_lines_import`
    for each schedule an agreement-wide file changes.
    """
    schedule = preview.schedule
    written: list[tuple] = []
    with revision_scope(
        document=schedule, snapshot=lambda pk: schedule_snapshot_with_lines(pk, written), user=user,
        reason=reason, kind=RevisionKind.IMPORTED, summary=_summary(preview),
    ) as revision:
        written.extend(_write(preview, revision=revision, user=user, reason=reason))
    record = BudgetImport(
        schedule=schedule, filename=preview.filename[:255], checksum=preview.checksum, layout=preview.layout,
        financial_year=preview.financial_year, budget_type=preview.budget_type or "",
        imported_by=user if (user is not None and user.is_authenticated) else None,
        imported_at=revision.created_at, created_count=len(preview.new),
        changed_count=len(preview.changed), unchanged_count=preview.unchanged_count, revision=revision,
    )
    record.file.save(preview.filename, ContentFile(content), save=False)
    record.save()
    return record


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
            guard_edit(schedule)  # a schedule in an open variation changes only through it
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
            record = preview_write(preview, content=content, user=user, reason=reason)
            return ImportResult(preview, record, len(preview.new), len(preview.changed), preview.unchanged_count)
    except _NothingToDo as nothing:
        previous = BudgetImport.objects.filter(schedule=schedule, checksum=nothing.preview.checksum).first()
        return ImportResult(nothing.preview, None, 0, 0, nothing.preview.unchanged_count, previous)




MAX_LINES = 10_000


@dataclass
class LinesWritten:
    revision: Revision | None  # None when the lines changed nothing
    created: int
    changed: int
    unchanged: int
    edit_count: int  # the schedule's, after the write


def budget_lines_write(
    *, schedule: Schedule, records: list, user, reason: str, expected_edit_count: int | None,
    label: str = "the request",
) -> LinesWritten:
    """Create or change a schedule's budget lines from records (the API's JSON lines): all or none, one revision.

    Each record is checked as the same line in a budget-lines file is (`records.rows_from_records`,
    then the import's row parser), and written by the import's fast path with a historical row per
    created or changed line. Lines the records do not mention are left as they are. Raises
    ValidationError (no reason, too many lines), ImportRefused (every error, by row) or EditConflict
    (the schedule was saved after `expected_edit_count`); in each case nothing is written.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    if len(records) > MAX_LINES:
        raise ValidationError({"lines": f"{len(records):,} lines were sent; send at most {MAX_LINES:,} in one request."})
    if not records:
        raise ValidationError({"lines": "Send at least one line."})
    try:
        with transaction.atomic():
            claim_edit(Schedule, schedule.pk, expected_edit_count, latest_revision(schedule))
            schedule.refresh_from_db()
            rows, absent, shape_errors = rows_from_records(records, dict(Partner.objects.values_list("pk", "name")))
            preview = build_preview_from_rows(schedule=schedule, label=label, rows=rows, absent=absent)
            if shape_errors:
                preview.errors = sorted([*shape_errors, *preview.errors], key=lambda error: error.row or 0)
            if preview.errors:
                raise ImportRefused(preview)
            if not preview.has_changes:
                raise _NothingToDo(preview)
            written: list[tuple] = []
            summary = f"Budget lines written through the API: {len(preview.changed)} changed, {len(preview.new)} new"
            with revision_scope(
                document=schedule, snapshot=lambda pk: schedule_snapshot_with_lines(pk, written), user=user,
                reason=reason, kind=RevisionKind.EDITED, summary=summary,
            ) as revision:
                written.extend(_write(preview, revision=revision, user=user, reason=reason))
            return LinesWritten(revision, len(preview.new), len(preview.changed), preview.unchanged_count,
                                schedule.edit_count)
    except _NothingToDo as nothing:
        schedule.refresh_from_db()
        return LinesWritten(None, 0, 0, nothing.preview.unchanged_count, schedule.edit_count)
