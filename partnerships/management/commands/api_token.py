"""Print a new personal API token for a user, for scripted set-ups:

    manage.py api_token USERNAME --name NAME [--expires 2027-03-31]
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnerships.tokens import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for")
        parser.add_argument("--expires", type=date.fromisoformat, help="Last day it works, as YYYY-MM-DD")

    def handle(self, *args, username, name, expires, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user “{username}”.") from None
        try:
            _token, key = api_token_create(user=user, name=name, expires_on=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
