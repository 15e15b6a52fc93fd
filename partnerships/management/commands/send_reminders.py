"""Send today's reminder emails and, on Mondays, the weekly digests. Meant for cron, once a day:

    15 7 * * *  cd /srv/s75 && .venv/bin/python manage.py send_reminders

Safe to run more than once a day: what was sent is recorded and never sent again.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerships.reminders import send_reminders


class Command(BaseCommand):
    help = "Email each user's reminders due today and, on Mondays, their weekly digest (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), to catch up or test")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date: use YYYY-MM-DD, such as 2026-12-07.") from None
        summary = send_reminders(today=today)
        self.stdout.write(
            f"{today:%-d %B %Y}: {summary.digests} digest(s) and {summary.reminders} reminder(s) sent "
            f"to {summary.users} user(s) with an email address."
        )
