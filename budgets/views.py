"""Budget pages: import (upload → preview → confirm → result), export, reports.

Between preview and confirm the uploaded file waits in the database (budgets.pending),
keyed by a random token kept in the user's session; nothing touches budget lines before confirm.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_http_methods

from agreements.selectors import agreement_for, schedule_for
from agreements.services.variations import InOpenVariation, open_entry
from budgets import exporting, reports, spreadsheets
from budgets.forms import BudgetImportForm
from budgets.importing import ImportConflict, ImportRefused, budget_lines_import, build_preview
from budgets.models import BudgetImport, ImportLayout
from budgets.pending import UploadNotStored, pending_upload_delete, pending_upload_read, pending_upload_save
from partnerships.access import Capability, can, require

SESSION_KEY = "budget_imports"
ERRORS_SHOWN = 500


def _pending(request, token: str, schedule) -> dict:
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending["schedule_id"] != schedule.pk:
        raise Http404("This import has expired or was already confirmed.")
    return pending


def _forget(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        pending_upload_delete(entry["path"])


def _preview_context(schedule, preview, **extra):
    return {
        "agreement": schedule.agreement, "schedule": schedule, "preview": preview,
        "errors_shown": preview.errors[:ERRORS_SHOWN], "errors_hidden": max(len(preview.errors) - ERRORS_SHOWN, 0),
        "error_summary": bool(preview.errors), **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    held = open_entry(schedule)
    if request.method == "POST" and held is not None:
        form.is_valid()
        form.add_error(None, str(InOpenVariation(f"Schedule {schedule.number}", held.variation).message))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = get_valid_filename(PurePath(upload.name).name) or "budget.xlsx"
        content = upload.read()
        year, budget_type = form.cleaned_data["financial_year"], form.cleaned_data["budget_type"]
        preview = build_preview(schedule=schedule, filename=filename, content=content,
                                financial_year=year, budget_type=budget_type)
        if preview.layout == ImportLayout.SCHEDULE_TABLE and (year is None or not budget_type):
            if year is None:
                form.add_error("financial_year", "This file is a schedule table: enter the financial year it is for.")
            if not budget_type:
                form.add_error("budget_type", "This file is a schedule table: choose whether its budgets are pooled "
                                              "or aligned.")
        else:
            try:
                token, path = pending_upload_save(filename=filename, content=content)
            except UploadNotStored as full:
                form.add_error("file", str(full))
                return render(request, "budgets/import_upload.html", {
                    "agreement": schedule.agreement, "schedule": schedule, "form": form,
                }, status=507)
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "schedule_id": schedule.pk, "filename": filename, "path": path, "financial_year": year,
                "budget_type": budget_type, "reason": form.cleaned_data["reason"],
                "fingerprint": preview.fingerprint,
            }
            request.session[SESSION_KEY] = pending
            return redirect("budgets:import_preview", reference, number, token)
    return render(request, "budgets/import_upload.html", {
        "agreement": schedule.agreement, "schedule": schedule, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, reference: str, number: int, token: str):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    pending = _pending(request, token, schedule)
    try:
        content = pending_upload_read(pending["path"])
    except FileNotFoundError:
        raise Http404("This import has expired: upload the file again.") from None
    arguments = {"schedule": schedule, "filename": pending["filename"], "content": content,
                 "financial_year": pending["financial_year"], "budget_type": pending["budget_type"]}
    if request.method == "POST":
        try:
            result = budget_lines_import(**arguments, user=request.user, reason=pending["reason"],
                                         expected_fingerprint=pending["fingerprint"])
        except ImportRefused as refused:
            return render(request, "budgets/import_preview.html", _preview_context(schedule, refused.preview,
                                                                                   token=token), status=200)
        except InOpenVariation as held:
            return render(request, "budgets/import_preview.html", _preview_context(
                schedule, build_preview(**arguments), token=token, conflict=held.message), status=409)
        except ImportConflict as conflict:
            pending["fingerprint"] = conflict.preview.fingerprint
            request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: pending}
            return render(request, "budgets/import_preview.html", _preview_context(
                schedule, conflict.preview, token=token, conflict=str(conflict)), status=409)
        _forget(request, token)
        if result.budget_import is None:
            messages.success(request, result.message)
            return redirect("schedule", reference, number)
        return redirect("budgets:import_result", reference, number, result.budget_import.pk)
    preview = build_preview(**arguments)
    if preview.fingerprint and preview.fingerprint != pending["fingerprint"]:
        pending["fingerprint"] = preview.fingerprint
        request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: pending}
    return render(request, "budgets/import_preview.html", _preview_context(schedule, preview, token=token))


@login_required
def import_result(request, reference: str, number: int, pk: int):
    schedule = schedule_for(request.user, reference, number)
    record = get_object_or_404(BudgetImport.objects.select_related("imported_by", "revision"), pk=pk,
                               schedule=schedule)
    return render(request, "budgets/import_result.html", {
        "agreement": schedule.agreement, "schedule": schedule, "record": record,
        "totals": reports.budget_totals(reports.schedule_lines(schedule)),
    })


def _download(content: bytes, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def schedule_export(request, reference: str, number: int, file_format: str):
    schedule = schedule_for(request.user, reference, number)
    if file_format not in spreadsheets.FORMATS:
        raise Http404("Budget lines can be downloaded as .xlsx or .csv.")
    content = exporting.export_budget_lines(exporting.schedule_lines(schedule), file_format)
    return _download(content, file_format, f"{get_valid_filename(reference)}-schedule-{number}-budget-lines.{file_format}")


@login_required
def agreement_export(request, reference: str, file_format: str):
    agreement = agreement_for(request.user, reference)
    if file_format not in spreadsheets.FORMATS:
        raise Http404("Budget lines can be downloaded as .xlsx or .csv.")
    content = exporting.export_budget_lines(exporting.agreement_lines(agreement), file_format, with_schedule=True)
    return _download(content, file_format, f"{get_valid_filename(reference)}-budget-lines.{file_format}")


def _reports_page(request, agreement, schedule, lines, xlsx_url):
    return render(request, "budgets/reports.html", {
        "agreement": agreement, "schedule": schedule, "totals": reports.budget_totals(lines),
        "ring_fenced": reports.ring_fenced_public_health(lines), "xlsx_url": xlsx_url,
        "can_import": schedule is not None and can(request.user, Capability.EDIT_BUDGETS),
    })


@login_required
def schedule_reports(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    return _reports_page(request, schedule.agreement, schedule, reports.schedule_lines(schedule),
                         reverse("budgets:schedule_reports_xlsx", args=[reference, number]))


@login_required
def agreement_reports(request, reference: str):
    agreement = agreement_for(request.user, reference)
    return _reports_page(request, agreement, None, reports.agreement_lines(agreement),
                         reverse("budgets:agreement_reports_xlsx", args=[reference]))


@login_required
def schedule_reports_xlsx(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    content = reports.reports_xlsx(reports.schedule_lines(schedule))
    return _download(content, "xlsx", f"{get_valid_filename(reference)}-schedule-{number}-budget-reports.xlsx")


@login_required
def agreement_reports_xlsx(request, reference: str):
    agreement = agreement_for(request.user, reference)
    content = reports.reports_xlsx(reports.agreement_lines(agreement))
    return _download(content, "xlsx", f"{get_valid_filename(reference)}-budget-reports.xlsx")
