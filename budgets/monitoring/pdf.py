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
