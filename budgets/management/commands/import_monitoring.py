"""python manage.py import_monitoring FILE --agreement REF --schedule N [--year 2018/19] [--period P6] [--dry-run]

The same import as the monitoring page's (upload → preview → confirm): year and period come from
the file when it has them; any error names row, column and value and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.budget_values import CellError, parse_financial_year
from agreements.models import Schedule
from budgets.monitoring.importing import ReturnImportRefused, ReturnPreview, build_return_preview, return_import
from budgets.monitoring.values import parse_period


class Command(BaseCommand):
    help = "Import a period's monitoring return (.xlsx or .csv) into a schedule; writes nothing if there is any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agreement", required=True, help="The agreement's reference")
        parser.add_argument("--schedule", required=True, type=int, help="The schedule's number")
        parser.add_argument("--year", help="Financial year, such as 2018/19, when the file does not say")
        parser.add_argument("--period", help="Period, P1 (April) to P12 (March), when the file does not say")
        parser.add_argument("--reason", default="", help="Why (recorded in the return's history)")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview and write nothing")

    def _print(self, preview: ReturnPreview) -> None:
        self.stdout.write(f"{preview.label + ': ' if preview.label else ''}{preview.summary()}")
        for change in preview.changed:
            parsed = change.parsed
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in change.changes)
            self.stdout.write(f"  changed, row {parsed.row}: {parsed.line.service} ({parsed.line.partner}): {changes}")
        for warning in preview.warnings:
            self.stdout.write(f"  warning: {warning}")
        for error in preview.errors:
            self.stderr.write(f"  {error}" + (f" [value: {error.value}]" if error.value else ""))

    def handle(self, *args, file: Path, agreement: str, schedule: int, year, period, reason, dry_run, **options):
        try:
            target = Schedule.objects.select_related("agreement").get(agreement__reference=agreement, number=schedule)
        except Schedule.DoesNotExist as error:
            raise CommandError(f"Agreement {agreement} has no schedule {schedule}.") from error
        try:
            arguments = {"financial_year": parse_financial_year(year) if year else None,
                         "period": parse_period(period) if period else None}
        except CellError as error:
            raise CommandError(str(error)) from error
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        arguments |= {"schedule": target, "filename": file.name, "content": content}
        if dry_run:
            preview = build_return_preview(**arguments)
            self._print(preview)
            if preview.errors:
                raise CommandError(f"{len(preview.errors)} error(s); nothing was written.")
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            preview, _saved = return_import(**arguments, reason=reason)
        except ReturnImportRefused as refused:
            self._print(refused.preview)
            raise CommandError(f"{len(refused.preview.errors)} error(s); nothing was written.") from refused
        self._print(preview)
        self.stdout.write(self.style.SUCCESS(f"Imported {preview.label}: {len(preview.new)} new, "
                                             f"{len(preview.changed)} changed, {preview.unchanged_count} unchanged."))
