"""The board's finance report of a schedule's period: as a page, a PDF (now, ?version=N as presented) and an xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import get_valid_filename

from agreements.selectors import schedule_for
from budgets import spreadsheets
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.pdf import report_pdf
from budgets.monitoring.report import build_report, report_state, report_xlsx
from documents.forms import DateChoice
from documents.pdf import PrintError
from documents.revisions import versions_of
from documents.views import pdf_download


def _return_or_404(request, reference: str, number: int, year: int, period: int) -> MonitoringReturn:
    schedule = schedule_for(request.user, reference, number)
    found = MonitoringReturn.objects.filter(schedule=schedule, financial_year=year, period=period).first()
    if found is None:
        raise Http404("There is no return for this period, so there is no report.")
    found.schedule = schedule
    return found


def _version(request) -> int | None:
    raw = request.GET.get("version", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("A version is a whole number.")
    return int(raw)


@login_required
def finance_report(request, reference: str, number: int, year: int, period: int):
    monitoring_return = _return_or_404(request, reference, number, year, period)
    version = _version(request)
    try:
        state = report_state(monitoring_return, version=version)
    except PrintError as error:
        raise Http404(str(error)) from error
    report = build_report(monitoring_return, state)
    args = [reference, number, year, period]
    query = f"?version={version}" if version else ""
    return render(request, "budgets/monitoring/report.html", {
        **report, "year": year, "period": period, "versions": list(versions_of(monitoring_return).order_by("number")),
        "pdf_url": reverse("budgets:finance_report_pdf", args=args) + query,
        "xlsx_url": reverse("budgets:finance_report_xlsx", args=args) + query,
        "report_url": reverse("budgets:finance_report", args=args),
    })


@login_required
def finance_report_pdf(request, reference: str, number: int, year: int, period: int):
    monitoring_return = _return_or_404(request, reference, number, year, period)
    args = [reference, number, year, period]
    choice = DateChoice("the finance report", reverse("budgets:finance_report_pdf", args=args),
                        reverse("budgets:finance_report", args=args), "Back to the finance report")
    return pdf_download(request, choice, lambda **when: report_pdf(monitoring_return, **when))


@login_required
def finance_report_xlsx(request, reference: str, number: int, year: int, period: int):
    monitoring_return = _return_or_404(request, reference, number, year, period)
    try:
        state = report_state(monitoring_return, version=_version(request))
    except PrintError as error:
        raise Http404(str(error)) from error
    content = report_xlsx(build_report(monitoring_return, state))
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    name = get_valid_filename(f"{reference}-schedule-{number}-finance-report-{year}-P{period}-{state.file_suffix}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
