"""`manage.py send_reminders` against a real SMTP server: what arrives, for whom, and only once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import SentReminder
from partnerships.services import user_settings_update
from tests.due.smtp_server import smtp_server
from tests.factories import make_user


@pytest.fixture
def inbox(settings):
    with smtp_server() as (port, inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SITE_URL = "https://s75.example.gov.uk"
        yield inbox


def _run(day: str) -> str:
    out = StringIO()
    call_command("send_reminders", date=day, stdout=out)
    return out.getvalue()


def _parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_monday_digest_and_reminders_arrive_with_text_and_html_parts(world, inbox):
    output = _run("2026-12-07")
    assert "3 user(s)" in output
    mine = inbox.to("commissioner@riverside.example")
    subjects = sorted(m["Subject"] for m in mine)
    # the review is already overdue: it is in the digest, and reminders are only for dates still ahead
    assert subjects == ["What's due: 1 overdue, 0 in the next 30 days"]
    assert sorted(m["Subject"] for m in inbox.to("commissioner@hilltop.example")) == [
        "Reminder: Agreement review on 20 December 2026", "What's due: 0 overdue, 1 in the next 30 days"]
    digest = next(m for m in mine if m["Subject"].startswith("What's due"))
    text, html = _parts(digest)
    assert "30 November 2026: Agreement review: Review RIVER-S75: Riverside partnership" in text
    assert "https://s75.example.gov.uk/agreements/RIVER-S75/" in text
    assert '<a href="https://s75.example.gov.uk/agreements/RIVER-S75/">Review RIVER-S75: Riverside partnership</a>' in html
    assert "https://s75.example.gov.uk/account/" in text and 'lang="en-GB"' in html


def test_nothing_leaks_to_a_user_of_a_non_party_partner(world, inbox):
    _run("2026-12-07")
    outsider = inbox.to("commissioner@hilltop.example")
    assert outsider, "the outsider's own agreement is due for review"
    for message in outsider:
        text, html = _parts(message)
        for part in (message["Subject"], text, html):
            assert "RIVER" not in part and "Riverside" not in part
    for message in inbox.to("riverside.example"):
        assert "HILL" not in message.as_string() and "Hilltop" not in message.as_string()


def test_run_twice_in_a_day_sends_nothing_twice(world, inbox):
    _run("2026-12-07")
    first = len(inbox.messages)
    assert first == 4  # the outsider's review reminder and digest, the two Riverside users' digests
    assert "0 digest(s) and 0 reminder(s)" in _run("2026-12-07")
    assert len(inbox.messages) == first
    # the next day: no digest (not a Monday), and the reminders already sent are not repeated
    assert "0 digest(s) and 0 reminder(s)" in _run("2026-12-08")
    assert SentReminder.objects.filter(key__startswith="digest:").count() == 3


def test_a_reminder_comes_n_days_before_each_kind(world, inbox):
    _run("2027-01-13")  # a Wednesday: the board meets on the 21st, reminders for meetings start 7 days before
    meeting = [m for m in inbox.to("viewer@riverside.example") if "Board meeting" in m["Subject"]]
    assert [m["Subject"] for m in meeting] == []
    _run("2027-01-14")
    subjects = [m["Subject"] for m in inbox.to("viewer@riverside.example")]
    assert "Reminder: Board meeting on 21 January 2027" in subjects


def test_turning_the_digest_off_stops_it(world, inbox):
    user_settings_update(user=world.users["viewer"], weekly_digest=False, item_reminders=False)
    _run("2026-12-07")
    assert inbox.to("viewer@riverside.example") == []


def test_the_queries_do_not_grow_with_the_number_of_users(world, inbox):
    with CaptureQueriesContext(connection) as few:
        _run("2026-12-14")
    for n in range(10):
        make_user(f"extra-{n}", partner=world.council if n % 2 else world.outsider, email=f"extra{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        _run("2026-12-21")
    assert len(few) == len(many), ([q["sql"][:80] for q in few], [q["sql"][:80] for q in many])


def test_a_bad_date_is_named():
    with pytest.raises(CommandError, match="--date '7/12/2026' is not a date: use YYYY-MM-DD"):
        call_command("send_reminders", date="7/12/2026")
