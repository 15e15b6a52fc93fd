"""The upload form of a budget import."""

from __future__ import annotations

from django import forms

from agreements.budget_values import CellError, parse_financial_year
from agreements.models import BudgetType
from budgets.importing.reading import MAX_FILE_BYTES


class BudgetImportForm(forms.Form):
    file = forms.FileField(
        label="Budget spreadsheet",
        help_text="An .xlsx or .csv file of 10 MB or less: budget lines (Financial year, Service, Partner, "
                  "Budget type, Amount) or a schedule table (Service, then one column per partner).",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".xlsx,.csv"}),
        error_messages={"required": "Choose the spreadsheet to import."},
    )
    financial_year = forms.CharField(
        label="Financial year (schedule table only)", required=False, max_length=9,
        help_text="For example, 2018/19. A budget-lines file gives the year on each line.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    budget_type = forms.ChoiceField(
        label="Budget type (schedule table only)", required=False,
        choices=[("", "Choose a budget type"), *BudgetType.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    reason = forms.CharField(
        label="Reason for the change (optional)", required=False, max_length=500,
        help_text="Recorded in the schedule's history. For example, Budgets agreed at the March board.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the largest file we accept is 10 MB."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty: row 1 should hold the column headings.")
        return upload

    def clean_financial_year(self):
        value = self.cleaned_data["financial_year"].strip()
        if not value:
            return None
        try:
            return parse_financial_year(value)
        except CellError as error:
            raise forms.ValidationError(str(error)) from error
