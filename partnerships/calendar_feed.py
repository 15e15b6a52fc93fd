"""Due items as iCalendar (RFC 5545), written by the icalendar library: all-day events that
Outlook and Google Calendar can subscribe to, each with a UID stable across refreshes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from partnerships.due import DueItem

PRODID = "-//Section 75 agreements//What's due//EN-GB"


def due_calendar(items: Iterable[DueItem], *, name: str, absolute: Callable[[str], str]) -> bytes:
    """One VCALENDAR holding an all-day event per item; `absolute` makes a page's path a full URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = timezone.now()
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}@section75")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", f"{item.kind_label}: {item.title}")
        url = absolute(item.url)
        event.add("description", "\n".join(part for part in (item.detail, url) if part))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
