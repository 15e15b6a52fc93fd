"""Setting a schedule's risk-share rule: a versioned change with a reason (commissioners, as other terms)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agreements.selectors import schedule_for
from budgets.monitoring.models import RiskShare, RiskShareRule
from budgets.monitoring.risk_rules import default_rule, risk_share_set
from documents.editing import NO_CHANGES
from documents.services import EditConflict, NothingChanged
from partnerships.access import Capability, require


class RiskShareForm(forms.Form):
    rule = forms.ChoiceField(label="How do the partners share a projected over- or underspend?",
                             choices=RiskShareRule.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the change", max_length=500,
                             help_text="Recorded in the rule's history. For example, Agreed at the board, 18 October 2018.",
                             widget=forms.TextInput(attrs={"class": "govuk-input"}),
                             error_messages={"required": "Enter the reason for this change."})
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def risk_share_edit(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_AGREEMENT)
    stored = RiskShare.objects.filter(schedule=schedule).first()
    parties = [party.partner for party in schedule.agreement.parties.select_related("partner")]
    stored_parts = dict(stored.parts.values_list("partner_id", "percent")) if stored else {}
    form = RiskShareForm(request.POST or None, initial={
        "rule": stored.rule if stored else default_rule(schedule), "edit_count": stored.edit_count if stored else 0})
    shares = [{"partner": p, "name": f"percent-{p.pk}",
               "value": request.POST.get(f"percent-{p.pk}", "") if request.method == "POST"
               else ("" if p.pk not in stored_parts else f"{stored_parts[p.pk].normalize():f}")} for p in parties]
    errors, notice, status = [], "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            parts = []
            for share in shares:
                raw = share["value"].strip().removesuffix("%").strip()
                if not raw:
                    continue
                try:
                    parts.append({"partner_id": share["partner"].pk, "percent": Decimal(raw)})
                except InvalidOperation:
                    errors.append({"anchor": share["name"],
                                   "message": f"{share['partner'].name}: “{share['value']}” is not a percentage."})
            if not errors:
                try:
                    risk_share_set(schedule=schedule, rule=form.cleaned_data["rule"], parts=parts, user=request.user,
                                   reason=form.cleaned_data["reason"],
                                   expected_edit_count=form.cleaned_data["edit_count"])
                except EditConflict as conflict:
                    errors, status = [{"anchor": "", "message": str(conflict)}], 409
                except NothingChanged:
                    notice, status = NO_CHANGES, 200
                except ValidationError as error:
                    errors = [{"anchor": "", "message": m} for m in error.messages]
                else:
                    messages.success(request, "Risk-share rule saved.")
                    return redirect("budgets:monitoring", reference, number)
    return render(request, "budgets/monitoring/risk_share.html", {
        "agreement": schedule.agreement, "schedule": schedule, "form": form, "shares": shares,
        "extra_errors": errors, "notice": notice,
    }, status=status)
