"""Reads for boards and terms of reference."""

from __future__ import annotations

from datetime import date, timedelta

from governance.models import TermsOfReference
from partnerships.access import boards_visible_to

REVIEW_WARNING_DAYS = 90


def reviews_due_for(user, today: date | None = None) -> list[TermsOfReference]:
    """Terms of reference of the user's boards whose review is overdue or due within 90 days."""
    today = today or date.today()
    return list(
        TermsOfReference.objects.filter(
            board__in=boards_visible_to(user), review_due__isnull=False,
            review_due__lte=today + timedelta(days=REVIEW_WARNING_DAYS),
        ).select_related("board").order_by("review_due")
    )
