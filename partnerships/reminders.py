"""The reminder emails `manage.py send_reminders` sends each day: a weekly digest per user of what
is overdue or due within 30 days, and a reminder N days before each item (N per kind).

Idempotent: every email sent is recorded (`SentReminder`, one row per user and digest week or
item), and what is recorded is never sent again, so running twice in a day sends nothing twice.
The items come from `partnerships.due` once for all users' partners, so the number of queries
does not grow with the number of users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from partnerships.due import SOON_DAYS, DueItem, band, due_items, due_kind, due_kinds, grouped
from partnerships.models import SentReminder

DIGEST_WEEKDAY = 0  # Monday


@dataclass
class ReminderSummary:
    digests: int = 0
    reminders: int = 0
    users: int = 0
    messages: list[str] = field(default_factory=list)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _digest_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"digest:{year}-W{week:02d}"


def _message(user, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "user": user, "site": settings.SITE_URL.rstrip("/"),
               "settings_url": _site("/account/"), "due_url": _site("/due/")}
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"partnerships/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
    )
    message.attach_alternative(render_to_string(f"partnerships/email/{template}.html", context), "text/html")
    return message


def _reminder_due(item: DueItem, today: date) -> bool:
    return item.due - timedelta(days=due_kind(item.kind).reminder_days) <= today <= item.due


def send_reminders(*, today: date, connection=None) -> ReminderSummary:
    """Send today's digests (on Mondays) and reminders that are not yet sent; record each one sent."""
    summary = ReminderSummary()
    users = list(
        get_user_model().objects.filter(is_active=True, profile__isnull=False).exclude(email="")
        .select_related("profile", "due_settings").order_by("pk")
    )
    summary.users = len(users)
    if not users:
        return summary
    reach = max([SOON_DAYS, *(kind.reminder_days for kind in due_kinds())])
    items = due_items({user.profile.partner_id for user in users}, today=today, until=today + timedelta(days=reach))
    sent = set(SentReminder.objects.filter(user__in=users, sent_at__date__gte=today - timedelta(days=400))
               .values_list("user_id", "key"))
    digest_key = _digest_key(today)
    outgoing: list[tuple[EmailMultiAlternatives, list[SentReminder]]] = []
    for user in users:
        choices = getattr(user, "due_settings", None)
        mine = [item for item in items if user.profile.partner_id in item.audience]
        if today.weekday() == DIGEST_WEEKDAY and (choices is None or choices.weekly_digest) \
                and (user.pk, digest_key) not in sent:
            current = [item for item in mine if band(item, today) != "later"]
            if current:
                overdue = [item for item in current if item.due < today]
                soon = [item for item in current if item.due >= today]
                outgoing.append((
                    _message(user, f"What's due: {len(overdue)} overdue, {len(soon)} in the next {SOON_DAYS} days", "digest",
                             {"overdue": overdue, "soon": soon, "today": today,
                              "overdue_rows": grouped(overdue), "soon_rows": grouped(soon)}),
                    [SentReminder(user=user, key=digest_key)],
                ))
                summary.digests += 1
        if choices is not None and not choices.item_reminders:
            continue
        fresh = [item for item in mine if _reminder_due(item, today) and (user.pk, f"reminder:{item.key}") not in sent]
        if fresh:
            subject = f"Reminder: {fresh[0].kind_label} on {fresh[0].due:%-d %B %Y}" if len(fresh) == 1 \
                else f"Reminder: {len(fresh)} dates coming up"
            outgoing.append((
                _message(user, subject, "reminder", {"items": fresh, "today": today}),
                [SentReminder(user=user, key=f"reminder:{item.key}") for item in fresh],
            ))
            summary.reminders += len(fresh)
    if outgoing:
        done: list[SentReminder] = []
        try:
            with connection or get_connection() as open_connection:
                for message, records in outgoing:
                    message.connection = open_connection
                    message.send()
                    done.extend(records)
        finally:  # what went out is recorded even if a later message failed, in one insert
            SentReminder.objects.bulk_create(done, ignore_conflicts=True)
    return summary
