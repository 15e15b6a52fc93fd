"""The terms of reference as a versioned document for the shared history pages (agreements.history_views)."""

from __future__ import annotations

from django.urls import reverse

from agreements.history_pages import VersionedDocument
from governance.models import TermsOfReference
from partnerships.access import Capability


def terms_document(terms: TermsOfReference) -> VersionedDocument:
    from governance.presenters import present_terms
    from governance.services import terms_approve, terms_restore

    board = terms.board
    return VersionedDocument(
        obj=terms, label="Terms of reference", title=f"{board.name}: terms of reference",
        url_prefix="terms", url_args=[board.pk],
        present=present_terms, body_template="governance/includes/terms_body.html",
        restore=lambda *, revision, user, reason, expected_revision: terms_restore(
            terms=terms, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        agree=lambda *, decision, user, expected_revision: terms_approve(
            terms=terms, decision=decision, user=user, expected_revision=expected_revision,
        ),
        edit_capability=Capability.EDIT_GOVERNANCE, agree_capability=Capability.APPROVE_TERMS,
        agreed_word="approved", agree_verb="approve", this_name="These terms of reference",
        breadcrumbs={"board": board, "board_url": reverse("board", args=[board.pk])},
    )
