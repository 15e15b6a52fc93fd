"""What boards make due (registered in `GovernanceConfig.ready()`, listed by `partnerships.due`):
their terms of reference's review date and their meetings.

A board's items are for the partners party to an agreement it manages and the partners among
its members, as `governance.selectors.boards_visible_to` scopes boards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.urls import reverse

from agreements.models import Party
from governance.models import Board, MeetingSchedule, Member, TermsOfReference
from partnerships.due import DueItem, DueKind
from partnerships.working_days import add_months

TERMS_REVIEW = DueKind("terms_review", "Terms of reference review", remind_days=30)
MEETING = DueKind("board_meeting", "Board meeting", remind_days=7)
KINDS = [TERMS_REVIEW, MEETING]


def meeting_dates(schedule: MeetingSchedule, changes: dict[date, date | None], *, start: date, until: date) -> list[date]:
    """The board's meetings from `start` to `until`: the pattern, with single meetings moved or cancelled."""
    last = max([until, *changes])  # a later planned meeting can only come into range by being moved
    dates = []
    index = 0
    while (planned := add_months(schedule.first_meeting, index * schedule.every_months)) <= last:
        index += 1
        actual = changes[planned] if planned in changes else planned
        if actual is not None and start <= actual <= until:
            dates.append(actual)
    return sorted(dates)


def _audiences(boards) -> dict[int, frozenset[int]]:
    audience: dict[int, set[int]] = defaultdict(set)
    parties = Party.objects.filter(agreement__boards__in=boards).values_list("agreement__boards", "partner_id")
    members = Member.objects.filter(terms__board__in=boards, organisation__isnull=False).values_list(
        "terms__board_id", "organisation_id")
    for board_id, partner_id in [*parties, *members]:
        audience[board_id].add(partner_id)
    return {key: frozenset(value) for key, value in audience.items()}


def board_items(partner_ids: set[int] | None, *, today: date, until: date) -> list[DueItem]:
    """Terms reviews (overdue ones included) and meetings from today to `until`, for the partners' boards (5 queries)."""
    boards = Board.objects.all()
    if partner_ids is not None:
        boards = boards.filter(
            Q(agreements__parties__partner_id__in=partner_ids) | Q(terms__members__organisation_id__in=partner_ids)
        ).distinct()
    board_ids = set(boards.values_list("pk", flat=True))
    if not board_ids:
        return []
    audience = _audiences(board_ids)
    items: list[DueItem] = []
    for terms in TermsOfReference.objects.filter(board_id__in=board_ids, review_due__lte=until).select_related("board"):
        board = terms.board
        items.append(DueItem(
            TERMS_REVIEW.code, f"terms-{terms.pk}-review", terms.review_due, f"Review the terms of reference of {board.name}",
            url=reverse("terms", args=[board.pk]), audience=audience.get(board.pk, frozenset()),
            board_id=board.pk, board_name=board.name,
        ))
    schedules = MeetingSchedule.objects.filter(board_id__in=board_ids).select_related("board").prefetch_related("changes")
    for schedule in schedules:
        board = schedule.board
        changes = {change.scheduled_for: change.moved_to for change in schedule.changes.all()}
        url, who = reverse("board_meetings", args=[board.pk]), audience.get(board.pk, frozenset())
        for day in meeting_dates(schedule, changes, start=today, until=until):
            items.append(DueItem(
                MEETING.code, f"board-{board.pk}-meeting", day, f"{board.name} meets", url=url, audience=who,
                board_id=board.pk, board_name=board.name,
            ))
    return items
