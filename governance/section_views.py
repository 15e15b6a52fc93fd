"""A board's terms of reference changed one part at a time (`documents.sections`), from the
"Change" links on the terms page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from documents.sections import SectionPage, edit_section, find_section
from governance.forms import TermsEditForm, terms_item_lists
from governance.sections import TERMS_SECTIONS
from governance.selectors import board_for
from governance.services import terms_update
from governance.snapshots import terms_queryset, terms_snapshot
from governance.views import terms_document, terms_form_document, terms_lists, terms_or_404
from partnerships.access import Capability, require


@login_required
def terms_section_edit(request, pk: int, section: str):
    board = board_for(request.user, pk)
    terms = terms_or_404(board)
    require(request.user, Capability.EDIT_GOVERNANCE)
    chosen = find_section(TERMS_SECTIONS, section)
    page = SectionPage(
        doc_ref=terms_document(terms), instance=terms, form_class=TermsEditForm,
        specs=terms_item_lists(board, request.user),
        current_lists=lambda: terms_lists(terms_snapshot(terms_queryset().get(pk=terms.pk))),
        to_document=terms_form_document,
        save=lambda form, document: terms_update(
            terms=terms, document=document, user=request.user, reason=form.cleaned_data["reason"],
            expected_edit_count=form.cleaned_data.get("edit_count"),
        ),
        document_url=reverse("terms", args=[board.pk]), edit_all_url=reverse("terms_edit", args=[board.pk]),
        context={"board": board, "terms": terms},
    )
    return edit_section(request, page, chosen)
