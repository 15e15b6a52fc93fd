"""Download a schedule, an agreement pack or a board's terms of reference as a PDF.

Anyone who may read the agreement (or board) may download it; anyone else gets 404. A schedule
or terms PDF may ask for ``?version=N`` or ``?as_of=YYYY-MM-DD``; the pack for ``?as_of=``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from agreements.pdf import Pdf, PrintError, agreement_pack_pdf, schedule_pdf, terms_pdf
from partnerships.access import agreement_for, board_for, schedule_for


class BadQuery(Exception):
    pass


def _version(request) -> int | None:
    raw = request.GET.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadQuery(f"“{raw}” is not a version number. Use a whole number such as ?version=1.")
    return int(raw)


def _as_of(request) -> date | None:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(f"“{raw}” is not a date. Use the form YYYY-MM-DD, such as ?as_of=2019-01-01.") from None


def _pdf_response(pdf: Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _unavailable(request, message: str, status: int, back_url: str = "", back_text: str = "") -> HttpResponse:
    return render(
        request, "pdf/unavailable.html",
        {"message": message, "back_url": back_url, "back_text": back_text}, status=status,
    )


@login_required
def schedule(request, reference: str, number: int):
    found = schedule_for(request.user, reference, number)
    back = reverse("schedule", args=[reference, number])
    try:
        version, as_of = _version(request), _as_of(request)
        if version is not None and as_of is not None:
            raise BadQuery("Ask for a version or a date, not both.")
        return _pdf_response(schedule_pdf(found, version=version, as_of=as_of))
    except BadQuery as error:
        return _unavailable(request, str(error), 400, back, f"Back to Schedule {number}")
    except PrintError as error:
        return _unavailable(request, str(error), 404, back, f"Back to Schedule {number}")


@login_required
def agreement_pack(request, reference: str):
    agreement = agreement_for(request.user, reference)
    back = reverse("agreement", args=[reference])
    try:
        if request.GET.get("version"):
            raise BadQuery("The agreement pack is printed now or as it stood on a date (?as_of=YYYY-MM-DD).")
        return _pdf_response(agreement_pack_pdf(agreement, as_of=_as_of(request)))
    except BadQuery as error:
        return _unavailable(request, str(error), 400, back, f"Back to {reference}")
    except PrintError as error:
        return _unavailable(request, str(error), 404, back, f"Back to {reference}")


@login_required
def board_terms(request, pk: int):
    board = board_for(request.user, pk)
    try:
        version, as_of = _version(request), _as_of(request)
        if version is not None and as_of is not None:
            raise BadQuery("Ask for a version or a date, not both.")
        return _pdf_response(terms_pdf(board, version=version, as_of=as_of))
    except BadQuery as error:
        return _unavailable(request, str(error), 400)
    except PrintError as error:
        return _unavailable(request, str(error), 404)
