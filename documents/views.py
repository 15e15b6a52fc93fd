"""Download any document as a PDF: the query every PDF download reads, and the pages that say why not.

Each app's download view fetches its document through the user's scope (anyone else gets 404),
then hands `pdf_download` a `DateChoice` and a printer. A PDF may ask for ``?version=N`` or
``?as_of=YYYY-MM-DD``. The pages' "as it stood on a date" forms send a GOV.UK date input
(``as_of-day``, ``as_of-month``, ``as_of-year``) to the same URL: a missing or impossible date,
or a blank ``?as_of=``, gets the date page back with the error, never today's PDF in its place.
The templates are under templates/documents/pdf/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render

from documents.forms import DATE_PARTS, AsOfDateForm, DateChoice
from documents.pdf import Pdf, PrintError


class BadQuery(Exception):
    pass


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


def pdf_download(
    request, choice: DateChoice, printer: Callable[..., Pdf], *, no_versions: str = ""
) -> HttpResponse:
    """The PDF that ``printer(version=…, as_of=…)`` prints for the query, or the page that says why not.

    A document printed only now or on a date (the agreement pack) passes ``no_versions``: the
    message a ``?version=`` gets; its printer is then always called with ``version=None``.
    """
    form = None
    try:
        version = _version(request) if not no_versions else None
        if no_versions and request.GET.get("version"):
            raise BadQuery(no_versions)
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
