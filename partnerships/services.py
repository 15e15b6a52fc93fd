"""Writes to a user's own settings."""

from __future__ import annotations

from django.db import transaction

from partnerships.models import UserSettings, new_calendar_token


def user_settings_for(user) -> UserSettings:
    """The user's settings, created with the defaults (digest on, a new calendar secret) the first time."""
    choice, _ = UserSettings.objects.get_or_create(user=user)
    return choice


@transaction.atomic
def user_settings_update(*, user, weekly_digest: bool, item_reminders: bool) -> UserSettings:
    choice = user_settings_for(user)
    choice.weekly_digest, choice.item_reminders = weekly_digest, item_reminders
    choice.full_clean()
    choice.save(update_fields=["weekly_digest", "item_reminders"])
    return choice


@transaction.atomic
def calendar_token_regenerate(*, user) -> UserSettings:
    """A new secret for the user's calendar feed; the old address stops working at once."""
    choice = user_settings_for(user)
    choice.calendar_token = new_calendar_token()
    choice.save(update_fields=["calendar_token"])
    return choice
