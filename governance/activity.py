"""The terms of reference of the boards managing an agreement, in the agreement's activity page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agreements.activity import ActivityDocument
from agreements.models import Agreement
from governance.models import TermsOfReference
from governance.selectors import boards_visible_to


def agreement_terms(agreement: Agreement, user) -> list[ActivityDocument]:
    """The terms of each board managing `agreement` that `user` may see (registered in `GovernanceConfig.ready`)."""
    terms_type = ContentType.objects.get_for_model(TermsOfReference).pk
    found = TermsOfReference.objects.filter(
        board__in=boards_visible_to(user).filter(agreements=agreement).values("pk")
    ).select_related("board").order_by("board__name")
    return [
        ActivityDocument(
            f"terms-{terms.pk}", f"Terms of reference ({terms.board.short_name or terms.board.name})", terms_type,
            terms.pk, reverse("terms_history", args=[terms.board_id]),
        )
        for terms in found
    ]
