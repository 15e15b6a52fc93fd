"""python manage.py export_pdf REFERENCE [--schedule N] [--version N | --as-of YYYY-MM-DD] --output FILE"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from agreements.pdf import agreement_pack_pdf, schedule_pdf
from documents.pdf import PrintError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date: use YYYY-MM-DD, such as 2019-01-01.") from None


class Command(BaseCommand):
    help = (
        "Write a schedule's PDF (with --schedule) or the whole agreement pack to a file: now, as agreed in "
        "--version N (schedules only), or as it stood at the end of --as-of YYYY-MM-DD."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version here is the schedule's agreed version: it replaces Django's --version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The agreement's reference, such as HARINGEY-S75-2017")
        parser.add_argument("--schedule", type=int, help="The schedule number; omit for the whole agreement pack")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--version", type=int, help="An agreed version number of the schedule")
        group.add_argument("--as-of", dest="as_of", help="Print the state at the end of this date (YYYY-MM-DD)")
        parser.add_argument("--output", required=True, help="The PDF file to write; '-' writes to standard output")

    def handle(self, *args, reference: str, schedule: int | None, version: int | None, as_of: str | None,
               output: str, **options):
        agreement = Agreement.objects.filter(reference=reference).first()
        if agreement is None:
            known = ", ".join(Agreement.objects.values_list("reference", flat=True)[:20]) or "none"
            raise CommandError(f"No agreement has the reference {reference!r}. Known references: {known}.")
        day = _date(as_of) if as_of else None
        try:
            if schedule is None:
                if version is not None:
                    raise CommandError("--version needs --schedule: the pack prints now or --as-of a date.")
                pdf = agreement_pack_pdf(agreement, as_of=day)
            else:
                found = agreement.schedules.filter(number=schedule).first()
                if found is None:
                    numbers = ", ".join(str(n) for n in agreement.schedules.values_list("number", flat=True)) or "none"
                    raise CommandError(
                        f"Agreement {reference} has no Schedule {schedule}. Its schedules: {numbers}."
                    )
                pdf = schedule_pdf(found, version=version, as_of=day)
        except PrintError as error:
            raise CommandError(str(error)) from None
        if output == "-":
            self.stdout.buffer.write(pdf.content) if hasattr(self.stdout, "buffer") else None
            return
        path = Path(output)
        if path.is_dir():
            path = path / pdf.filename
        path.write_bytes(pdf.content)
        self.stdout.write(f"Wrote {path} ({len(pdf.content):,} bytes): {pdf.title}")
