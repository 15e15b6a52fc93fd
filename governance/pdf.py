"""Print a board's terms of reference as a tagged PDF/UA file, alone or as annexes of the agreement pack.

The renderer is the kernel's (`documents.pdf`); the templates are templates/governance/pdf/.
`terms_annexes` is registered with `agreements.pdf.register_annex` in GovernanceConfig.ready(),
so the pack of an agreement prints the terms of the boards that manage it without agreements
importing governance.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string

from agreements.models import Agreement
from agreements.pdf import Annexes, AnnexSection
from documents.pdf import (
    DRAFT_WATERMARK,
    Pdf,
    PrintError,
    PrintState,
    choose_state,
    css_string,
    file_name_part,
    heading_tags,
    render_pdf,
)
from governance.models import Board, TermsOfReference
from governance.presenters import present_terms
from governance.snapshots import terms_snapshot_by_id

TERMS_PARTIAL = "governance/pdf/_terms.html"


def _terms_state(terms: TermsOfReference, *, version: int | None, as_of: date | None, versions=None) -> PrintState:
    return choose_state(
        terms, live=None, live_loader=lambda: terms_snapshot_by_id(terms.pk), versions=versions,
        version=version, as_of=as_of, what=f"The terms of reference of {terms.board.name}",
    )


def _terms_words(state: PrintState) -> list[str]:
    # Terms of reference are approved rather than agreed.
    return [word.replace("agreed", "approved") for word in state.status_words]


def _terms_section(state: PrintState, *, top: int, anchor: str = "terms") -> dict[str, Any]:
    terms = present_terms(state.snapshot)
    footer = " · ".join([terms["board_short_name"] or terms["board_name"], "Terms of reference", *_terms_words(state)])
    return {
        "terms": terms, "state": state, "footer": footer, "footer_css": css_string(footer),
        "draft": state.draft, "anchor": anchor, **heading_tags(top),
    }


def terms_pdf(board: Board, *, version: int | None = None, as_of: date | None = None) -> Pdf:
    """A board's terms of reference now, as approved in version N, or as they stood on a date."""
    try:
        terms = board.terms
    except TermsOfReference.DoesNotExist:
        raise PrintError(f"{board.name} has no terms of reference yet.") from None
    state = _terms_state(terms, version=version, as_of=as_of)
    section = _terms_section(state, top=1)
    agreements = list(board.agreements.prefetch_related("parties__partner"))
    authors: list[str] = []
    for agreement in agreements:
        for party in agreement.parties.all():
            if party.partner.name not in authors:
                authors.append(party.partner.name)
    title = f"{section['terms']['title']} — {board.name}"
    html = render_to_string("governance/pdf/terms.html", {
        **section,
        "section": section,
        "document_title": title,
        "authors": authors or [board.name],
        "header_css": css_string(f"{board.name}\n{' · '.join(authors)}" if authors else board.name),
        "watermark": DRAFT_WATERMARK if state.draft else "",
        "subject": f"Terms of reference of {board.name}",
    })
    slug = file_name_part(board.short_name or f"board-{board.pk}")
    return Pdf(render_pdf(html), f"{slug}-terms-of-reference-{state.file_suffix}.pdf", title)


def terms_annexes(agreement: Agreement, *, as_of: date | None) -> Annexes:
    """The terms of reference of the boards that manage the agreement, as the pack's annexes:
    as they stand now, or at the end of ``as_of``; a board with no terms then has no annex."""
    sections = []
    boards = Board.objects.filter(agreements=agreement).select_related("terms").order_by("name")
    for board in boards:
        terms = getattr(board, "terms", None)
        if terms is None:
            continue
        try:
            state = _terms_state(terms, version=None, as_of=as_of)
        except PrintError:
            continue  # the terms did not exist yet on that date
        part = _terms_section(state, top=2)
        sections.append(AnnexSection(template=TERMS_PARTIAL, title=part["terms"]["title"], part=part))
    if len(sections) == 1:
        description = "the terms of reference of the board that manages it in an annex"
    else:
        description = "the terms of reference of the boards that manage it in annexes"
    return Annexes(description=description, sections=sections)
