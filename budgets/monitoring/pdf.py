"""The board's finance report as a tagged PDF/UA file, with the kernel's renderer and house style."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.report import build_report, report_state
from documents.pdf import DRAFT_WATERMARK, Pdf, css_string, file_name_part, render_pdf


def report_html(report: dict) -> str:
    agreement = report["agreement"]
    authors = [p["name"] for p in report["state"].snapshot.get("partners", {}).values()] or [agreement.reference]
    footer = " · ".join([f"{agreement.reference} Schedule {report['schedule'].number}", "Finance report",
                         *report["status_words"]])
    return render_to_string("budgets/monitoring/pdf/report.html", {
        **report, "document_title": report["title"], "authors": authors, "subject": report["title"],
        "header_css": css_string(f"{agreement.title}\n{agreement.reference}"), "footer_css": css_string(footer),
        "watermark": "", "pdf": True,
    })


def report_pdf(monitoring_return: MonitoringReturn, *, version: int | None = None, as_of: date | None = None) -> Pdf:
    """The report now, as presented (version N), or as it stood on a date; a draft mark when not presented."""
    state = report_state(monitoring_return, version=version, as_of=as_of)
    report = build_report(monitoring_return, state)
    html = report_html(report)
    if state.draft:
        html = html.replace("background: none", f"background: {DRAFT_WATERMARK} no-repeat center / 100% auto", 1)
    schedule = monitoring_return.schedule
    name = file_name_part(f"{schedule.agreement.reference}-schedule-{schedule.number}-finance-report-"
                          f"{monitoring_return.financial_year}-P{monitoring_return.period}")
    return Pdf(render_pdf(html), f"{name}-{state.file_suffix}.pdf", report["title"])


def agreement_report_html(report: dict) -> str:
    agreement = report["agreement"]
    authors = [party.partner.name for party in agreement.parties.select_related("partner")]
    footer = " · ".join([agreement.reference, "Finance report",
                         "presented" if report["all_presented"] else "not presented as a whole"])
    return render_to_string("budgets/monitoring/pdf/agreement_report.html", {
        **report, "document_title": report["title"], "authors": authors or [agreement.reference],
        "subject": report["title"], "header_css": css_string(f"{agreement.title}\n{agreement.reference}"),
        "footer_css": css_string(footer), "watermark": "", "pdf": True,
    })


def agreement_report_pdf(agreement, financial_year: int, period: int) -> Pdf:
    """The agreement's report for the period as it stands now; a draft mark unless every schedule's return is presented."""
    from budgets.monitoring.agreement_report import build_agreement_report

    report = build_agreement_report(agreement, financial_year, period)
    html = agreement_report_html(report)
    if not report["all_presented"]:
        html = html.replace("background: none", f"background: {DRAFT_WATERMARK} no-repeat center / 100% auto", 1)
    name = file_name_part(f"{agreement.reference}-finance-report-{financial_year}-P{period}")
    return Pdf(render_pdf(html), f"{name}.pdf", report["title"])
