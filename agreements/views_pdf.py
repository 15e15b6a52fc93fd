"""Download a schedule, an agreement pack or a board's terms of reference as a PDF.

Anyone who may read the agreement (or board) may download it; anyone else gets 404. A schedule
or terms PDF may ask for ``?version=N`` or ``?as_of=YYYY-MM-DD``; the pack for ``?as_of=``.
The pages' "as it stood on a date" forms send a GOV.UK date input (``as_of-day``,
``as_of-month``, ``as_of-year``) to the same URL: a missing or impossible date, or a blank
``?as_of=``, gets the date page back with the error, never today's PDF in its place.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from agreements.pdf import agreement_pack_pdf, schedule_pdf
from documents.pdf import Pdf, PrintError
from governance.pdf import terms_pdf
from partnerships.access import agreement_for, board_for, schedule_for

DATE_PARTS = ("day", "month", "year")
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name}


class BadQuery(Exception):
    pass


@dataclass
class DateChoice:
    """What the date page is choosing a date for: "Download <subject> as <stood> on a date"."""

    subject: str
    action: str
    back_url: str = ""
    back_text: str = ""
    stood: str = "it stood"


class AsOfDateForm(forms.Form):
    """The GOV.UK date input (day, month, year) for "as it stood on", named as_of-day and so on."""

    day = forms.CharField(required=False)
    month = forms.CharField(required=False)
    year = forms.CharField(required=False)

    def __init__(self, *args, choice: DateChoice, **kwargs):
        super().__init__(*args, prefix="as_of", **kwargs)
        self.choice = choice
        self.error_parts: tuple[str, ...] = ()
        self.date: date | None = None

    def _fail(self, message: str, parts: tuple[str, ...] = DATE_PARTS) -> NoReturn:
        self.error_parts = parts
        raise forms.ValidationError(message)

    def clean(self):
        parts = {name: (self.cleaned_data.get(name) or "").strip() for name in DATE_PARTS}
        missing = tuple(name for name in DATE_PARTS if not parts[name])
        if len(missing) == len(DATE_PARTS):
            self._fail(f"Enter the date to download {self.choice.subject} as {self.choice.stood} on")
        if missing:
            self._fail(f"The date must include a {' and a '.join(missing)}", missing)
        month = MONTHS.get(parts["month"].lower(), parts["month"])
        if not (parts["day"].isdigit() and str(month).isdigit() and parts["year"].isdigit()):
            self._fail("The date must be a real date, for example 31 3 2019")
        if len(parts["year"]) != 4:
            self._fail("The year must include 4 numbers", ("year",))
        try:
            chosen = date(int(parts["year"]), int(month), int(parts["day"]))
        except ValueError:
            self._fail("The date must be a real date, for example 31 3 2019")
        if chosen > timezone.localdate():
            self._fail("The date must be today or in the past")
        self.date = chosen
        return self.cleaned_data


class DateNeeded(Exception):
    """The request asked for a state on a date but gave no real date: show the date page."""

    def __init__(self, form: AsOfDateForm):
        super().__init__(form.errors)
        self.form = form


def _version(request) -> int | None:
    raw = request.GET.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadQuery(f"“{raw}” is not a version number. Use a whole number such as ?version=1.")
    return int(raw)


def _as_of(request, choice: DateChoice) -> tuple[date | None, AsOfDateForm | None]:
    """The date asked for, by the date form or by ?as_of=YYYY-MM-DD, and the form if it was used."""
    if any(f"as_of-{name}" in request.GET for name in DATE_PARTS):
        form = AsOfDateForm(request.GET, choice=choice)
    elif "as_of" in request.GET and not request.GET["as_of"].strip():
        form = AsOfDateForm({}, choice=choice)  # "as it stood" asked for, with no date
    elif "as_of" in request.GET:
        raw = request.GET["as_of"].strip()
        try:
            return date.fromisoformat(raw), None
        except ValueError:
            raise BadQuery(f"“{raw}” is not a date. Use the form YYYY-MM-DD, such as ?as_of=2019-01-01.") from None
    else:
        return None, None
    if not form.is_valid():
        raise DateNeeded(form)
    return form.date, form


def _pdf_response(pdf: Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _unavailable(request, message: str, status: int, back_url: str = "", back_text: str = "") -> HttpResponse:
    return render(
        request, "documents/pdf/unavailable.html",
        {"message": message, "back_url": back_url, "back_text": back_text}, status=status,
    )


def _date_page(request, form: AsOfDateForm, status: int) -> HttpResponse:
    return render(request, "documents/pdf/as_of.html", {"form": form, "choice": form.choice}, status=status)


def _download(request, choice: DateChoice, printer, *, versions: bool = True) -> HttpResponse:
    """The PDF that ``printer(version=…, as_of=…)`` prints for the query, or the page that says why not."""
    form = None
    try:
        version = _version(request) if versions else None
        if not versions and request.GET.get("version"):
            raise BadQuery("The agreement pack is printed now or as it stood on a date (?as_of=YYYY-MM-DD).")
        as_of, form = _as_of(request, choice)
        if version is not None and as_of is not None:
            raise BadQuery("Ask for a version or a date, not both.")
        return _pdf_response(printer(version=version, as_of=as_of))
    except DateNeeded as needed:
        return _date_page(request, needed.form, 400)
    except BadQuery as error:
        return _unavailable(request, str(error), 400, choice.back_url, choice.back_text)
    except PrintError as error:
        if form is not None:  # no record on the date chosen: say so beside the date, to choose another
            form.add_error(None, str(error))
            return _date_page(request, form, 404)
        return _unavailable(request, str(error), 404, choice.back_url, choice.back_text)


@login_required
def schedule(request, reference: str, number: int):
    found = schedule_for(request.user, reference, number)
    choice = DateChoice(
        f"Schedule {number}", reverse("pdf:schedule", args=[reference, number]),
        reverse("schedule", args=[reference, number]), f"Back to Schedule {number}",
    )
    return _download(request, choice, lambda **when: schedule_pdf(found, **when))


@login_required
def agreement_pack(request, reference: str):
    agreement = agreement_for(request.user, reference)
    choice = DateChoice(
        "the agreement", reverse("pdf:pack", args=[reference]), reverse("agreement", args=[reference]),
        f"Back to {reference}",
    )
    return _download(request, choice, lambda version, as_of: agreement_pack_pdf(agreement, as_of=as_of),
                     versions=False)


@login_required
def board_terms(request, pk: int):
    board = board_for(request.user, pk)
    choice = DateChoice(
        "the terms of reference", reverse("pdf:terms", args=[pk]), reverse("board", args=[pk]),
        f"Back to {board.name}", stood="they stood",
    )
    return _download(request, choice, lambda **when: terms_pdf(board, **when))
