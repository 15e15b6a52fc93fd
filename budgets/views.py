"""Budget pages: import (upload → preview → confirm → result) into a schedule or across an agreement's
schedules, the blank templates to fill in, export, reports.

Between preview and confirm the uploaded file waits in the database (budgets.pending), keyed by a
random token kept in the user's session (budgets.upload_session); nothing touches budget lines before
confirm. A file chosen on an upload form that comes back with an error elsewhere waits the same way,
so the person need not choose it again.
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
from budgets import exporting, import_templates, reports, spreadsheets
from budgets.forms import CHOSEN_FILE, AgreementBudgetImportForm, BudgetImportForm
from budgets.importing import ImportConflict, ImportRefused, budget_lines_import, build_preview
from budgets.importing.agreement import agreement_budget_lines_import, build_agreement_preview
from budgets.importing.totals import preview_totals
from budgets.models import BudgetImport, ImportLayout
from budgets.pending import UploadNotStored, pending_upload_save
from budgets.upload_session import (
    PREVIEWS,
    chosen_file,
    chosen_forget,
    chosen_keep,
    owner_of,
    preview_content,
    preview_forget,
    preview_remember,
    preview_update,
)
from partnerships.access import Capability, can, require

SESSION_KEY = PREVIEWS
ERRORS_SHOWN = 500
CHOSEN_EXPIRED = "The file you chose before has expired: choose it again."


def _preview_context(schedule, preview, **extra):
    return {
        "agreement": schedule.agreement, "schedule": schedule, "preview": preview,
        "errors_shown": preview.errors[:ERRORS_SHOWN], "errors_hidden": max(len(preview.errors) - ERRORS_SHOWN, 0),
        "error_summary": bool(preview.errors),
        "totals": preview_totals(preview) if preview.ok and preview.has_changes else [], **extra,
    }


def _chosen_content(request, form) -> tuple[str, bytes] | None:
    """(name, bytes) of the file to check: the one just chosen, else the one kept from the last try.

    None, with the error on the file field, when the kept file has expired from pending storage.
    """
    upload = form.cleaned_data["file"]
    if upload is not None:
        return get_valid_filename(PurePath(upload.name).name) or "budget.xlsx", upload.read()
    try:
        return form.chosen.filename, form.chosen.read()
    except FileNotFoundError:
        chosen_forget(request.session, form.chosen, delete=False)
        form.choose(None)
        form.add_error("file", CHOSEN_EXPIRED)
        return None


def _keep_chosen(request, form, owner, picked: tuple[str, bytes] | None) -> None:
    """After an error elsewhere on the form, keep the file just chosen so the person need not choose it again.

    Nothing to do when no new file came (a file kept before stays kept) or the file itself has an error.
    """
    upload = request.FILES.get("file")
    if upload is None or form.errors.get("file"):
        return
    if picked is None:
        upload.seek(0)
        picked = (get_valid_filename(PurePath(upload.name).name) or "budget.xlsx", upload.read())
    try:
        kept = chosen_keep(request.session, owner=owner, filename=picked[0], content=picked[1])
    except UploadNotStored:
        return  # not kept: the page asks for the file again, as it did before files were kept
    if form.chosen is not None:
        chosen_forget(request.session, form.chosen, delete=True)
    form.choose(kept)


def _store_for_preview(request, form, owner, filename: str, content: bytes, **values) -> str | None:
    """Keep the file for its preview and the confirm; its token, or None (the error on the file field)."""
    if form.chosen is not None and request.FILES.get("file") is None:
        token, path = form.chosen.token, form.chosen.path  # the kept file is already stored
        chosen_forget(request.session, form.chosen, delete=False)
    else:
        try:
            token, path = pending_upload_save(filename=filename, content=content)
        except UploadNotStored as full:
            form.add_error("file", str(full))
            return None
        if form.chosen is not None:
            chosen_forget(request.session, form.chosen, delete=True)
    preview_remember(request.session, token, owner=owner, path=path, filename=filename,
                     reason=form.cleaned_data["reason"], **values)
    return token


def _bound_form(request, form_class, owner):
    chosen = chosen_file(request.session, request.POST.get(CHOSEN_FILE), owner=owner) if request.method == "POST" \
        else None
    return form_class(request.POST or None, request.FILES or None, chosen=chosen)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    owner = owner_of(schedule)
    form = _bound_form(request, BudgetImportForm, owner)
    held = open_entry(schedule)
    status = 200
    picked = None
    if request.method == "POST" and held is not None:
        form.is_valid()
        form.add_error(None, str(InOpenVariation(f"Schedule {schedule.number}", held.variation).message))
    if request.method == "POST" and form.is_valid():
        picked = _chosen_content(request, form)
    if picked is not None:
        filename, content = picked
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
            token = _store_for_preview(request, form, owner, filename, content, financial_year=year,
                                       budget_type=budget_type, fingerprint=preview.fingerprint)
            if token is not None:
                return redirect("budgets:import_preview", reference, number, token)
            status = 507
    if request.method == "POST" and status != 507:
        _keep_chosen(request, form, owner, picked)
    return render(request, "budgets/import_upload.html", {
        "agreement": schedule.agreement, "schedule": schedule, "form": form, "chosen_field": CHOSEN_FILE,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, reference: str, number: int, token: str):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    pending, content = preview_content(request.session, token, owner=owner_of(schedule))
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
            preview_update(request.session, token, fingerprint=conflict.preview.fingerprint)
            return render(request, "budgets/import_preview.html", _preview_context(
                schedule, conflict.preview, token=token, conflict=str(conflict)), status=409)
        preview_forget(request.session, token)
        if result.budget_import is None:
            messages.success(request, result.message)
            return redirect("schedule", reference, number)
        return redirect("budgets:import_result", reference, number, result.budget_import.pk)
    preview = build_preview(**arguments)
    if preview.fingerprint and preview.fingerprint != pending["fingerprint"]:
        preview_update(request.session, token, fingerprint=preview.fingerprint)
    return render(request, "budgets/import_preview.html", _preview_context(schedule, preview, token=token))


@login_required
def import_template(request, reference: str, number: int, layout: str, file_format: str):
    schedule = schedule_for(request.user, reference, number)
    try:
        content = import_templates.schedule_import_template(agreement=schedule.agreement, layout=layout,
                                                            file_format=file_format)
    except import_templates.UnknownTemplate as unknown:
        raise Http404(str(unknown)) from None
    return _download(content, file_format, f"{layout}-template.{file_format}")


@login_required
def agreement_import_template(request, reference: str, file_format: str):
    agreement = agreement_for(request.user, reference)
    try:
        content = import_templates.agreement_import_template(agreement=agreement, file_format=file_format)
    except import_templates.UnknownTemplate as unknown:
        raise Http404(str(unknown)) from None
    return _download(content, file_format, f"{get_valid_filename(reference)}-budget-lines-template.{file_format}")


def _agreement_preview_context(agreement, preview, **extra):
    return {
        "agreement": agreement, "preview": preview,
        "errors_shown": preview.errors[:ERRORS_SHOWN], "errors_hidden": max(len(preview.errors) - ERRORS_SHOWN, 0),
        "sections": [(one, preview_totals(one)) for one in preview.schedules] if preview.ok else [], **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def agreement_import(request, reference: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_BUDGETS)
    owner = owner_of(agreement)
    form = _bound_form(request, AgreementBudgetImportForm, owner)
    status = 200
    picked = None
    if request.method == "POST" and form.is_valid():
        picked = _chosen_content(request, form)
    if picked is not None:
        filename, content = picked
        preview = build_agreement_preview(agreement=agreement, filename=filename, content=content)
        token = _store_for_preview(request, form, owner, filename, content, fingerprint=preview.fingerprint)
        if token is not None:
            return redirect("budgets:agreement_import_preview", reference, token)
        status = 507
    if request.method == "POST" and status != 507:
        _keep_chosen(request, form, owner, picked)
    return render(request, "budgets/agreement_import_upload.html", {
        "agreement": agreement, "form": form, "chosen_field": CHOSEN_FILE,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_import_preview(request, reference: str, token: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_BUDGETS)
    pending, content = preview_content(request.session, token, owner=owner_of(agreement))
    arguments = {"agreement": agreement, "filename": pending["filename"], "content": content}
    if request.method == "POST":
        try:
            result = agreement_budget_lines_import(**arguments, user=request.user, reason=pending["reason"],
                                                   expected_fingerprint=pending["fingerprint"])
        except ImportRefused as refused:
            return render(request, "budgets/agreement_import_preview.html",
                          _agreement_preview_context(agreement, refused.preview, token=token))
        except InOpenVariation as held:
            return render(request, "budgets/agreement_import_preview.html", _agreement_preview_context(
                agreement, build_agreement_preview(**arguments), token=token, conflict=held.message), status=409)
        except ImportConflict as conflict:
            preview_update(request.session, token, fingerprint=conflict.preview.fingerprint)
            return render(request, "budgets/agreement_import_preview.html", _agreement_preview_context(
                agreement, conflict.preview, token=token, conflict=str(conflict)), status=409)
        preview_forget(request.session, token)
        messages.success(request, result.message)
        return redirect("agreement", reference)
    preview = build_agreement_preview(**arguments)
    if preview.fingerprint and preview.fingerprint != pending["fingerprint"]:
        preview_update(request.session, token, fingerprint=preview.fingerprint)
    return render(request, "budgets/agreement_import_preview.html",
                  _agreement_preview_context(agreement, preview, token=token))


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
