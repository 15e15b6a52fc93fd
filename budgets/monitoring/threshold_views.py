"""The agreement's monitoring thresholds page: see and change when lines turn amber or red, with a reason."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agreements.selectors import agreement_for
from budgets.monitoring.thresholds import (
    ThresholdsChanged,
    current_limits,
    limits_key,
    limits_values,
    thresholds_history,
    thresholds_set,
)
from documents.editing import NO_CHANGES
from documents.forms import GovukFormMixin, mark_error
from documents.services import NothingChanged
from partnerships.access import Capability, require


class LooseDecimalField(forms.DecimalField):
    """A number as people type it: "3", "3 %", "£50,000" or "50000.00"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[£%\s]", "", value)
            if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):  # thousands: "50,000"; "1,5" stays, and is refused
                value = value.replace(",", "")
        return super().to_python(value)


def _number(label: str, hint: str, max_digits: int) -> LooseDecimalField:
    widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"})
    return LooseDecimalField(label=label, help_text=hint, min_value=0, max_digits=max_digits, decimal_places=2,
                             widget=widget)


class ThresholdsForm(GovukFormMixin, forms.Form):
    amber_percent = _number("Amber from a projected overspend of (%)", "For example, 1", max_digits=5)
    red_percent = _number("Red from a projected overspend of (%)", "At or above amber. For example, 3", max_digits=5)
    red_amount = _number("Or red from a projected overspend of (£)", "Whichever comes first. For example, 50,000",
                         max_digits=14)
    reason = forms.CharField(label="Reason for the change", max_length=500,
                             help_text="Recorded in the thresholds' history. For example, Agreed at the board, 18 October 2018.")
    shown = forms.CharField(widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def thresholds_edit(request, reference: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_BUDGETS)
    limits = current_limits(agreement)
    initial = limits_values(limits)
    form = ThresholdsForm(request.POST or None, initial={**initial, "shown": limits_key(limits)})
    errors, notice, status = [], "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                thresholds_set(agreement=agreement, amber_percent=data["amber_percent"], red_percent=data["red_percent"],
                               red_amount=data["red_amount"], user=request.user, reason=data["reason"], shown=data["shown"])
            except ThresholdsChanged as changed:
                errors, status = [{"anchor": "", "message": str(changed)}], 409
                form = ThresholdsForm(initial={**initial, "shown": limits_key(limits), "reason": data["reason"]})
            except NothingChanged:
                notice, status = NO_CHANGES, 200
            except ValidationError as error:  # the one rule past the fields: red at or above amber, an amount above £0
                for message in error.messages:
                    form.add_error("red_percent", message)
                mark_error(form, "red_percent")
            else:
                messages.success(request, "Monitoring thresholds saved. Every return and report of this agreement "
                                          "now flags its lines by them.")
                return redirect("budgets:agreement_finance_reports", reference)
    return render(request, "budgets/monitoring/thresholds.html", {
        "agreement": agreement, "form": form, "limits": limits, "changes": thresholds_history(agreement),
        "extra_errors": errors, "notice": notice,
    }, status=status)
