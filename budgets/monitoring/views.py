"""Monitoring pages of a schedule: the year's periods, one period's return, its table editor, its history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agreements.budget_values import financial_year_label
from agreements.selectors import schedule_for
from budgets.monitoring import editing, pages
from budgets.monitoring.action_plans import plans_for_report
from budgets.monitoring.models import MonitoringReturn, RiskShareRule, period_month
from budgets.monitoring.presenters import MONITORING_RETURN
from budgets.monitoring.risk_rules import rule_as_of
from budgets.monitoring.services import (
    current_financial_year,
    monitored_lines,
    return_present,
    return_restore,
    return_save,
)
from documents.editing import NO_CHANGES
from documents.registry import VersionedDocument
from documents.revisions import latest_version
from documents.services import EditConflict, NothingChanged
from partnerships.access import Capability, can, require


def _return(schedule, year: int, period: int) -> MonitoringReturn | None:
    if not 1 <= period <= 12:
        raise Http404("There are twelve periods, P1 to P12.")
    return MonitoringReturn.objects.filter(schedule=schedule, financial_year=year, period=period).first()


def _base(schedule, **extra):
    return {"agreement": schedule.agreement, "schedule": schedule, **extra}


@login_required
def monitoring(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    return render(request, "budgets/monitoring/index.html", _base(
        schedule, years=[(year, financial_year_label(year), cells)
                         for year, cells in pages.year_grid(schedule, current_financial_year())],
        can_enter=can(request.user, Capability.ENTER_MONITORING),
        can_set_rule=can(request.user, Capability.EDIT_AGREEMENT),
        rule=RiskShareRule(rule_as_of(schedule)["fields"]["rule"]).label,
    ))


@login_required
def monitoring_period(request, reference: str, number: int, year: int, period: int):
    schedule = schedule_for(request.user, reference, number)
    monitoring_return = _return(schedule, year, period)
    body = pages.period_context(schedule, monitoring_return)
    plans = plans_for_report(schedule, body["variance"]) if body else None
    return render(request, "budgets/monitoring/period.html", _base(
        schedule, year=year, year_label=financial_year_label(year), period=period, month=period_month(period),
        monitoring_return=monitoring_return, body=body, plans=plans,
        presented=latest_version(monitoring_return) if monitoring_return else None,
        document=return_document(monitoring_return) if monitoring_return else None,
        can_enter=can(request.user, Capability.ENTER_MONITORING),
        can_present=can(request.user, Capability.PRESENT_REPORTS),
    ))


class ReturnEditForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the change (optional)", required=False, max_length=500,
        help_text="Recorded in the return's history. For example, Month 6 figures from the ledger.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_edit(request, reference: str, number: int, year: int, period: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.ENTER_MONITORING)
    monitoring_return = _return(schedule, year, period)
    lines = list(monitored_lines(schedule, year))
    entries = {} if monitoring_return is None else {
        e["budget_line_id"]: e for e in monitoring_return.entries.values(
            "budget_line_id", "actual_to_date", "forecast_outturn", "notes")}
    posted = request.method == "POST"
    form = ReturnEditForm(request.POST if posted else None,
                          initial={"edit_count": monitoring_return.edit_count if monitoring_return else 0})
    rows = editing.editor_rows(lines, entries, request.POST if posted else None)
    context = _base(schedule, year=year, year_label=financial_year_label(year), period=period,
                    month=period_month(period), form=form, rows=rows, extra_errors=[], conflict=None, notice="")
    status = 200
    if posted and form.is_valid():
        values, errors, warnings = editing.read_rows(rows)
        context["extra_errors"] = errors
        if not errors:
            try:
                return_save(schedule=schedule, financial_year=year, period=period, values=values, user=request.user,
                            reason=form.cleaned_data["reason"], expected_edit_count=form.cleaned_data["edit_count"])
            except EditConflict as conflict:
                context["conflict"] = conflict
                context["extra_errors"] = [{"anchor": "conflict", "message": str(conflict)}]
                status = 409
            except NothingChanged:
                context["notice"] = NO_CHANGES
            except ValidationError as error:
                context["extra_errors"] = [{"anchor": "", "message": m} for m in error.messages]
                status = 400
            else:
                messages.success(request, f"Monitoring return for {financial_year_label(year)} P{period} saved.")
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("budgets:return", reference, number, year, period)
        else:
            status = 400
    elif posted:
        status = 400
    return render(request, "budgets/monitoring/edit.html", context, status=status)


def return_document(monitoring_return: MonitoringReturn) -> VersionedDocument:
    schedule = monitoring_return.schedule
    reference, number = schedule.agreement.reference, schedule.number
    year, period = monitoring_return.financial_year, monitoring_return.period
    return VersionedDocument(
        type=MONITORING_RETURN, obj=monitoring_return, label=f"{financial_year_label(year)} P{period} return",
        title=f"Schedule {number}: monitoring return {financial_year_label(year)} P{period}",
        url_prefix="budgets:return", url_args=[reference, number, year, period],
        agree=lambda *, decision, user, expected_revision: return_present(
            monitoring_return=monitoring_return, decision=decision, user=user, expected_revision=expected_revision),
        restore=lambda *, revision, user, reason, expected_revision: return_restore(
            monitoring_return=monitoring_return, revision=revision, user=user, reason=reason,
            expected_revision=expected_revision),
        breadcrumbs=[("My agreements", reverse("home")), (reference, reverse("agreement", args=[reference])),
                     (f"Schedule {number}", reverse("schedule", args=[reference, number])),
                     ("Monitoring", reverse("budgets:monitoring", args=[reference, number]))],
    )


def load_return_document(request, reference: str, number: int, year: int, period: int) -> VersionedDocument:
    """A return on its history pages, if the user may see its schedule (404 otherwise, or when there is none)."""
    schedule = schedule_for(request.user, reference, number)
    monitoring_return = _return(schedule, year, period)
    if monitoring_return is None:
        raise Http404("There is no return for this period yet.")
    monitoring_return.schedule = schedule
    return return_document(monitoring_return)
