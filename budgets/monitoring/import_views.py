"""Import a monitoring return in the browser: upload → preview → confirm, the budget import's flow.

The file waits between preview and confirm where budget imports wait (`budgets.pending`), keyed by a
random token kept in the user's session; nothing is written before confirm.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_http_methods

from agreements.budget_values import CellError, parse_financial_year
from agreements.selectors import schedule_for
from budgets.forms import BudgetImportForm
from budgets.monitoring.importing import (
    ReturnImportConflict,
    ReturnImportRefused,
    build_return_preview,
    return_import,
)
from budgets.monitoring.values import parse_period
from budgets.pending import UploadNotStored, pending_upload_delete, pending_upload_read, pending_upload_save
from partnerships.access import Capability, require

SESSION_KEY = "monitoring_imports"
ERRORS_SHOWN = 500


class ReturnImportForm(forms.Form):
    file = forms.FileField(
        label="Monitoring return spreadsheet",
        help_text="An .xlsx or .csv file of 10 MB or less with the columns Financial year, Period, Service, Partner, "
                  "Budget type, Actual to date (£), Forecast outturn (£) and Notes.",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".xlsx,.csv"}),
        error_messages={"required": "Choose the spreadsheet to import."},
    )
    financial_year = forms.CharField(label="Financial year (if the file does not say)", required=False, max_length=9,
                                     help_text="For example, 2018/19.",
                                     widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))
    period = forms.CharField(label="Period (if the file does not say)", required=False, max_length=12,
                             help_text="P1 (April) to P12 (March).",
                             widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}))
    reason = forms.CharField(label="Reason for the change (optional)", required=False, max_length=500,
                             widget=forms.TextInput(attrs={"class": "govuk-input"}))

    clean_file = BudgetImportForm.clean_file

    def clean_financial_year(self):
        value = self.cleaned_data["financial_year"].strip()
        try:
            return parse_financial_year(value) if value else None
        except CellError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        try:
            return parse_period(value) if value else None
        except CellError as error:
            raise forms.ValidationError(str(error)) from error


def _context(schedule, preview, **extra):
    return {"agreement": schedule.agreement, "schedule": schedule, "preview": preview,
            "errors_shown": preview.errors[:ERRORS_SHOWN], **extra}


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_import(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.ENTER_MONITORING)
    form = ReturnImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = get_valid_filename(PurePath(upload.name).name) or "return.xlsx"
        content = upload.read()
        year, period = form.cleaned_data["financial_year"], form.cleaned_data["period"]
        preview = build_return_preview(schedule=schedule, filename=filename, content=content,
                                       financial_year=year, period=period)
        try:
            token, path = pending_upload_save(filename=filename, content=content)
        except UploadNotStored as full:
            form.add_error("file", str(full))
            return render(request, "budgets/monitoring/import_upload.html",
                          {"agreement": schedule.agreement, "schedule": schedule, "form": form}, status=507)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"schedule_id": schedule.pk, "filename": filename, "path": path, "financial_year": year,
                          "period": period, "reason": form.cleaned_data["reason"], "fingerprint": preview.fingerprint}
        request.session[SESSION_KEY] = pending
        return redirect("budgets:monitoring_import_preview", reference, number, token)
    return render(request, "budgets/monitoring/import_upload.html",
                  {"agreement": schedule.agreement, "schedule": schedule, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_import_preview(request, reference: str, number: int, token: str):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.ENTER_MONITORING)
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending["schedule_id"] != schedule.pk:
        raise Http404("This import has expired or was already confirmed.")
    try:
        content = pending_upload_read(pending["path"])
    except FileNotFoundError:
        raise Http404("This import has expired: upload the file again.") from None
    arguments = {"schedule": schedule, "filename": pending["filename"], "content": content,
                 "financial_year": pending["financial_year"], "period": pending["period"]}
    if request.method == "POST":
        try:
            preview, saved = return_import(**arguments, user=request.user, reason=pending["reason"],
                                           expected_fingerprint=pending["fingerprint"])
        except ReturnImportRefused as refused:
            return render(request, "budgets/monitoring/import_preview.html", _context(schedule, refused.preview,
                                                                                      token=token))
        except ReturnImportConflict as conflict:
            pending["fingerprint"] = conflict.preview.fingerprint
            request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: pending}
            return render(request, "budgets/monitoring/import_preview.html", _context(
                schedule, conflict.preview, token=token, conflict=str(conflict)), status=409)
        entries = request.session.get(SESSION_KEY, {})
        entries.pop(token, None)
        request.session[SESSION_KEY] = entries
        pending_upload_delete(pending["path"])
        messages.success(request, f"Imported {preview.filename} into the {preview.label} return: {len(preview.new)} "
                                  f"new, {len(preview.changed)} changed, {preview.unchanged_count} unchanged.")
        return redirect("budgets:return", reference, number, preview.financial_year, preview.period)
    preview = build_return_preview(**arguments)
    return render(request, "budgets/monitoring/import_preview.html", _context(schedule, preview, token=token))
