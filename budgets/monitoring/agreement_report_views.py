"""The board's finance report of a whole agreement: the periods with returns, and a period's report as a page,
a PDF and an xlsx. Whoever may read the agreement may read its report (as the schedules' reports)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import get_valid_filename

from agreements.selectors import agreement_for
from budgets import spreadsheets
from budgets.monitoring.agreement_report import agreement_periods, agreement_report_xlsx, build_agreement_report
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.pdf import agreement_report_pdf
from budgets.monitoring.thresholds import current_limits
from partnerships.access import Capability, can


def _agreement_with_returns(request, reference: str, year: int, period: int):
    agreement = agreement_for(request.user, reference)
    if not 1 <= period <= 12:
        raise Http404("There are twelve periods, P1 to P12.")
    if not MonitoringReturn.objects.filter(schedule__agreement=agreement, financial_year=year, period=period).exists():
        raise Http404("No schedule of this agreement has a return for this period, so there is no report.")
    return agreement


@login_required
def agreement_finance_reports(request, reference: str):
    agreement = agreement_for(request.user, reference)
    return render(request, "budgets/monitoring/agreement_reports.html", {
        "agreement": agreement, "periods": agreement_periods(agreement), "limits": current_limits(agreement),
        "can_set_thresholds": can(request.user, Capability.EDIT_BUDGETS),
    })


@login_required
def agreement_finance_report(request, reference: str, year: int, period: int):
    agreement = _agreement_with_returns(request, reference, year, period)
    args = [reference, year, period]
    return render(request, "budgets/monitoring/agreement_report.html", {
        **build_agreement_report(agreement, year, period),
        "pdf_url": reverse("budgets:agreement_finance_report_pdf", args=args),
        "xlsx_url": reverse("budgets:agreement_finance_report_xlsx", args=args),
        "reports_url": reverse("budgets:agreement_finance_reports", args=[reference]),
    })


@login_required
def agreement_finance_report_pdf(request, reference: str, year: int, period: int):
    agreement = _agreement_with_returns(request, reference, year, period)
    pdf = agreement_report_pdf(agreement, year, period)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_finance_report_xlsx(request, reference: str, year: int, period: int):
    agreement = _agreement_with_returns(request, reference, year, period)
    content = agreement_report_xlsx(build_agreement_report(agreement, year, period))
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    name = get_valid_filename(f"{reference}-finance-report-{year}-P{period}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
