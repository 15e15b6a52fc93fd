"""An agreement-wide budget file: budget lines with a "Schedule" column saying which schedule each is for.

The layout the agreement-wide export writes: "Schedule" (the schedule's number), then the
budget-lines columns; as with those, the column is found by its heading ("Schedule", "Schedule
number" or "Schedule no.") wherever it is. The file's rows are split by schedule and each schedule's rows go through
the one-schedule engine (`preview.build_preview_from_rows`, then `services.preview_write`), so a
line is read, compared and written exactly as in a one-schedule import. A row naming a schedule
the agreement does not have is an error naming its row, column and value. The confirm is all or
nothing across schedules: one transaction, one revision per schedule changed, refused when any
schedule's lines changed since the preview.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F

from agreements.budget_values import CellError, text
from agreements.models import Agreement, Schedule
from agreements.services.variations import InOpenVariation, guard_edit, open_entry
from budgets.importing.parsing import SCHEDULE_KEYS, header_key, parse_schedule_number
from budgets.importing.preview import (
    ImportPreview,
    RowError,
    build_preview_from_rows,
    find_header,
    formula_error,
    missing_columns_error,
    refusal_summary,
)
from budgets.importing.reading import FileRefused, read_sheet
from budgets.importing.services import ImportConflict, ImportRefused, preview_write
from budgets.importing.xlsx_cells import UnsavedFormula
from budgets.models import BudgetImport
from documents.services import claim_edit

SCHEDULE_HEADING = "Schedule"


@dataclass
class AgreementPreview:
    """What an agreement-wide file would do: one schedule's preview per schedule it names, and every error."""

    agreement: Agreement
    filename: str
    checksum: str
    encoding: str = ""
    schedules: list[ImportPreview] = field(default_factory=list)  # in schedule-number order
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def fingerprint(self) -> str:
        """Each schedule's fingerprint (the stored state of every line the file touches), together."""
        digest = hashlib.sha256()
        for one in self.schedules:
            digest.update(f"{one.schedule.pk}:{one.fingerprint};".encode())
        return digest.hexdigest() if self.schedules else ""

    @property
    def has_changes(self) -> bool:
        return any(one.has_changes for one in self.schedules)

    @property
    def new_count(self) -> int:
        return sum(len(one.new) for one in self.schedules)

    @property
    def changed_count(self) -> int:
        return sum(len(one.changed) for one in self.schedules)

    @property
    def unchanged_count(self) -> int:
        return sum(one.unchanged_count for one in self.schedules)

    def summary(self) -> str:
        if self.errors:
            return refusal_summary(self.filename, self.errors)
        if not self.has_changes:
            return (f"{self.filename}: nothing to change. All {self.unchanged_count} lines in the file are already "
                    "in their schedules exactly as they are.")
        return (f"{self.filename}: {self.new_count} new, {self.changed_count} changed, {self.unchanged_count} "
                f"unchanged, in {len(self.schedules)} schedule{'s' if len(self.schedules) != 1 else ''}.")


def _schedule_list(numbers) -> str:
    numbers = [str(number) for number in sorted(numbers)]
    if not numbers:
        return "it has no schedules"
    if len(numbers) == 1:
        return f"its only schedule is {numbers[0]}"
    return f"its schedules are {', '.join(numbers[:-1])} and {numbers[-1]}"


def build_agreement_preview(*, agreement: Agreement, filename: str, content: bytes) -> AgreementPreview:
    """Split the file's rows by their Schedule column and preview each schedule's; writes nothing."""
    preview = AgreementPreview(agreement=agreement, filename=filename, checksum=hashlib.sha256(content).hexdigest())
    errors = preview.errors
    try:
        sheet = read_sheet(filename, content)
    except FileRefused as error:
        errors.append(RowError(None, "", "", str(error)))
        return preview
    preview.encoding = sheet.encoding
    rows = sheet.rows
    header_index = find_header(rows)
    header_row, headers = rows[header_index]
    formulas = [formula_error(header_row, text(value) or str(index + 1), value)
                for index, value in enumerate(headers) if isinstance(value, UnsavedFormula)]
    if formulas:
        errors.extend(formulas)
        return preview
    column = next((index for index, heading in enumerate(headers) if header_key(heading) in SCHEDULE_KEYS), None)
    if column is None:
        errors.append(RowError(header_row, "", "", (
            f"The headings in row {header_row} have no “{SCHEDULE_HEADING}” column. An agreement's budget file "
            f"gives each line's schedule number in a “{SCHEDULE_HEADING}” column, then the budget-lines columns "
            "(Financial year, Service, Partner, Budget type, Amount (£)). To import a file for one schedule, "
            "import it from that schedule's page.")))
        return preview
    line_headers = tuple(headers[:column]) + tuple(headers[column + 1:])
    missing = missing_columns_error(header_row, line_headers)
    if missing is not None:
        errors.append(missing)
        return preview
    if len(rows) <= header_index + 1:
        errors.append(RowError(header_row + 1, "", "", f"The file has headings in row {header_row} but no lines "
                                                       "below them."))
        return preview
    schedules = {schedule.number: schedule for schedule in Schedule.objects.filter(agreement=agreement)
                 .select_related("agreement")}
    groups: dict[int, list[tuple[int, tuple]]] = {}
    for number, values in rows[header_index + 1:]:
        cell = values[column] if column < len(values) else None
        if isinstance(cell, UnsavedFormula):
            errors.append(formula_error(number, SCHEDULE_HEADING, cell))
            continue
        try:
            schedule_number = parse_schedule_number(cell)
        except CellError as error:
            errors.append(RowError(number, SCHEDULE_HEADING, text(cell), str(error)))
            continue
        if schedule_number not in schedules:
            errors.append(RowError(number, SCHEDULE_HEADING, text(cell), (
                f"Agreement {agreement.reference} has no Schedule {schedule_number}: {_schedule_list(schedules)}.")))
            continue
        groups.setdefault(schedule_number, []).append((number, tuple(values[:column]) + tuple(values[column + 1:])))
    for schedule_number in sorted(groups):
        schedule = schedules[schedule_number]
        held = open_entry(schedule)
        if held is not None:
            first_row = groups[schedule_number][0][0]
            errors.append(RowError(first_row, SCHEDULE_HEADING, str(schedule_number),
                                   str(InOpenVariation(f"Schedule {schedule_number}", held.variation).message)))
            continue
        one = build_preview_from_rows(schedule=schedule, label=filename,
                                      rows=[(header_row, list(line_headers)), *groups[schedule_number]])
        one.checksum, one.encoding = preview.checksum, sheet.encoding
        preview.schedules.append(one)
        errors.extend(one.errors)
    errors.sort(key=lambda error: error.row or 0)
    return preview


class AgreementImportConflict(ImportConflict):
    """Lines of a schedule the preview showed were changed by someone else before the import was confirmed."""

    def __init__(self, preview: AgreementPreview):
        self.preview = preview  # type: ignore[assignment]
        Exception.__init__(
            self,
            "The import was not confirmed: someone changed the budget lines of a schedule in this file after the "
            "preview was shown, so the preview is out of date. Nothing has been changed; check the new preview "
            "and confirm again.",
        )


@dataclass
class AgreementImportResult:
    preview: AgreementPreview
    records: list[BudgetImport]  # one per schedule changed; none when the file changed nothing

    @property
    def message(self) -> str:
        if not self.records:
            return (f"Nothing was changed: all {self.preview.unchanged_count} lines in {self.preview.filename} are "
                    "already in their schedules exactly as they are.")
        each = "; ".join(f"Schedule {record.schedule.number}: {record.created_count} new, {record.changed_count} "
                         f"changed" for record in self.records)
        return f"Imported {self.preview.filename}: {each}."


def _lock_schedules(agreement: Agreement) -> None:
    """Hold every schedule of the agreement against writes until the transaction ends, changing none.

    PostgreSQL: FOR UPDATE, in number order (so two imports wait rather than deadlock). SQLite has no
    row locks: an UPDATE that changes nothing takes its database write lock, as `claim_edit` does.
    """
    schedules = Schedule.objects.filter(agreement=agreement)
    if connection.vendor == "sqlite":
        schedules.update(edit_count=F("edit_count"))
    else:
        list(schedules.select_for_update().order_by("number").values_list("pk", flat=True))


def agreement_budget_lines_import(
    *, agreement: Agreement, filename: str, content: bytes, user=None, reason: str = "",
    expected_fingerprint: str | None = None,
) -> AgreementImportResult:
    """Import an agreement-wide budget file: every schedule's lines or none, one revision per schedule changed.

    Raises ImportRefused when the file has any error, AgreementImportConflict when
    `expected_fingerprint` (from the preview the user saw) no longer matches, and InOpenVariation
    when a schedule in the file has since joined an open variation; in each case nothing is written.
    Each schedule changed has its edit count raised, as a one-schedule import raises it.
    """
    reason = reason.strip() or f"Imported budget lines from {filename}"
    with transaction.atomic():
        _lock_schedules(agreement)
        preview = build_agreement_preview(agreement=agreement, filename=filename, content=content)
        if preview.errors:
            raise ImportRefused(preview)  # type: ignore[arg-type]
        if expected_fingerprint is not None and preview.fingerprint != expected_fingerprint:
            raise AgreementImportConflict(preview)
        records = []
        for one in preview.schedules:
            if not one.has_changes:
                continue
            claim_edit(Schedule, one.schedule.pk, None, None)
            guard_edit(one.schedule)
            one.schedule.refresh_from_db()
            records.append(preview_write(one, content=content, user=user, reason=reason))
        return AgreementImportResult(preview, records)
