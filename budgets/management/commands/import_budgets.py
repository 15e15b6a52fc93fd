"""python manage.py import_budgets FILE --agreement REF [--schedule N] [--year 2018/19] [--budget-type aligned] [--dry-run]

Without --schedule the file is the agreement-wide layout: a "Schedule" column, then budget lines.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.budget_values import CellError, parse_financial_year
from agreements.models import Agreement, Schedule
from agreements.services.variations import InOpenVariation
from budgets.importing import ImportConflict, ImportRefused, budget_lines_import, build_preview
from budgets.importing.agreement import AgreementPreview, agreement_budget_lines_import, build_agreement_preview
from budgets.importing.parsing import parse_budget_type
from budgets.importing.preview import ImportPreview


class Command(BaseCommand):
    help = ("Import a budget spreadsheet (.xlsx or .csv, budget-lines or schedule-table layout) into a schedule, "
            "or, without --schedule, an agreement-wide file whose Schedule column says each line's schedule. "
            "Prints the preview; writes nothing if there is any error.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agreement", required=True, help="The agreement's reference")
        parser.add_argument("--schedule", type=int,
                            help="The schedule's number; leave it out for a file with a Schedule column")
        parser.add_argument("--year", help="Financial year of a schedule-table file, such as 2018/19")
        parser.add_argument("--budget-type", choices=["pooled", "aligned"], help="Budget type of a schedule table")
        parser.add_argument("--reason", default="", help="Why (recorded in the schedule's history)")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview and write nothing")

    def _print_preview(self, preview: ImportPreview) -> None:
        self.stdout.write(preview.summary())
        for change in preview.changed:
            parsed = change.parsed
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in change.changes)
            self.stdout.write(f"  changed, row {parsed.row}: {parsed.service} "
                              f"({preview.partner_names.get(parsed.partner_id)}): {changes}")
        for error in preview.errors:
            self.stderr.write(f"  {error}" + (f" [value: {error.value}]" if error.value else ""))

    def _print_agreement_preview(self, preview: AgreementPreview) -> None:
        self.stdout.write(preview.summary())
        for one in preview.schedules:
            self.stdout.write(f"Schedule {one.schedule.number}: {len(one.new)} new, {len(one.changed)} changed, "
                              f"{one.unchanged_count} unchanged")
        for error in preview.errors:
            self.stderr.write(f"  {error}" + (f" [value: {error.value}]" if error.value else ""))

    def _agreement_import(self, *, file: Path, agreement: str, year, budget_type, reason, dry_run) -> None:
        if year or budget_type:
            raise CommandError("--year and --budget-type are for a schedule table: give --schedule too.")
        try:
            target = Agreement.objects.get(reference=agreement)
        except Agreement.DoesNotExist as error:
            raise CommandError(f"There is no agreement {agreement}.") from error
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        arguments = {"agreement": target, "filename": file.name, "content": content}
        if dry_run:
            preview = build_agreement_preview(**arguments)
            self._print_agreement_preview(preview)
            if preview.errors:
                raise CommandError(f"{len(preview.errors)} error(s); nothing was written.")
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            result = agreement_budget_lines_import(**arguments, reason=reason)
        except ImportRefused as refused:
            self._print_agreement_preview(refused.preview)  # type: ignore[arg-type]
            raise CommandError(f"{len(refused.errors)} error(s); nothing was written.") from refused
        except ImportConflict as conflict:
            raise CommandError(str(conflict)) from conflict
        except InOpenVariation as held:
            raise CommandError(held.message) from held
        self._print_agreement_preview(result.preview)
        self.stdout.write(self.style.SUCCESS(result.message))

    def handle(self, *args, file: Path, agreement: str, schedule: int | None, year, budget_type, reason, dry_run,
               **opts):
        if schedule is None:
            self._agreement_import(file=file, agreement=agreement, year=year, budget_type=budget_type, reason=reason,
                                   dry_run=dry_run)
            return
        try:
            target = Schedule.objects.select_related("agreement").get(agreement__reference=agreement, number=schedule)
        except Schedule.DoesNotExist as error:
            raise CommandError(f"Agreement {agreement} has no schedule {schedule}.") from error
        try:
            financial_year = parse_financial_year(year) if year else None
            kind = parse_budget_type(budget_type) if budget_type else ""
        except CellError as error:
            raise CommandError(str(error)) from error
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        arguments = {"schedule": target, "filename": file.name, "content": content,
                     "financial_year": financial_year, "budget_type": kind}
        if dry_run:
            preview = build_preview(**arguments)
            self._print_preview(preview)
            if preview.errors:
                raise CommandError(f"{len(preview.errors)} error(s); nothing was written.")
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            result = budget_lines_import(**arguments, reason=reason)
        except ImportRefused as refused:
            self._print_preview(refused.preview)
            raise CommandError(f"{len(refused.errors)} error(s); nothing was written.") from refused
        except ImportConflict as conflict:
            raise CommandError(str(conflict)) from conflict
        except InOpenVariation as held:
            raise CommandError(held.message) from held
        self._print_preview(result.preview)
        self.stdout.write(self.style.SUCCESS(result.message))
