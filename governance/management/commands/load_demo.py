"""python manage.py load_demo: the demo agreements, boards, terms of reference and sign-ins.

It lives in governance, the top of the stack, because it loads every app's part of the demo:
agreements' (partners, agreements, sign-ins), then governance's (boards and their terms).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.demo import DEMO_PASSWORD
from governance.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo data in fixtures/ (Haringey agreement with Schedules 1-6, the Cambridgeshire board "
        "and its terms of reference, demo sign-ins). Safe to run twice: what exists is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load even when DEBUG is off (demo data is never loaded in production).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like production: demo data is never loaded in production. "
                "Set DEBUG=true, or pass --force if this really is a demo or test database."
            )
        summary = load_demo_data()
        for message in summary.messages:
            self.stdout.write(message)
        created = ", ".join(f"{count} {kind}(s)" for kind, count in sorted(summary.created.items())) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: created {created}."))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, role in summary.sign_ins:
            self.stdout.write(f"  {username:<30} {role}")
