"""What boards make due (registered in `GovernanceConfig.ready()`, listed by `partnerships.due`):
their terms of reference's review date and their meetings.

A board's items are for the partners party to an agreement it manages and the partners among
its members, as `governance.selectors.boards_visible_to` scopes boards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

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
    """Each board's partners: parties to the agreements it manages and its member organisations (1 query)."""
    audience: dict[int, set[int]] = defaultdict(set)
    parties = Party.objects.filter(agreement__boards__in=boards).order_by().values_list("agreement__boards", "partner_id")
    members = Member.objects.filter(terms__board__in=boards, organisation__isnull=False).order_by().values_list(
        "terms__board_id", "organisation_id")
    for board_id, partner_id in parties.union(members):
        audience[board_id].add(partner_id)
    return {key: frozenset(value) for key, value in audience.items()}


def _schedules(board_ids) -> list[tuple[MeetingSchedule, dict[date, date | None]]]:
    """Each board's meeting schedule with its single meetings moved or cancelled (1 query)."""
    found: dict[int, tuple[MeetingSchedule, dict[date, date | None]]] = {}
    rows = (MeetingSchedule.objects.filter(board_id__in=board_ids).order_by("board__name", "pk")
            .values_list("pk", "board_id", "board__name", "first_meeting", "every_months",
                         "changes__scheduled_for", "changes__moved_to"))
    for pk, board_id, name, first, every, planned, moved in rows:
        if pk not in found:
            schedule = MeetingSchedule(pk=pk, board_id=board_id, first_meeting=first, every_months=every)
            schedule.board_name = name
            found[pk] = (schedule, {})
        if planned is not None:
            found[pk][1][planned] = moved
    return list(found.values())


def board_items(partner_ids: set[int] | None, *, today: date, until: date, shared: dict) -> list[DueItem]:
    """Terms reviews (overdue ones included) and meetings from today to `until`, for the partners' boards (4 queries)."""
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
            link=("terms", (board.pk,)), audience=audience.get(board.pk, frozenset()),
            board_id=board.pk, board_name=board.name,
        ))
    for schedule, changes in _schedules(board_ids):
        board_id, name = schedule.board_id, schedule.board_name
        link, who = ("board_meetings", (board_id,)), audience.get(board_id, frozenset())
        for day in meeting_dates(schedule, changes, start=today, until=until):
            items.append(DueItem(
                MEETING.code, f"board-{board_id}-meeting", day, f"{name} meets", link=link, audience=who,
                board_id=board_id, board_name=name,
            ))
    return items
