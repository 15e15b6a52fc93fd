"""Action plan pages: open one for a red line, record progress per period, close it when resolved."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agreements.models import BudgetLine
from agreements.selectors import schedule_for
from budgets.monitoring.action_plans import plan_close, plan_open, plan_progress
from budgets.monitoring.models import PERIODS, ActionPlan
from documents.forms import CleanTextField, GovukDateField, GovukFormMixin
from partnerships.access import Capability, can, require


class PlanForm(GovukFormMixin, forms.ModelForm):
    due = GovukDateField(label="Due date", help_text="When the actions should have closed the gap, for example 31 3 2027")

    class Meta:
        model = ActionPlan
        fields = ["owner", "actions", "target_saving", "due"]
        widgets = {"actions": forms.Textarea}


class ProgressForm(GovukFormMixin, forms.Form):
    period = forms.TypedChoiceField(label="Period", choices=[(p, f"P{p}") for p in PERIODS], coerce=int)
    financial_year = forms.IntegerField(widget=forms.HiddenInput)
    note = CleanTextField(label="Progress", widget=forms.Textarea)


class CloseForm(GovukFormMixin, forms.Form):
    closing_note = CleanTextField(label="How was it resolved?", widget=forms.Textarea,
                                  error_messages={"required": "Enter how the gap was resolved"})


@login_required
@require_http_methods(["GET", "POST"])
def action_plan_new(request, reference: str, number: int, year: int, period: int, line: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.ENTER_MONITORING)
    budget_line = BudgetLine.objects.filter(schedule=schedule, pk=line).select_related("partner").first()
    if budget_line is None:
        raise Http404("That budget line is not in this schedule.")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_open(schedule=schedule, budget_line=budget_line, user=request.user,
                             opened_in=f"{year}/{str(year + 1)[-2:]} P{period}", **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action plan opened for {budget_line.service}.")
            return redirect("budgets:action_plan", reference, number, plan.pk)
    return render(request, "budgets/monitoring/action_plan_new.html", {
        "agreement": schedule.agreement, "schedule": schedule, "form": form, "line": budget_line,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def action_plan(request, reference: str, number: int, pk: int):
    schedule = schedule_for(request.user, reference, number)
    plan = get_object_or_404(ActionPlan.objects.select_related("budget_line__partner"), schedule=schedule, pk=pk)
    year = int(request.POST.get("financial_year") or plan.opened_in[:4])
    progress_form = ProgressForm(request.POST if request.POST.get("action") == "progress" else None,
                                 initial={"financial_year": year})
    close_form = CloseForm(request.POST if request.POST.get("action") == "close" else None)
    status = 200
    if request.method == "POST":
        require(request.user, Capability.ENTER_MONITORING)
        status = 400
        try:
            if progress_form.is_bound and progress_form.is_valid():
                plan_progress(plan=plan, **progress_form.cleaned_data)
                messages.success(request, "Progress recorded.")
                return redirect("budgets:action_plan", reference, number, pk)
            if close_form.is_bound and close_form.is_valid():
                plan_close(plan=plan, closed_on=timezone.localdate(), note=close_form.cleaned_data["closing_note"])
                messages.success(request, "Action plan closed.")
                return redirect("budgets:action_plan", reference, number, pk)
        except ValidationError as error:
            (progress_form if progress_form.is_bound else close_form).add_error(None, error)
    return render(request, "budgets/monitoring/action_plan.html", {
        "agreement": schedule.agreement, "schedule": schedule, "plan": plan, "progress_form": progress_form,
        "close_form": close_form, "can_enter": can(request.user, Capability.ENTER_MONITORING),
    }, status=status)
