"""Reads for boards and terms of reference, starting from the boards the user may see.

A user sees the boards managing an agreement their partner is party to, or having their partner
as a member; any other board answers 404 so its existence is not revealed (`docs/security.md`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from governance.models import Board, TermsOfReference
from partnerships.access import user_partner

REVIEW_WARNING_DAYS = 90


def boards_visible_to(user) -> QuerySet[Board]:
    """The boards the user may see (all of them for a superuser, none signed out)."""
    if not user.is_authenticated:
        return Board.objects.none()
    if user.is_superuser:
        return Board.objects.all()
    partner = user_partner(user)
    if partner is None:
        return Board.objects.none()
    return Board.objects.filter(
        Q(agreements__parties__partner=partner) | Q(terms__members__organisation=partner)
    ).distinct()


def board_for(user, pk: int) -> Board:
    """The board if the user may see it; 404 otherwise, the same as one that does not exist."""
    try:
        return boards_visible_to(user).get(pk=pk)
    except Board.DoesNotExist:
        raise Http404("No board found.") from None


def board_choices(user, *, keep: list[int | None] = (), exclude: int | None = None) -> QuerySet[Board]:
    """Boards a form may offer this user: those they see, plus any already chosen (`keep`)."""
    chosen = [pk for pk in keep if pk is not None]
    boards = Board.objects.filter(Q(pk__in=boards_visible_to(user).values("pk")) | Q(pk__in=chosen))
    if exclude is not None:
        boards = boards.exclude(pk=exclude)
    return boards.order_by("name")


def reviews_due_for(user, today: date | None = None) -> list[TermsOfReference]:
    """Terms of reference of the user's boards whose review is overdue or due within 90 days."""
    today = today or date.today()
    return list(
        TermsOfReference.objects.filter(
            board__in=boards_visible_to(user), review_due__isnull=False,
            review_due__lte=today + timedelta(days=REVIEW_WARNING_DAYS),
        ).select_related("board").order_by("review_due")
    )
