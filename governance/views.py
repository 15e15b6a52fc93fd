"""Pages for boards and their terms of reference: thin views over access, presenters and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from agreements.selectors import agreements_visible_to, review_flag
from documents.editing import NO_CHANGES, EditPage, handle_edit_post, read_lists
from documents.forms import DateChoice
from documents.registry import VersionedDocument
from documents.revisions import agreed_state, latest_revision
from documents.services import EditConflict, NothingChanged
from documents.views import pdf_download
from governance import services
from governance.forms import BoardForm, TermsEditForm, terms_item_lists
from governance.models import Board, TermsOfReference
from governance.pdf import terms_pdf
from governance.presenters import BOARD, TERMS, present_terms
from governance.sections import terms_change_links
from governance.selectors import board_for, boards_visible_to
from governance.services import board_update, terms_update
from governance.snapshots import terms_queryset, terms_snapshot
from partnerships.access import Capability, can, require


def _terms_of(board: Board) -> TermsOfReference | None:
    return TermsOfReference.objects.filter(board=board).first()


def terms_or_404(board: Board) -> TermsOfReference:
    terms = _terms_of(board)
    if terms is None:
        raise Http404("This board has no terms of reference yet.")
    return terms


def terms_pdf_url(board: Board) -> str:
    """The PDF download of the board's terms, when the PDF pages are installed."""
    try:
        return reverse("pdf:terms", args=[board.pk])
    except NoReverseMatch:
        return ""


@login_required
def board_list(request):
    boards = list(boards_visible_to(request.user).select_related("reports_to").prefetch_related("agreements"))
    terms_by_board = {t.board_id: t for t in TermsOfReference.objects.filter(board__in=[b.pk for b in boards])}
    visible_agreements = set(agreements_visible_to(request.user).values_list("pk", flat=True))
    rows = []
    for board in boards:
        terms = terms_by_board.get(board.pk)
        rows.append({
            "board": board,
            "agreements": [a for a in board.agreements.all() if a.pk in visible_agreements],
            "terms": terms,
            "review_flag": review_flag(terms.review_due) if terms else "",
        })
    return render(request, "governance/board_list.html", {"rows": rows})


def _accountability_chain(request, board: Board, terms: TermsOfReference | None) -> dict[str, Any]:
    """Who the board reports to and who reports to it, linked where the user may open the board."""
    visible = set(boards_visible_to(request.user).values_list("pk", flat=True))

    def entry(body: Board | None, name: str = "", frequency: str = "") -> dict[str, Any]:
        return {
            "name": body.name if body else name,
            "url": reverse("board", args=[body.pk]) if body and body.pk in visible else "",
            "frequency": frequency,
        }

    reports_to = [entry(board.reports_to)] if board.reports_to else []
    if terms is not None:
        known = {board.reports_to_id}
        for line in terms.accountability_lines.select_related("reports_to"):
            if line.reports_to_id in known and line.reports_to_id is not None:
                reports_to[0]["frequency"] = reports_to[0]["frequency"] or line.frequency
                continue
            if line.reports_to_id:
                known.add(line.reports_to_id)
            if line.reports_to or line.reports_to_name:
                reports_to.append(entry(line.reports_to, line.reports_to_name, line.frequency))
    reporting_ids = set(board.reporting_boards.values_list("pk", flat=True)) | set(
        Board.objects.filter(terms__accountability_lines__reports_to=board).values_list("pk", flat=True)
    )
    reporting = [
        entry(body) for body in Board.objects.filter(pk__in=reporting_ids & visible).exclude(pk=board.pk).order_by("name")
    ]
    return {"reports_to": reports_to, "reporting_boards": reporting}


@login_required
def board_detail(request, pk: int):
    board = board_for(request.user, pk)
    terms = _terms_of(board)
    version, draft = agreed_state(terms) if terms else (None, False)
    return render(request, "governance/board_detail.html", {
        "board": board, "terms": terms, "version": version, "draft": draft,
        "review_flag": review_flag(terms.review_due) if terms else "",
        "agreements": board.agreements.filter(pk__in=agreements_visible_to(request.user).values("pk")).order_by("reference"),
        **_accountability_chain(request, board, terms),
        "can_edit": can(request.user, Capability.EDIT_GOVERNANCE),
        "pdf_url": terms_pdf_url(board) if terms else "",
    })


@login_required
def board_edit(request, pk: int):
    board = board_for(request.user, pk)
    require(request.user, Capability.EDIT_GOVERNANCE)
    visible_agreements = agreements_visible_to(request.user)
    form = BoardForm(request.POST or None, instance=board, visible_agreements=visible_agreements, user=request.user,
                     initial={"edit_count": board.edit_count})
    errors: list[dict[str, str]] = []
    notice = ""
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hidden = list(board.agreements.exclude(pk__in=visible_agreements.values("pk")))  # kept as they are
        try:
            board_update(
                board=board, name=data["name"], short_name=data["short_name"], reports_to=data["reports_to"],
                description=data["description"], agreements=[*data["agreements"], *hidden],
                user=request.user, reason=data["reason"], expected_edit_count=data.get("edit_count"),
            )
        except NothingChanged:
            notice = NO_CHANGES
        except EditConflict as error:
            conflict = error
            errors.append({"anchor": "conflict", "message": str(error)})
        except ValidationError as error:
            problems_by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for name, problems in problems_by_field.items():
                if name in form.fields:
                    for problem in problems:
                        form.add_error(name, problem)
                else:
                    errors.extend({"anchor": "", "message": problem} for problem in problems)
        else:
            messages.success(request, f"{board.name} saved.")
            return redirect("board", pk=board.pk)
    board.refresh_from_db()
    status = 200 if request.method != "POST" or notice else 409 if conflict else 400
    return render(request, "governance/board_edit.html", {
        "board": board, "form": form, "extra_errors": errors, "notice": notice, "conflict": conflict,
    }, status=status)


@login_required
def terms_detail(request, pk: int):
    board = board_for(request.user, pk)
    terms = terms_or_404(board)
    snapshot = terms_snapshot(terms_queryset().get(pk=terms.pk))
    version, draft = agreed_state(terms)
    doc = present_terms(snapshot)
    can_edit = can(request.user, Capability.EDIT_GOVERNANCE)
    return render(request, "governance/terms_detail.html", {
        "board": board, "terms": terms, "doc": doc, "doc_ref": terms_document(terms),
        "change_links": terms_change_links(board, doc) if can_edit else None,
        "version": version, "draft": draft, "latest": latest_revision(terms),
        "review_flag": review_flag(terms.review_due),
        "can_edit": can_edit,
        "can_agree": can(request.user, Capability.APPROVE_TERMS),
        "pdf_url": terms_pdf_url(board),
    })


def terms_form_document(form, lists: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"fields": {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}, **lists}


def terms_lists(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    lists = {name: [dict(item) for item in snapshot[name]] for name in (
        "duties", "accountability_lines", "financial_items", "members", "other_sections", "remit_items",
    )}
    for line in lists["accountability_lines"]:
        line["reports_to_id"] = str(line["reports_to_id"] or "")
    for member in lists["members"]:
        member["organisation_id"] = str(member["organisation_id"] or "")
    return lists


@login_required
def terms_edit(request, pk: int):
    board = board_for(request.user, pk)
    terms = terms_or_404(board)
    require(request.user, Capability.EDIT_GOVERNANCE)
    specs = terms_item_lists(board, request.user)
    context = {"board": board, "terms": terms, "latest": latest_revision(terms)}
    if request.method == "POST":
        form = TermsEditForm(request.POST, instance=terms)
        page = EditPage(request, form, specs, read_lists(request, specs), "governance/terms_edit.html", context)
        return handle_edit_post(
            page, to_document=terms_form_document,
            save=lambda document: terms_update(
                terms=terms, document=document, user=request.user, reason=form.cleaned_data["reason"],
                expected_edit_count=form.cleaned_data.get("edit_count"),
            ),
            success_url=reverse("terms", args=[board.pk]),
            success_message="Terms of reference saved. The change is in their history.",
        )
    snapshot = terms_snapshot(terms_queryset().get(pk=terms.pk))
    form = TermsEditForm(instance=terms, initial={"edit_count": terms.edit_count})
    return EditPage(request, form, specs, terms_lists(snapshot), "governance/terms_edit.html", context).render()


# ----------------------------------------------------------------------------- history (the kernel's pages)


def terms_document(terms: TermsOfReference) -> VersionedDocument:
    board = terms.board
    return VersionedDocument(
        type=TERMS, obj=terms, label="Terms of reference", title=f"{board.name}: terms of reference",
        url_prefix="terms", url_args=[board.pk],
        agree=lambda *, decision, user, expected_revision: services.terms_approve(
            terms=terms, decision=decision, user=user, expected_revision=expected_revision,
        ),
        restore=lambda *, revision, user, reason, expected_revision: services.terms_restore(
            terms=terms, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        breadcrumbs=[("My agreements", reverse("home")), (board.name, reverse("board", args=[board.pk]))],
    )


def load_terms_document(request, pk: int) -> VersionedDocument:
    """A board's terms on their history pages, if the user may see the board (404 otherwise)."""
    return terms_document(terms_or_404(board_for(request.user, pk)))


@login_required
def terms_pdf_download(request, pk: int):
    """A board's terms of reference as a PDF: now, ?version=N, or as they stood on a date."""
    board = board_for(request.user, pk)
    choice = DateChoice(
        "the terms of reference", reverse("pdf:terms", args=[pk]), reverse("board", args=[pk]),
        f"Back to {board.name}", stood="they stood",
    )
    return pdf_download(request, choice, lambda **when: terms_pdf(board, **when))


# ----------------------------------------------------------------------------- the board's own history


def board_document(board: Board) -> VersionedDocument:
    """A board on the kernel's history pages: never agreed, restorable by who may edit boards."""
    return VersionedDocument(
        type=BOARD, obj=board, label=board.name, title=board.name, url_prefix="board", url_args=[board.pk],
        restore=lambda *, revision, user, reason, expected_revision: services.board_restore(
            board=board, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        breadcrumbs=[("My agreements", reverse("home")), (board.name, reverse("board", args=[board.pk]))],
    )


def load_board_document(request, pk: int) -> VersionedDocument:
    """A board on its own history pages, if the user may see it (404 otherwise)."""
    return board_document(board_for(request.user, pk))
